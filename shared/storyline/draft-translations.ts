import { readFileSync } from 'node:fs';
import { foldDiacritics } from './normalise-text.ts';
import { LANGUAGES, type Language } from './storyline-schema.ts';

/**
 * A theme word's equivalents in the other two languages, from a lexicon of news vocabulary (one
 * concept per line: English, Spanish and Portuguese forms). Three articles in one language give
 * themes in that language only; the regular rules of `cognatesOf` reach "investigación" from
 * "investigation", but no rule reaches "rescate" from "rescue" or "barragem" from "dam".
 */
export function translationsOf(form: string, from: Language, to: Language): string[] {
  if (from === to) return [];
  const concepts = lexicon().get(from)?.get(foldDiacritics(form).toLowerCase());
  if (!concepts) return [];
  return [...new Set(concepts.flatMap((concept) => concept[to]))];
}

/** One concept per line: English, Spanish and Portuguese forms, tab-separated; `#` starts a comment. */
export const NEWS_LEXICON_FILE = new URL('./news-lexicon.tsv', import.meta.url);

type Concept = Record<Language, string[]>;
let index: Map<Language, Map<string, Concept[]>> | undefined;

/** Folded form to its concepts, per language: read on first use (only drafting needs it). */
function lexicon(): Map<Language, Map<string, Concept[]>> {
  if (index) return index;
  index = new Map(LANGUAGES.map((lang) => [lang, new Map<string, Concept[]>()]));
  const text = readFileSync(NEWS_LEXICON_FILE, 'utf8');
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const columns = line.split('\t').map((column) =>
      column
        .split(',')
        .map((form) => form.trim())
        .filter((form) => form !== ''),
    );
    const concept = Object.fromEntries(LANGUAGES.map((lang, i) => [lang, columns[i] ?? []])) as Concept;
    for (const lang of LANGUAGES) {
      const byForm = index.get(lang) as Map<string, Concept[]>;
      for (const form of concept[lang]) {
        const key = foldDiacritics(form).toLowerCase();
        byForm.set(key, [...(byForm.get(key) ?? []), concept]);
      }
    }
  }
  return index;
}

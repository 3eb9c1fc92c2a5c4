import { COMMON_WORD_SET } from './common-words.ts';
import { tokenize } from './normalise-text.ts';
import type { Language } from './storyline-schema.ts';

/** A word or word pair the articles keep using, in the forms each language wrote it. */
export interface ThemeCandidate {
  label: string;
  forms: Map<Language, Set<string>>;
  /** Uses across the articles; a headline use counts three times. */
  uses: number;
  articles: Set<number>;
}

export interface ThemeLimits {
  words: number;
  pairs: number;
}

const HEADLINE_WEIGHT = 3;
const LINKS = new Set(['de', 'del', 'of', 'on', 'da', 'do', 'das', 'dos', 'contra', 'against']);

/**
 * The story's own vocabulary: content words and word pairs that several articles repeat, ranked by
 * how much they are used and by how many articles (a headline use counts three times: headline
 * words are chosen). Function words, generic news words (said,
 * week, officials, Saturday), numbers and the words of names never count.
 */
export function findThemes(
  texts: readonly string[],
  langs: readonly Language[],
  nameWords: ReadonlySet<string>,
  limits: ThemeLimits,
): ThemeCandidate[] {
  const words = new Map<string, Tally>();
  const pairs = new Map<string, Tally>();
  // English names its subjects in three letters often ("dam", "war", "oil"); in Spanish and
  // Portuguese such words are mostly function words and abbreviations.
  const content = (folded: string, lang: Language) =>
    folded.length >= (lang === 'en' ? 3 : 4) &&
    !COMMON_WORD_SET.has(folded) &&
    !nameWords.has(folded) &&
    !/\d/.test(folded);

  texts.forEach((text, article) => {
    const lang = langs[article] ?? 'en';
    const lines = text.split(/\n+/).filter((l) => l.trim() !== '');
    lines.forEach((line, lineIndex) => {
      const weight = lineIndex === 0 ? HEADLINE_WEIGHT : 1;
      for (const sentence of line.split(/[.!?;:]+\s/)) {
        const tokens = tokenize(sentence);
        tokens.forEach((token, k) => {
          if (!content(token.folded, lang)) return;
          add(words, token.stem, token.folded, lang, article, weight);
          const next = tokens[k + 1];
          const after = tokens[k + 2];
          if (next && content(next.folded, lang))
            add(pairs, `${token.stem} ${next.stem}`, `${token.folded} ${next.folded}`, lang, article, weight);
          // "war on drugs", "cooperacion de inteligencia": two content words joined by a small one.
          else if (next && after && LINKS.has(next.folded) && content(after.folded, lang))
            add(
              pairs,
              `${token.stem} ${next.folded} ${after.stem}`,
              `${token.folded} ${next.folded} ${after.folded}`,
              lang,
              article,
              weight,
            );
        });
      }
    });
  });

  // A word should recur across articles, but only articles in its own language can repeat it.
  const articlesIn = (lang: Language) => langs.filter((l) => l === lang).length;
  const recurs = (c: Tally, minUses: number) =>
    (c.articles.size >= 2 && c.uses >= 2) ||
    (c.uses >= minUses && Math.max(...[...c.forms.keys()].map(articlesIn)) === 1) ||
    c.uses >= minUses + 2;
  const rank = (list: Map<string, Tally>, minUses: number, limit: number): ThemeCandidate[] =>
    takeInTurns(
      [...list.values()]
        .filter((c) => recurs(c, minUses))
        .sort((a, b) => score(b) - score(a) || labelOf(a).localeCompare(labelOf(b))),
      limit,
    ).map(({ formUses: _, bodyUses: __, ...candidate }) => ({
      ...candidate,
      label: labelOf({ formUses: _ }),
    }));
  return [...rank(pairs, 2, limits.pairs), ...rank(words, 2, limits.words)];
}

/**
 * The best of each language in turn, down each language's own ranking. Ranked together, the
 * longest article's language would take every place, and headlines in the other languages would
 * find no theme at all.
 */
function takeInTurns(ranked: readonly Tally[], limit: number): Tally[] {
  const byLanguage = new Map<Language, Tally[]>();
  for (const tally of ranked) {
    const lang = mainLanguage(tally);
    byLanguage.set(lang, [...(byLanguage.get(lang) ?? []), tally]);
  }
  const queues = [...byLanguage.values()];
  const taken: Tally[] = [];
  for (let turn = 0; taken.length < limit && queues.some((q) => q.length > turn); turn++) {
    for (const queue of queues) {
      const next = queue[turn];
      if (next && taken.length < limit) taken.push(next);
    }
  }
  return taken;
}

function mainLanguage(tally: Tally): Language {
  let best: Language = 'en';
  let most = -1;
  for (const [lang, forms] of tally.forms) {
    const uses = [...forms].reduce((sum, form) => sum + (tally.formUses.get(form) ?? 0), 0);
    if (uses > most) {
      most = uses;
      best = lang;
    }
  }
  return best;
}

function score(candidate: Tally): number {
  // Words the running text repeats rank above words only a headline used.
  return (candidate.uses + candidate.bodyUses) * (1 + candidate.articles.size);
}

/** The form written most often names the theme: "boat strikes" rather than "boat strike". */
function labelOf(tally: Pick<Tally, 'formUses'>): string {
  return [...tally.formUses].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

interface Tally extends Omit<ThemeCandidate, 'label'> {
  formUses: Map<string, number>;
  /** Uses outside headlines. */
  bodyUses: number;
}

function add(
  list: Map<string, Tally>,
  key: string,
  form: string,
  lang: Language,
  article: number,
  weight: number,
): void {
  const tally = list.get(key) ?? {
    forms: new Map(),
    formUses: new Map(),
    uses: 0,
    bodyUses: 0,
    articles: new Set<number>(),
  };
  tally.uses += weight;
  if (weight === 1) tally.bodyUses++;
  tally.articles.add(article);
  tally.formUses.set(form, (tally.formUses.get(form) ?? 0) + weight);
  const forms = tally.forms.get(lang) ?? new Set<string>();
  forms.add(form);
  tally.forms.set(lang, forms);
  list.set(key, tally);
}

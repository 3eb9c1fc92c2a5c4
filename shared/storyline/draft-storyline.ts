import { foldDiacritics, tokenize } from './normalise-text.ts';
import { type Language, type Storyline, storylineSchema } from './storyline-schema.ts';

export interface DraftOptions {
  id: string;
  title: string;
  /** How many times a name must appear across the articles to become an actor. */
  minMentions?: number;
  maxActors?: number;
  maxThemes?: number;
}

// Capitalised words that start sentences or headlines without naming anyone.
const NOT_NAMES = new Set(
  (
    'The A An In On At For From By With And But Or As If It Its This That These Those He She They We You I ' +
    'His Her Their Our After Before While When Where What Why How Who Despite During Still Yet So Some Many ' +
    'Mr Mrs Ms Dr Sen President Minister Secretary Monday Tuesday Wednesday Thursday Friday Saturday Sunday ' +
    'January February March April May June July August September October November December ' +
    'El La Los Las Un Una En Con Por Para Según Tras Ante Sobre Del De Al Lo Se Su Sus Es Pero Y O ' +
    'Read Share Comments Contact Related Trending Help Updated Copyright'
  ).split(' '),
);
const CONNECTORS = new Set(['de', 'del', 'la', 'las', 'los', 'of', 'the', 'y', 'da', 'do', 'dos', 'das']);
const STOPWORDS = new Set(
  (
    'a an the of in on at to for from by with and or as is are was were be been has have had it its this that ' +
    'these those he she they we his her their our not no but if than then so such into over after before ' +
    'about against between through during without within also more most other some any each only own same ' +
    'very can will would could should may might must said says say according who whom which what when where ' +
    'why how all both few many much one two three first last new since while until up down out off again ' +
    'el la los las un una unos unas de del en con por para y o que se su sus al lo es son fue tras ante sobre ' +
    'como mas pero sin entre hasta desde cuando donde dijo segun ya muy tambien este esta estos estas ese esa ' +
    'o os as um uma do da dos das no na nos nas em com para e que seu sua ao pelo pela foi sao'
  ).split(' '),
);
const ORGANISATION_WORDS =
  /\b(department|ministry|ministerio|agency|agencia|army|ej[eé]rcito|navy|armada|party|partido|council|consejo|bank|banco|court|corte|congress|congreso|senate|senado|house|casa|command|comando|cartel|c[aá]rtel|group|grupo|organi[sz]ation|organizaci[oó]n|office|oficina|nations|naciones|union|uni[oó]n|treasury|tesoro|pentagon|pent[aá]gono|times|post|news|journal)\b/i;

interface Candidate {
  name: string;
  count: number;
  afterPlacePreposition: number;
}

/**
 * Drafts a storyline from articles a user already has: candidate actors are the names (runs of
 * capitalised words) the articles repeat, with accent-free spellings and surnames as aliases;
 * candidate themes are the word pairs they repeat. Every actor lands in one group, and the draft has
 * no decision yet: the prior one (an actor with a theme) applies until `storyline train` fits one.
 */
export function draftStoryline(texts: readonly string[], options: DraftOptions): Storyline {
  const minMentions = options.minMentions ?? 2;
  const lang = guessLanguage(texts);
  const names = new Map<string, Candidate>();
  for (const text of texts) collectNames(text, names);

  const ranked = [...names.values()]
    .filter((c) => c.count >= minMentions)
    // Full names first, so a surname met later becomes their alias rather than another actor.
    .sort((a, b) => wordCount(b) - wordCount(a) || b.count - a.count);
  const actors: Storyline['actors'] = [];
  const taken = new Set<string>();
  for (const candidate of ranked) {
    if (actors.length >= (options.maxActors ?? 15)) break;
    const key = slug(candidate.name);
    // A surname already covered by a fuller name becomes an alias of it, not an actor.
    const fuller = actors.find(
      (a) => a.name.split(' ').length > 1 && a.name.split(' ').at(-1) === candidate.name,
    );
    if (fuller) {
      fuller.aliases[lang] = [...new Set([...(fuller.aliases[lang] ?? []), candidate.name])];
      continue;
    }
    if (!key || taken.has(key)) continue;
    taken.add(key);
    const kind = guessKind(candidate);
    // People are mostly named by their surname after the first mention.
    const surname = kind === 'person' ? candidate.name.split(' ').at(-1) : undefined;
    const aliases = [
      ...new Set([
        candidate.name,
        foldDiacritics(candidate.name),
        ...(surname && surname.length >= 4 ? [surname] : []),
      ]),
    ];
    actors.push({
      id: key,
      name: candidate.name,
      kind,
      group: 'story',
      weight: candidate.count >= 5 ? 2 : 1,
      aliases: { [lang]: aliases },
    });
  }

  const nameWords = new Set(ranked.flatMap((c) => tokenize(c.name).map((t) => t.folded)));
  const themes = frequentPairs(texts, nameWords)
    .slice(0, options.maxThemes ?? 10)
    .map(([pair]) => ({ id: slug(pair), label: pair, weight: 1, phrases: { [lang]: [pair] } }));

  const draft = {
    id: options.id,
    title: options.title,
    description: `Drafted from ${texts.length} article(s) in ${LANGUAGE_NAMES[lang]}. Edit the actors' aliases (add the other languages' forms), their groups, the themes, then label headlines and run storyline train.`,
    actors: actors.length > 0 ? actors : [placeholderActor()],
    themes,
    vetoes: [],
  };
  return storylineSchema.parse(draft);
}

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Spanish', pt: 'Portuguese' };
const LANGUAGE_MARKERS: Record<Language, Set<string>> = {
  en: new Set(['the', 'and', 'of', 'to', 'is', 'was', 'with', 'that', 'for']),
  es: new Set(['el', 'los', 'las', 'del', 'y', 'que', 'una', 'por', 'con', 'para']),
  pt: new Set(['o', 'os', 'do', 'da', 'dos', 'e', 'em', 'uma', 'com', 'nao', 'para']),
};

/** The language most of the articles' common words belong to: where the draft puts its phrases. */
function guessLanguage(texts: readonly string[]): Language {
  const counts: Record<Language, number> = { en: 0, es: 0, pt: 0 };
  for (const text of texts) {
    for (const token of tokenize(text)) {
      for (const lang of ['en', 'es', 'pt'] as const)
        if (LANGUAGE_MARKERS[lang].has(token.folded)) counts[lang]++;
    }
  }
  return (['en', 'es', 'pt'] as const).reduce(
    (best, lang) => (counts[lang] > counts[best] ? lang : best),
    'en',
  );
}

function collectNames(text: string, names: Map<string, Candidate>): void {
  // A name never runs across a line break (headline, then first paragraph).
  for (const line of text.split(/\n+/)) collectNamesInLine(line, names);
}

function collectNamesInLine(line: string, names: Map<string, Candidate>): void {
  const words = line.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const run: string[] = [];
    let j = i;
    while (j < words.length) {
      const raw = words[j] as string;
      const word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').replace(/['’]s$/, '');
      const next = (words[j + 1] ?? '').replace(/^[^\p{L}]+/u, '');
      if (isCapitalised(word) && !NOT_NAMES.has(word)) run.push(word);
      else if (run.length > 0 && CONNECTORS.has(word) && isCapitalised(next)) run.push(word);
      else break;
      j++;
      // Punctuation after a word ends the name: "Gustavo Petro, Colombia's president".
      if (/[^\p{L}\p{N}]$/u.test(raw) && !/['’]s$/.test(raw)) break;
    }
    if (run.length > 0 && run.length <= 4) {
      const name = run.join(' ');
      const before = (words[i - 1] ?? '').toLowerCase();
      const candidate = names.get(name) ?? { name, count: 0, afterPlacePreposition: 0 };
      candidate.count++;
      if (before === 'in' || before === 'en' || before === 'em' || before === 'to')
        candidate.afterPlacePreposition++;
      names.set(name, candidate);
    }
    i = Math.max(i, j - 1);
  }
}

function wordCount(c: Candidate): number {
  return Math.min(2, c.name.split(' ').length);
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}[\p{L}'’-]+$/u.test(word) && word !== word.toUpperCase();
}

function guessKind(candidate: Candidate): Storyline['actors'][number]['kind'] {
  if (ORGANISATION_WORDS.test(candidate.name)) return 'organisation';
  if (candidate.afterPlacePreposition * 2 >= candidate.count) return 'place';
  return candidate.name.includes(' ') ? 'person' : 'place';
}

/** Word pairs (no stopwords, no name words) in order of how often the articles use them. */
function frequentPairs(texts: readonly string[], nameWords: Set<string>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const sentence of text.split(/[.!?\n]+/)) {
      const words = tokenize(sentence).map((t) => t.folded);
      const content = (w: string) =>
        !(STOPWORDS.has(w) || nameWords.has(w) || w.length < 3 || /^\d+$/.test(w));
      const add = (phrase: string) => counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
      for (let i = 0; i + 1 < words.length; i++) {
        const [a, b, c] = [words[i] as string, words[i + 1] as string, words[i + 2]];
        if (content(a) && content(b)) add(`${a} ${b}`);
        // "cooperacion de inteligencia", "war on drugs": two words joined by a small one.
        else if (content(a) && CONNECTORS.has(b) && c !== undefined && content(c)) add(`${a} ${b} ${c}`);
      }
    }
  }
  return [...counts.entries()]
    .filter(([, n]) => n >= 2)
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
}

function slug(text: string): string {
  return foldDiacritics(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function placeholderActor(): Storyline['actors'][number] {
  return {
    id: 'replace-me',
    name: 'Replace me',
    kind: 'person',
    group: 'story',
    weight: 1,
    aliases: { en: ['Replace me'] },
  };
}

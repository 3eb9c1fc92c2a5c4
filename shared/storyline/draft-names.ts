import { COMMON_WORD_SET, NEWS_OUTLETS, TITLES } from './common-words.ts';
import { countryNamed, countryOfPeople } from './country-names.ts';
import { foldDiacritics } from './normalise-text.ts';
import type { Actor, Language } from './storyline-schema.ts';

/** A name the articles use, with every form it took and where. */
export interface NameCandidate {
  /** The fullest form, as written ("Gustavo Petro"). */
  name: string;
  kind: Actor['kind'];
  /** Forms seen, by the language of the article they were seen in. */
  forms: Map<Language, Set<string>>;
  /** Offices the articles name the person by ("Colombian president"). */
  offices: Set<string>;
  /** Whether the articles give a title ("President", "ministro") to this name. */
  titled: boolean;
  mentions: number;
  /** Articles (by index) that mention it. */
  articles: Set<number>;
}

interface RawName {
  words: string[];
  mentions: number;
  articles: Set<number>;
  langs: Set<Language>;
  afterPlaceWord: number;
  afterVesselWord: number;
  /** Mentions right after an article ("the", "del", "da"): a thing, not a place or a person. */
  afterDeterminer: number;
  /** Mentions after a title ("President", "ministro"): a person. */
  titled: number;
  /** How the articles refer to the person by office: "Colombian president". */
  offices: Set<string>;
  acronym: boolean;
  /** Mentions followed by a company's legal form ("Renault SA", "Nissan Motor Co."). */
  legalForm: number;
}

const ARTICLES = new Set(['the', 'el', 'la', 'los', 'las', 'o', 'a', 'os', 'as']);
// "y" and "e" are not among them: "Alan Ruschel e Caramelo" is two people, and lists of names are common.
const CONNECTORS = new Set(['de', 'del', 'la', 'of', 'da', 'do', 'dos', 'das', 'al']);
/** Words that put a name after them as a thing of its own: "del Chapecoense", "the Ever Given". */
const DETERMINERS = new Set([...ARTICLES, 'del', 'al', 'da', 'do', 'das', 'dos', 'pela', 'pelo']);
const PLACE_WORDS = new Set([
  'in',
  'en',
  'em',
  'to',
  'from',
  'near',
  'off',
  'desde',
  'hacia',
  'para',
  'no',
  'na',
]);
const VESSEL_WORDS = new Set(
  (
    'ship vessel boat tanker freighter carrier submarine submersible sub yacht ferry ' +
    'buque barco navio nave carguero portacontenedores submarino sumergible embarcacion lancha ' +
    'embarcacao porta cargueiro uss hms mv'
  ).split(' '),
);
const PLACE_NAME_WORDS = new Set(
  (
    'canal river rio sea mar ocean oceano island isla ilha islands islas ilhas gulf golfo strait estrecho estreito ' +
    'bay bahia baia lake lago port puerto porto harbour harbor city ciudad cidade province provincia state estado ' +
    'county region mountain mountains montana sierra valley valle vale coast costa peninsula street avenue square plaza ' +
    'cerro morro monte mount hill'
  ).split(' '),
);
/** Companies' legal forms, folded, as a name's last word: "Co", "SA", "S.A", "GmbH". */
const LEGAL_FORMS = new Set(
  'co corp inc ltd plc sa s.a ag nv n.v se gmbh llc ltda spa s.p.a bv kk'.split(' '),
);
const ORGANISATION_WORDS = new Set(
  (
    'department ministry ministerio agency agencia army ejercito exercito navy armada marinha party partido council ' +
    'consejo conselho bank banco court corte tribunal congress congreso congresso senate senado house casa command ' +
    'comando cartel group grupo organization organisation organizacion organizacao office oficina nations naciones ' +
    'nacoes union union uniao treasury tesoro tesouro pentagon pentagono authority autoridad autoridade company ' +
    'compania companhia corporation corp inc ltd force forces fuerza fuerzas forca forcas guard guardia guarda ' +
    'police policia committee comite commission comision comissao institute instituto university universidad ' +
    'universidade administration administracion administracao government gobierno governo assembly asamblea ' +
    'assembleia parliament parlamento parlament executive ejecutivo executivo federation federacion federacao ' +
    'association asociacion associacao foundation fundacion fundacao motor motors airlines airways holdings ' +
    'industries petroleum petroleo'
  ).split(' '),
);
/** Endings that turn a place into its people or adjective: Colombia -> Colombian, Colombiano, Colombianos. */
const DEMONYM_ENDINGS = [
  'n',
  'an',
  'ian',
  'ns',
  'ans',
  'ians',
  'no',
  'na',
  'nos',
  'nas',
  'ano',
  'ana',
  'anos',
  'anas',
  'o',
  'os',
  'a',
  'as',
  'ese',
  'es',
  'i',
  's',
];

const fold = (word: string) => foldDiacritics(word).toLowerCase();
const isCapitalised = (word: string) =>
  /^\p{Lu}[\p{L}'’-]*$/u.test(word) && word.length > 1 && word !== word.toUpperCase();
// Written with a capital: a lower-case "se" is a Spanish pronoun, not a European company's form.
const isLegalForm = (word: string) => /^\p{Lu}/u.test(word) && LEGAL_FORMS.has(fold(word));
// Roman numerals ("Juan Pablo II", "Fase III") are no acronyms.
const isAcronym = (word: string) => /^\p{Lu}{2,6}$/u.test(word) && !/^[IVX]+$/.test(word);
const bare = (raw: string) => raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').replace(/['’]s$/u, '');

/**
 * The names (people, organisations, places, vessels) a set of articles repeats. A capitalised
 * word is a name only where it is not just the start of a sentence: words the articles also write
 * in lower case ("According", "Después") are not names, and headline lines written in title case
 * only add mentions to names found in running text.
 */
export function findNames(texts: readonly string[], langs: readonly Language[]): NameCandidate[] {
  const lowerCase = new Map<string, number>();
  for (const text of texts)
    for (const raw of text.split(/\s+/)) {
      const word = bare(raw);
      if (word && word === word.toLowerCase() && /\p{L}/u.test(word)) {
        const f = fold(word);
        lowerCase.set(f, (lowerCase.get(f) ?? 0) + 1);
      }
    }
  const listed = (f: string) => COMMON_WORD_SET.has(f) || TITLES.has(f) || NEWS_OUTLETS.has(f);
  const commonWord = (word: string) => {
    const f = fold(word);
    return listed(f) || (lowerCase.get(f) ?? 0) > 0;
  };
  // A lone capitalised word inside a sentence is a name unless the articles often write it in
  // lower case: "a Vale" is the company although "vale a pena" is also written once.
  const ordinaryWord = (word: string) => {
    const f = fold(word);
    return listed(f) || (lowerCase.get(f) ?? 0) >= 2;
  };

  const raw = new Map<string, RawName>();
  const titleCaseLines: Array<{ line: string; article: number }> = [];
  texts.forEach((text, article) => {
    const lang = langs[article] ?? 'en';
    for (const line of text.split(/\n+/)) {
      if (isTitleCase(line)) titleCaseLines.push({ line, article });
      else collectLine(line, article, lang, { commonWord, ordinaryWord }, raw);
    }
  });
  // Headlines in title case capitalise every word: count only the names running text confirmed.
  for (const { line, article } of titleCaseLines) {
    const folded = ` ${fold(line).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
    for (const [key, name] of raw)
      if (folded.includes(` ${key} `)) {
        name.mentions++;
        name.articles.add(article);
      }
  }
  // Words of a longer name written in capitals ("EVER GIVEN") are that name, not acronyms.
  const nameWords = new Set(
    [...raw.values()].filter((n) => n.words.length > 1).flatMap((n) => n.words.map(fold)),
  );
  return mergeForms(
    [...raw.values()].filter((n) => !(n.acronym && nameWords.has(fold(n.words[0] as string)))),
  );
}

function isTitleCase(line: string): boolean {
  const words = line
    .split(/\s+/)
    .map(bare)
    .filter((w) => w.length > 3);
  if (words.length < 4) return false;
  return words.filter(isCapitalised).length / words.length >= 0.6;
}

interface WordTests {
  /** Written in lower case somewhere, or a listed common word: not a name at a sentence's start. */
  commonWord: (word: string) => boolean;
  /** Common enough that alone it is not a name even inside a sentence. */
  ordinaryWord: (word: string) => boolean;
}

function collectLine(
  line: string,
  article: number,
  lang: Language,
  { commonWord, ordinaryWord }: WordTests,
  raw: Map<string, RawName>,
): void {
  const words = line.split(/\s+/).filter(Boolean);
  const sentenceStart = words.map((_, k) => k === 0 || /[.!?:;"“”»]$/u.test(words[k - 1] as string));
  for (let i = 0; i < words.length; i++) {
    const run: string[] = [];
    let office: string | undefined;
    let acronym = false;
    let legalForm = false;
    let j = i;
    while (j < words.length) {
      const token = words[j] as string;
      const word = bare(token);
      const next = bare(words[j + 1] ?? '');
      // An opening bracket or quote starts something else: "José María Marín (Brasil)".
      if (run.length > 0 && /^[([{«“‘"]/u.test(token)) break;
      // "Renault SA", "Nissan Motor Co.": a legal form ends a company's name and is no part of
      // the name headlines use.
      if (run.length > 0 && isLegalForm(word)) {
        legalForm = true;
        j++;
        break;
      }
      if (run.length === 0 && isAcronym(word) && !NEWS_OUTLETS.has(fold(word))) {
        run.push(word);
        acronym = true;
        j++;
        break;
      }
      // A sentence may start with any capitalised word; it is a name only if it is not a common one.
      const accepted =
        isCapitalised(word) && !(sentenceStart[j] && commonWord(word)) && !NEWS_OUTLETS.has(fold(word));
      if (run.length > 0 && /^\p{Lu}\.$/u.test(token)) {
        // A middle initial: "Gerald R. Ford".
        j++;
        continue;
      }
      if (accepted) {
        // "President Trump", "Colombian President Gustavo Petro": the title and what precedes it
        // are not the name; "Colombian President" is kept as a way to refer to that person.
        if (TITLES.has(fold(word)) && isCapitalised(next)) {
          if (run.length > 0) office = `${run.join(' ')} ${word.toLowerCase()}`;
          run.length = 0;
        } else run.push(word);
      } else if (
        run.length > 0 &&
        CONNECTORS.has(word) &&
        namesOn(words, j + 1, commonWord) &&
        !countryAfterName(run, words, j + 1)
      )
        run.push(word);
      else break;
      j++;
      // Punctuation after a word ends the name: "Gustavo Petro, Colombia's president".
      if (/[^\p{L}\p{N}]$/u.test(token) && !/['’]s$/u.test(token)) break;
    }
    while (run.length > 0 && CONNECTORS.has(run.at(-1) as string)) run.pop();
    // Lost sentence starts ("Whether Washington ..." after a heading with no full stop).
    while (run.length > 1 && COMMON_WORD_SET.has(fold(run[0] as string))) run.shift();
    const single = run.length === 1 ? (run[0] as string) : undefined;
    const skip =
      run.length === 0 ||
      isLegalForm(run[0] ?? '') ||
      run.length > 5 ||
      (single !== undefined && !acronym && (sentenceStart[i] ? commonWord(single) : ordinaryWord(single)));
    if (!skip) record(run, { acronym, legalForm, office }, words, i, article, lang, raw);
    i = Math.max(i, j - 1);
  }
}

/**
 * Whether a country follows a name and its connector, and the name is not one that takes a place
 * ("Evo Morales of Bolivia" is Evo Morales, of Bolivia; "Banco de México" and "Guarda Costeira dos
 * Estados Unidos" are one name each).
 */
function countryAfterName(run: readonly string[], words: readonly string[], at: number): boolean {
  if (run.some((w) => ORGANISATION_WORDS.has(fold(w)) || PLACE_NAME_WORDS.has(fold(w)))) return false;
  const one = bare(words[at] ?? '');
  const two = `${one} ${bare(words[at + 1] ?? '')}`;
  return countryNamed(one) !== undefined || countryNamed(two) !== undefined;
}

/**
 * Whether the words from `at` go on with a name after a connector: a capitalised word that is not a
 * common one, possibly behind capitalised common words and connectors ("Autoridad del Canal de
 * Suez", where "canal" alone is a common word).
 */
function namesOn(words: readonly string[], at: number, commonWord: (word: string) => boolean): boolean {
  for (let k = at; k < words.length && k < at + 4; k++) {
    const token = words[k] as string;
    const word = bare(token);
    if (!isCapitalised(word)) return false;
    if (!commonWord(word)) return true;
    if (/[^\p{L}\p{N}]$/u.test(token)) return false;
    const next = bare(words[k + 1] ?? '');
    if (CONNECTORS.has(next)) k++;
  }
  return false;
}

function record(
  run: string[],
  { acronym, legalForm, office }: { acronym: boolean; legalForm: boolean; office: string | undefined },
  words: string[],
  at: number,
  article: number,
  lang: Language,
  raw: Map<string, RawName>,
): void {
  const key = fold(run.join(' '));
  const entry = raw.get(key) ?? {
    words: run,
    mentions: 0,
    articles: new Set<number>(),
    langs: new Set<Language>(),
    afterPlaceWord: 0,
    afterVesselWord: 0,
    afterDeterminer: 0,
    titled: 0,
    offices: new Set<string>(),
    acronym,
    legalForm: 0,
  };
  entry.mentions++;
  if (legalForm) entry.legalForm++;
  if (office) entry.offices.add(office);
  if (office || TITLES.has(fold(bare(words[at - 1] ?? '')))) entry.titled++;
  entry.articles.add(article);
  entry.langs.add(lang);
  // "in Bogota", "in the Caribbean", "en la Casa de Nariño".
  const previous = fold(bare(words[at - 1] ?? ''));
  const before = ARTICLES.has(previous) ? fold(bare(words[at - 2] ?? '')) : previous;
  if (PLACE_WORDS.has(before)) entry.afterPlaceWord++;
  else if (DETERMINERS.has(previous)) entry.afterDeterminer++;
  if (VESSEL_WORDS.has(before) || VESSEL_WORDS.has(fold(bare(words[at - 2] ?? '')))) entry.afterVesselWord++;
  raw.set(key, entry);
}

/**
 * Forms of one name become one candidate: a surname or a first word met alone ("Petro"), a
 * demonym beside its place ("Colombian", "colombiano" beside "Colombia"), the same name with or
 * without accents.
 */
function mergeForms(names: RawName[]): NameCandidate[] {
  // Fullest names first, so shorter forms find them.
  names.sort((a, b) => b.words.length - a.words.length || b.mentions - a.mentions);
  const candidates: NameCandidate[] = [];
  const byKey = new Map<string, NameCandidate>();
  const byShape = new Map<string, NameCandidate>();
  const evidence = new Map<NameCandidate, { titled: number; shortForms: number; afterPlaceWord: number }>();
  for (const name of names) {
    const written = name.words.join(' ');
    const key = fold(written);
    const shape = shapeOf(name.words);
    const owner =
      byKey.get(key) ??
      (shape === undefined ? undefined : byShape.get(shape)) ??
      (name.words.length === 1 && !name.acronym ? ownerOf(key, name, candidates) : undefined);
    const candidate =
      owner ??
      ({
        name: written,
        kind: kindOf(name),
        forms: new Map(),
        offices: new Set<string>(),
        titled: false,
        mentions: 0,
        articles: new Set<number>(),
      } satisfies NameCandidate);
    if (!owner) candidates.push(candidate);
    byKey.set(key, candidate);
    if (shape !== undefined && !byShape.has(shape)) byShape.set(shape, candidate);
    const seen = evidence.get(candidate) ?? { titled: 0, shortForms: 0, afterPlaceWord: 0 };
    seen.titled += name.titled;
    if (name.titled > 0) candidate.titled = true;
    seen.afterPlaceWord += name.afterPlaceWord;
    if (owner && name.words.length === 1) seen.shortForms++;
    evidence.set(candidate, seen);
    candidate.mentions += name.mentions;
    for (const office of name.offices) candidate.offices.add(office);
    for (const a of name.articles) candidate.articles.add(a);
    for (const lang of name.langs) {
      const forms = candidate.forms.get(lang) ?? new Set<string>();
      forms.add(written);
      candidate.forms.set(lang, forms);
    }
  }
  // A "person" never given a title nor named by a surname alone is more likely a place ("United States").
  for (const candidate of candidates) {
    const seen = evidence.get(candidate);
    if (
      candidate.kind === 'person' &&
      seen &&
      seen.titled === 0 &&
      seen.shortForms === 0 &&
      seen.afterPlaceWord > 0
    )
      candidate.kind = 'place';
  }
  return candidates;
}

/**
 * A name's words regardless of their order and of the words each language puts between them,
 * with how many there are: "Suez Canal" and "Canal de Suez" are one place. Undefined for names
 * made only of generic words.
 */
function shapeOf(words: readonly string[]): string | undefined {
  const folded = words.map(fold).filter((w) => !CONNECTORS.has(w) && !ARTICLES.has(w));
  if (folded.length < 2 || folded.every(isGenericNameWord)) return undefined;
  return `${folded.length}:${[...folded].sort().join(' ')}`;
}

const isGenericNameWord = (folded: string) => PLACE_NAME_WORDS.has(folded) || ORGANISATION_WORDS.has(folded);

/** Spellings one letter apart, in different languages: Egipto, Egito. */
function isSpellingVariant(a: string, b: string): boolean {
  if (Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  return Math.max(a.length, b.length) - i - j <= 1;
}

function ownerOf(word: string, single: RawName, candidates: NameCandidate[]): NameCandidate | undefined {
  // A word used alone in more articles than the fuller name is a name of its own: "Chapecoense"
  // is the club, "Cerro Chapecoense" the hill named after it. A person's title settles it.
  const fuller = (c: NameCandidate) => c.titled || c.articles.size >= single.articles.size;
  // A word of a person's fuller name: the surname, or a long first name used alone (Thai usage,
  // "Narongsak"); never the place after "of"/"de" ("Atletico Nacional of Medellin").
  const people = candidates.filter((c) => {
    if (c.kind !== 'person' || !fuller(c) || word.length < 3) return false;
    const words = fold(c.name).split(' ');
    const at = words.indexOf(word, 1);
    if (at > 0) return c.titled || !CONNECTORS.has(words[at - 1] as string);
    return words[0] === word && word.length >= 7 && words.length > 1;
  });
  if (people.length > 0) return people.reduce((a, b) => (b.mentions > a.mentions ? b : a));
  // The one distinctive word of a place's name: "Suez" for "Suez Canal".
  const places = candidates.filter((c) => {
    if (c.kind !== 'place' || !fuller(c)) return false;
    const words = fold(c.name).split(' ');
    return (
      words.includes(word) && words.every((w) => w === word || isGenericNameWord(w) || CONNECTORS.has(w))
    );
  });
  if (places.length > 0)
    return places.reduce((a, b) =>
      b.name.split(' ').length < a.name.split(' ').length ||
      (b.name.split(' ').length === a.name.split(' ').length && b.mentions > a.mentions)
        ? b
        : a,
    );
  // The same single-word name spelt by another language.
  const variant = candidates.find(
    (c) =>
      !c.name.includes(' ') &&
      [...c.forms.keys()].every((l) => !single.langs.has(l)) &&
      isSpellingVariant(fold(c.name), word),
  );
  if (variant) return variant;
  // A demonym or adjective of a place already named.
  return candidates.find((c) => {
    if (c.name.includes(' ')) return false;
    const place = fold(c.name);
    const [shorter, longer] = place.length <= word.length ? [place, word] : [word, place];
    if (shorter.length < 4 || !longer.startsWith(shorter.replace(/[ao]$/, ''))) return false;
    const ending = longer.slice(shorter.replace(/[ao]$/, '').length);
    return DEMONYM_ENDINGS.includes(ending) || DEMONYM_ENDINGS.includes(ending.replace(/^[ao]/, ''));
  });
}

function kindOf(name: RawName): Actor['kind'] {
  const folded = name.words.map(fold);
  if (name.afterVesselWord * 2 >= name.mentions && name.afterVesselWord > 0) return 'vessel';
  if (name.acronym || name.legalForm > 0) return 'organisation';
  if (name.titled > 0) return 'person';
  // "United States", "Reino Unido": a country whatever the words around it.
  if (countryNamed(name.words.join(' '))) return 'place';
  const afterPlaceWord = name.afterPlaceWord * 2 >= name.mentions && name.afterPlaceWord > 0;
  if (name.words.length > 1) {
    if (folded.some((w) => ORGANISATION_WORDS.has(w))) return 'organisation';
    if (folded.some((w) => PLACE_NAME_WORDS.has(w)) || afterPlaceWord) return 'place';
    return 'person';
  }
  // One word: what the articles put before it tells, not the word ("La Union" is a town). Never
  // after "in" but after "the"/"del"/"da", it is a club, a firm, a ship: the story's own ("del
  // Chapecoense", "a Vale"). Countries and their people stay places.
  const word = name.words[0] as string;
  if (afterPlaceWord || countryNamed(word) || countryOfPeople(word)) return 'place';
  return name.afterDeterminer > 0 && name.afterPlaceWord === 0 ? 'organisation' : 'place';
}

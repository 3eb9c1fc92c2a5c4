/**
 * Text normalisation shared by storylines (aliases, phrases) and items (titles, summaries),
 * so both sides are folded the same way and matching reduces to comparing tokens.
 */

/** A word of the text: folded (no diacritics, lower case) and whether it was written in capitals. */
export interface Token {
  folded: string;
  /** Stem used for theme phrases, so "sanciones" meets "sancion" and "strikes" meets "strike". */
  stem: string;
  upper: boolean;
}

const COMBINING_MARKS = /\p{M}+/gu;
// Dotted abbreviations (U.S., EE.UU., EE. UU., D.C.) become one word before punctuation is dropped.
const DOTTED_ABBREVIATION = /(?<![\p{L}\p{N}])((?:\p{L}{1,2}\.\s?){2,})/gu;
const POSSESSIVE = /(\p{L})['’ʼ`´]s(?![\p{L}\p{N}])/gu;
const WORD = /[\p{L}\p{N}]+/gu;

const NON_ASCII = /[\u0080-\uffff]/;

/** Unicode NFKD with diacritics removed; case is kept (capitals carry meaning for US vs "us"). */
export function foldDiacritics(text: string): string {
  // Most English headlines are ASCII already: skip the (costly) normalisation for them.
  if (!NON_ASCII.test(text)) return text;
  return foldByCharacter(text) ?? text.normalize('NFKD').replace(COMBINING_MARKS, '');
}

/** Texts longer than this are normalised whole (their characters would not fit one call). */
const MAX_FOLDED_BY_CHARACTER = 4096;
const characterFolds = new Map<number, string>();
const foldedCodes: number[] = [];

/**
 * The fold of a text made of ASCII, Latin letters (U+0080 to U+024F) and general punctuation,
 * character by character; undefined for any other text. The same as folding the whole text:
 * these characters all start a new grapheme (canonical combining class 0), so decomposing each
 * alone and dropping the marks gives what decomposing the whole does. Much cheaper than
 * normalising, and the result is a one-byte string whenever it can be, which later scans read
 * faster.
 */
function foldByCharacter(text: string): string | undefined {
  const length = text.length;
  if (length > MAX_FOLDED_BY_CHARACTER) return undefined;
  foldedCodes.length = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      foldedCodes.push(c);
      continue;
    }
    if (c >= 0x250 && (c < 0x2000 || c >= 0x2070)) return undefined;
    let fold = characterFolds.get(c);
    if (fold === undefined) {
      fold = String.fromCharCode(c).normalize('NFKD').replace(COMBINING_MARKS, '');
      characterFolds.set(c, fold);
    }
    for (let k = 0; k < fold.length; k++) foldedCodes.push(fold.charCodeAt(k));
  }
  return String.fromCharCode.apply(null, foldedCodes);
}

/**
 * A light plural stemmer for theme phrases in en, es and pt. Both sides of a comparison are
 * stemmed the same way, so a stem only has to be consistent, not a dictionary word:
 * strike/strikes -> strik, sancion/sanciones -> sancion, sancao/sancoes -> sancao, missile/missiles -> missil.
 */
export function stemWord(word: string): string {
  const n = word.length;
  if (n <= 3) return word;
  const last = word.charCodeAt(n - 1);
  const before = word.charCodeAt(n - 2);
  if (last === S) {
    // -ss, -us, -is are not plurals (press, virus, crisis).
    if (before === S || before === U || before === I) return word;
    if (before === E && word.charCodeAt(n - 3) === I) return `${word.slice(0, -3)}y`;
    if (before === E && word.charCodeAt(n - 3) === O) return `${word.slice(0, -3)}ao`;
    const withoutS = before === E ? word.slice(0, -2) : word.slice(0, -1);
    return withoutS.endsWith('e') ? withoutS.slice(0, -1) : withoutS;
  }
  return last === E ? word.slice(0, -1) : word;
}

const [S, U, I, E, O] = ['s', 'u', 'i', 'e', 'o'].map((c) => c.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
];

/**
 * Words of a text, folded. `withStems: false` leaves `stem` empty, for callers (the matcher) that
 * look stems up in their own cache.
 */
export function tokenize(text: string, withStems = true): readonly Token[] {
  const slot = recent.findIndex((r) => r.text === text && r.withStems === withStems);
  if (slot >= 0) return (recent[slot] as RecentText).tokens;
  const tokens = tokenizeAnew(text, withStems);
  recent[next] = { text, withStems, tokens };
  next = (next + 1) % recent.length;
  return tokens;
}

interface RecentText {
  text: string;
  withStems: boolean;
  tokens: readonly Token[];
}

/**
 * The last few texts and their tokens: a backtest or a poll matches each item with several
 * storylines in a row, and tokenizing is most of the cost of matching.
 */
const recent: RecentText[] = Array.from({ length: 4 }, () => ({ text: '', withStems: true, tokens: [] }));
let next = 0;

/**
 * The text as tokenize reads it: diacritics folded, dotted abbreviations joined, possessives
 * dropped; case kept. Its words are the runs of letters and digits.
 */
export function prepareText(text: string): string {
  let prepared = foldDiacritics(text);
  if (prepared.includes('.'))
    prepared = prepared.replace(DOTTED_ABBREVIATION, (m) => `${m.replace(/[.\s]/g, '')} `);
  if (APOSTROPHE.test(prepared)) prepared = prepared.replace(POSSESSIVE, '$1');
  return prepared;
}

const APOSTROPHE = /['’ʼ`´]/;

function tokenizeAnew(text: string, withStems: boolean): readonly Token[] {
  return tokenizePrepared(prepareText(text), withStems);
}

/** The tokens of a text `prepareText` gave. */
export function tokenizePrepared(prepared: string, withStems: boolean): Token[] {
  const lower = prepared.toLowerCase();
  const upper = prepared.toUpperCase();
  // Case mapping can change the length of a string (rarely); then fall back to word by word.
  if (lower.length !== prepared.length || upper.length !== prepared.length)
    return tokenizeWordByWord(prepared, withStems);
  const tokens: Token[] = [];
  const n = prepared.length;
  let i = 0;
  while (i < n) {
    while (i < n && !isWordChar(prepared, i)) i++;
    const start = i;
    while (i < n && isWordChar(prepared, i)) i++;
    if (i === start) break;
    const folded = lower.slice(start, i);
    let capitals = i - start > 1;
    for (let k = start; capitals && k < i; k++) capitals = prepared.charCodeAt(k) === upper.charCodeAt(k);
    tokens.push({ folded, stem: withStems ? stemWord(folded) : '', upper: capitals });
  }
  return tokens;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isWordChar(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  // Surrogate pairs (letters outside the BMP) are read as two halves; both count as word characters.
  return (c >= 0xd800 && c <= 0xdfff) || LETTER_OR_DIGIT.test(text[index] as string);
}

function tokenizeWordByWord(prepared: string, withStems: boolean): Token[] {
  const tokens: Token[] = [];
  for (const match of prepared.matchAll(WORD)) {
    const word = match[0];
    const folded = word.toLowerCase();
    tokens.push({
      folded,
      stem: withStems ? stemWord(folded) : '',
      upper: word.length > 1 && word === word.toUpperCase(),
    });
  }
  return tokens;
}

/** An id made of a name: folded, lower case, words joined by hyphens ("Bogotá D.C." -> "bogota-d-c"). */
export function slug(text: string): string {
  return foldDiacritics(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

import { foldDiacritics, prepareText, tokenizePrepared } from './normalise-text.ts';

/** Distinct written words kept; the table starts over past this. */
const MAX_WORDS = 50_000;
/** Longer words are looked up every time, so one odd text cannot fill the table's memory. */
const MAX_KEPT_LENGTH = 64;
/** Slots to start with; the table doubles while it is more than half full. */
const FIRST_SLOTS = 1 << 10;

/**
 * The words of texts, as `tokenize` reads them, each looked up once per distinct written form
 * ("US", "us" and "Us" are three forms) and kept: an entry made from the folded word, and whether
 * the word was written in capitals. Most texts are read in one pass over their character codes,
 * without a string or an object per word; texts with letters outside ASCII go through `tokenize`'s
 * own path. The words of the last text are in `entries` and `capitals`, valid until the next scan.
 */
export class WordScanner<Entry> {
  entries: Entry[] = [];
  capitals = new Uint8Array(64);
  count = 0;
  /**
   * An open-addressing table kept small and in one block, so lookups stay in the cache: per slot
   * the hash, where the written word starts in `pool` and its length times two plus its capitals
   * flag (0 for an empty slot). Words are kept as character codes: strings of mixed kinds (one-
   * and two-byte) compare slowly.
   */
  private slots = FIRST_SLOTS;
  private table = new Int32Array(FIRST_SLOTS * 3);
  private slotEntries = emptySlots<Entry>(FIRST_SLOTS);
  private pool = new Uint16Array(1 << 14);
  private poolSize = 0;
  private size = 0;

  /** `entryOf` turns a folded word (lower case, no diacritics) into its entry. */
  constructor(private readonly entryOf: (folded: string) => Entry) {}

  /** Reads the words of `text` into `entries` and `capitals`; returns how many there are. */
  scan(text: string): number {
    // Most texts need no preparing, or only what the first pass does itself: folding Latin
    // letters (é, ç) and dropping possessive endings ('s).
    if (this.read(text, true)) return this.count;
    const prepared = prepareText(text);
    return this.read(prepared, false) ? this.count : this.scanTokens(prepared);
  }

  /**
   * Reads the words of a text into `entries`; false when the text needs what this pass cannot
   * do. An `unprepared` text may hold ASCII, Latin letters that fold to one ASCII letter,
   * possessives, dots that join no abbreviation and separators that preparing leaves as
   * separators; nothing else beyond ASCII. A prepared text may hold ASCII and
   * separators beyond ASCII that have no case.
   */
  private read(text: string, unprepared: boolean): boolean {
    this.count = 0;
    const n = text.length;
    let i = 0;
    // Where the last possessive ending ends: preparing drops them from left to right, so the
    // letter before an apostrophe must not be the "s" of the previous one ("a's's" keeps "'s").
    let possessiveEnd = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (!isWordCode(c, unprepared)) {
        if (!unprepared) {
          if (c >= 0x80 && !isCaselessSeparator(c)) return false;
        } else if (isApostrophe(c)) {
          if (i > possessiveEnd && isPossessive(text, i)) {
            i += 2;
            possessiveEnd = i;
            continue;
          }
        } else if (c === DOT ? !isLoneDot(text, i) : c >= 0x80 && unpreparedKind(c) !== PLAIN_SEPARATOR) {
          return false;
        }
        i++;
        continue;
      }
      const start = i;
      let hash = 0;
      do {
        hash = (Math.imul(hash, 31) + c) | 0;
        c = ++i < n ? text.charCodeAt(i) : 0;
      } while (isWordCode(c, unprepared));
      this.lookUp(text, start, i, hash);
    }
    return true;
  }

  private lookUp(text: string, start: number, end: number, hash: number): void {
    const length = end - start;
    const { table, pool } = this;
    const mask = this.slots - 1;
    let slot = hash & mask;
    for (;;) {
      const at = slot * 3;
      const lengthAndCapitals = table[at + 2] as number;
      if (lengthAndCapitals === 0) break;
      if (table[at] === hash && lengthAndCapitals >> 1 === length) {
        const from = (table[at + 1] as number) - start;
        let k = start;
        while (k < end && pool[from + k] === text.charCodeAt(k)) k++;
        if (k === end) {
          this.push(this.slotEntries[slot] as Entry, (lengthAndCapitals & 1) === 1);
          return;
        }
      }
      slot = (slot + 1) & mask;
    }
    // As preparing would have written it: Latin letters folded.
    const written = foldDiacritics(text.slice(start, end));
    const capitals = written.length > 1 && written === written.toUpperCase();
    const entry = this.entryOf(written.toLowerCase());
    this.push(entry, capitals);
    if (length <= MAX_KEPT_LENGTH) this.keep(text, start, length, hash, capitals, entry);
  }

  private keep(
    text: string,
    start: number,
    length: number,
    hash: number,
    capitals: boolean,
    entry: Entry,
  ): void {
    if (this.size >= MAX_WORDS) {
      this.table.fill(0);
      this.slotEntries.fill(undefined);
      this.size = 0;
      this.poolSize = 0;
    } else if ((this.size + 1) * 2 > this.slots) this.grow();
    if (this.poolSize + length > this.pool.length) {
      const grown = new Uint16Array(this.pool.length * 2);
      grown.set(this.pool);
      this.pool = grown;
    }
    const from = this.poolSize;
    for (let k = 0; k < length; k++) this.pool[from + k] = text.charCodeAt(start + k);
    this.poolSize += length;
    this.place(hash, from, (length << 1) | (capitals ? 1 : 0), entry);
    this.size++;
  }

  private place(hash: number, from: number, lengthAndCapitals: number, entry: Entry): void {
    const mask = this.slots - 1;
    let slot = hash & mask;
    while (this.table[slot * 3 + 2] !== 0) slot = (slot + 1) & mask;
    this.table[slot * 3] = hash;
    this.table[slot * 3 + 1] = from;
    this.table[slot * 3 + 2] = lengthAndCapitals;
    this.slotEntries[slot] = entry;
  }

  private grow(): void {
    const { table, slotEntries, slots } = this;
    this.slots = slots * 2;
    this.table = new Int32Array(this.slots * 3);
    this.slotEntries = emptySlots<Entry>(this.slots);
    for (let slot = 0; slot < slots; slot++) {
      const at = slot * 3;
      if (table[at + 2] !== 0) {
        this.place(
          table[at] as number,
          table[at + 1] as number,
          table[at + 2] as number,
          slotEntries[slot] as Entry,
        );
      }
    }
  }

  /** Texts with letters beyond ASCII: case mapping there depends on more than one character. */
  private scanTokens(prepared: string): number {
    this.count = 0;
    for (const token of tokenizePrepared(prepared, false)) this.push(this.entryOf(token.folded), token.upper);
    return this.count;
  }

  private push(entry: Entry, capitals: boolean): void {
    if (this.count === this.capitals.length) {
      const grown = new Uint8Array(this.count * 2);
      grown.set(this.capitals);
      this.capitals = grown;
    }
    this.entries[this.count] = entry;
    this.capitals[this.count] = capitals ? 1 : 0;
    this.count++;
  }
}

/** Filled by pushing: storing far past the end of an empty array makes it a slow dictionary. */
function emptySlots<T>(count: number): Array<T | undefined> {
  const slots: Array<T | undefined> = [];
  for (let i = 0; i < count; i++) slots.push(undefined);
  return slots;
}

const DOT = 0x2e;
const LOWER_S = 0x73;

/**
 * Whether a dot only separates: preparing joins dotted abbreviations ("U.S.", "E. U."), whose
 * dots lie two to four characters apart, and leaves every other dot as it is. Summaries are
 * sentences, so without this most of them would go the slow way.
 */
function isLoneDot(text: string, i: number): boolean {
  for (let d = 2; d <= 4; d++) {
    if (text.charCodeAt(i + d) === DOT || (i >= d && text.charCodeAt(i - d) === DOT)) return false;
  }
  return true;
}

/** ASCII letters and digits, and in an unprepared text the Latin letters that fold to an ASCII one. */
function isWordCode(c: number, unprepared: boolean): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 57) || (unprepared && isLatinLetter(c));
}

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isLatinLetter(c: number): boolean {
  return c >= 0xaa && c < 0x250 && unpreparedKind(c) === LATIN_LETTER;
}

/** The apostrophes of possessives this pass reads: ' ` and ’ (ʼ is a letter, ´ folds to a space). */
function isApostrophe(c: number): boolean {
  return c === 0x27 || c === 0x60 || c === 0x2019;
}

/**
 * Whether the apostrophe at i ends a possessive that preparing drops: a letter before it, then an
 * "s" that no letter or digit follows ("Petro's", not "O'Brien" nor "1's").
 */
function isPossessive(text: string, i: number): boolean {
  if (text.charCodeAt(i + 1) !== LOWER_S) return false;
  const before = text.charCodeAt(i - 1);
  if (!isAsciiLetter(before) && !isLatinLetter(before)) return false;
  return i + 2 >= text.length || !isWordCode(text.charCodeAt(i + 2), true);
}

/** What a character beyond ASCII is to an unprepared text: 0 not yet known, then one of these. */
const LATIN_LETTER = 1;
const PLAIN_SEPARATOR = 2;
const NEEDS_PREPARING = 3;
const unpreparedKinds = new Uint8Array(0x10000);

/**
 * A Latin letter whose fold is one ASCII letter (é, Ç, ª) reads as that letter; a separator
 * whose fold is made of separators other than dots and apostrophes (a dash, a non-breaking
 * space) separates, as after preparing. Anything else needs preparing first.
 */
function unpreparedKind(c: number): number {
  let kind = unpreparedKinds[c] as number;
  if (kind === 0) {
    const fold = foldDiacritics(String.fromCharCode(c));
    if (fold.length === 1 && isAsciiLetter(fold.charCodeAt(0))) kind = LATIN_LETTER;
    else if (isCaselessSeparator(c) && fold !== '' && [...fold].every(isPlainSeparator))
      kind = PLAIN_SEPARATOR;
    else kind = NEEDS_PREPARING;
    unpreparedKinds[c] = kind;
  }
  return kind;
}

function isPlainSeparator(char: string): boolean {
  const c = char.charCodeAt(0);
  if (c === DOT || isApostrophe(c) || c === 0x2bc || c === 0xb4) return false;
  return c < 0x80 ? !isWordCode(c, false) : isCaselessSeparator(c);
}

/** 0: not yet known, 1: separates words and has no case, 2: anything else. */
const separatorKinds = new Uint8Array(0x10000);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Whether a character beyond ASCII (a curly quote, a dash, a non-breaking space) only separates
 * words: no letter or digit, no case, not half of a surrogate pair. Around such characters the
 * case of ASCII letters maps one by one, so a text of ASCII words and these stays on the fast path.
 */
function isCaselessSeparator(c: number): boolean {
  let kind = separatorKinds[c] as number;
  if (kind === 0) {
    const char = String.fromCharCode(c);
    const separator =
      (c < 0xd800 || c > 0xdfff) &&
      !LETTER_OR_DIGIT.test(char) &&
      char.toLowerCase() === char &&
      char.toUpperCase() === char;
    kind = separator ? 1 : 2;
    separatorKinds[c] = kind;
  }
  return kind === 1;
}

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

/** Unicode NFKD with diacritics removed; case is kept (capitals carry meaning for US vs "us"). */
export function foldDiacritics(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '');
}

/**
 * A light plural stemmer for theme phrases in en, es and pt. Both sides of a comparison are
 * stemmed the same way, so a stem only has to be consistent, not a dictionary word:
 * strike/strikes -> strik, sancion/sanciones -> sancion, sancao/sancoes -> sancao, missile/missiles -> missil.
 */
export function stemWord(word: string): string {
  if (word.length <= 3 || /(?:ss|us|is)$/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('oes')) return `${word.slice(0, -3)}ao`;
  return word.replace(/e?s$/, '').replace(/e$/, '');
}

export function tokenize(text: string): Token[] {
  const prepared = foldDiacritics(text)
    .replace(DOTTED_ABBREVIATION, (m) => `${m.replace(/[.\s]/g, '')} `)
    .replace(POSSESSIVE, '$1');
  const tokens: Token[] = [];
  for (const match of prepared.matchAll(WORD)) {
    const word = match[0];
    const folded = word.toLowerCase();
    tokens.push({ folded, stem: stemWord(folded), upper: word.length > 1 && word === word.toUpperCase() });
  }
  return tokens;
}

/** Folded words only, for comparing and hashing text (e.g. near-identical headlines). */
export function normaliseForComparison(text: string): string {
  return tokenize(text)
    .map((t) => t.folded)
    .join(' ');
}

import { describe, expect, it } from 'vitest';
import { stemWord, tokenize } from '#shared/storyline/normalise-text.ts';

const folded = (text: string) => tokenize(text).map((t) => t.folded);

describe('tokenize', () => {
  it('gives the same tokens for a text seen a moment ago, stems only when asked for', () => {
    const title = 'Sanciones contra Petro';
    const bare = tokenize(title, false);
    const stemmed = tokenize(title);
    for (const other of ['one', 'two', 'three', 'four', 'five']) tokenize(other);
    expect(bare.map((t) => t.stem)).toEqual(['', '', '']);
    expect(stemmed.map((t) => t.stem)).toEqual(['sancion', 'contra', 'petro']);
    expect(tokenize(title, false)).toEqual(bare);
    expect(tokenize(title)).toEqual(stemmed);
  });

  it('folds diacritics and case', () => {
    expect(folded('Bogotá: Nicolás Maduro y la Colômbia')).toEqual([
      'bogota',
      'nicolas',
      'maduro',
      'y',
      'la',
      'colombia',
    ]);
  });

  it('joins dotted abbreviations into one word without swallowing the next one', () => {
    expect(folded('U.S. strikes')).toEqual(['us', 'strikes']);
    expect(folded('EE. UU. y Colombia')).toEqual(['eeuu', 'y', 'colombia']);
    expect(folded('in the U.S. The talks')).toEqual(['in', 'the', 'us', 'the', 'talks']);
  });

  it('drops possessives and splits on hyphens and curly quotes', () => {
    expect(folded('Petro’s “narco-terrorist” claim')).toEqual(['petro', 'narco', 'terrorist', 'claim']);
    expect(folded("Colombia's president")).toEqual(['colombia', 'president']);
  });

  it('remembers which words were written in capitals', () => {
    const tokens = tokenize('US tells us');
    expect(tokens.map((t) => t.upper)).toEqual([true, false, false]);
  });
});

describe('stemWord', () => {
  it('brings singular and plural forms together in English, Spanish and Portuguese', () => {
    expect(stemWord('strikes')).toBe(stemWord('strike'));
    expect(stemWord('sanciones')).toBe(stemWord('sancion'));
    expect(stemWord('sancoes')).toBe(stemWord('sancao'));
    expect(stemWord('aranceles')).toBe(stemWord('arancel'));
    expect(stemWord('countries')).toBe(stemWord('country'));
  });

  it('leaves short words and words ending in -ss, -us, -is alone', () => {
    expect(stemWord('us')).toBe('us');
    expect(stemWord('crisis')).toBe('crisis');
    expect(stemWord('press')).toBe('press');
  });
});

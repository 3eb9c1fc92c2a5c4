import { describe, expect, it } from 'vitest';
import { cueKeyOf, cueTermsOf, normaliseCue } from '#shared/storyline/cue-words.ts';

describe('cue words', () => {
  it('makes one cue of a word family, across inflections and es/pt spellings', () => {
    const keys = ['encallado', 'encalla', 'encallan', 'encallados'].map(cueKeyOf);
    expect(new Set(keys)).toEqual(new Set(['encall']));
    expect(cueKeyOf('bloqueo')).toBe(cueKeyOf('bloqueio'));
    expect(cueKeyOf('hurricanes')).toBe(cueKeyOf('hurricane'));
  });

  it('keeps short words whole and never makes cues of function words or numbers', () => {
    expect(cueKeyOf('boat')).toBe('boat');
    expect(cueKeyOf('the')).toBeUndefined();
    expect(cueKeyOf('de')).toBeUndefined();
    expect(cueKeyOf('2025')).toBeUndefined();
  });

  it('reads a cue written in a storyline file the way headlines are read', () => {
    expect(normaliseCue('Hurricanes')).toBe(cueKeyOf('hurricane'));
    expect(normaliseCue('narco lancha')).toBe('narco lancha');
    expect(normaliseCue('the of')).toBeUndefined();
    expect(normaliseCue('three words here')).toBeUndefined();
    expect(cueTermsOf('Buque encallado en Suez')).toEqual([
      'buqu',
      'encall',
      'suez',
      'buqu encall',
      'encall suez',
    ]);
  });
});

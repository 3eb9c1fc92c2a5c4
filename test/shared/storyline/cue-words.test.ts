import { describe, expect, it } from 'vitest';
import { cueKeyOf, cueTermsOf, normaliseCue } from '#shared/storyline/cue-words.ts';

describe('cue words', () => {
  it('makes one cue of a word family, across inflections and es/pt spellings', () => {
    const keys = ['encallado', 'encalla', 'encallan', 'encallados'].map(cueKeyOf);
    expect(new Set(keys)).toEqual(new Set(['encala']));
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
      'encala',
      'suez',
      'buqu encala',
      'encala suez',
    ]);
  });

  it('makes one cue of a word as English, Spanish and Portuguese spell it', () => {
    for (const family of [
      ['accident', 'accidente', 'acidente', 'accidents'],
      ['victimas', 'vitimas', 'víctima'],
      ['tragedy', 'tragedia', 'tragédias'],
      ['emergency', 'emergencia', 'emergência'],
      ['philosophy', 'filosofia'],
    ]) {
      expect(new Set(family.map((w) => cueKeyOf(w.normalize('NFD').replace(/\p{M}/gu, ''))))).toHaveProperty(
        'size',
        1,
      );
    }
    // Short words keep their spelling: "acts" is not "ats".
    expect(cueKeyOf('acts')).toBe('act');
    expect(cueKeyOf('petro')).toBe('petro');
  });
});

import { describe, expect, it } from 'vitest';
import { cognatesOf } from '#shared/storyline/draft-cognates.ts';

describe('cognatesOf', () => {
  it('spells Spanish and Portuguese news words by the rules that relate them, folded', () => {
    expect(cognatesOf('encalhado', 'pt', 'es')).toEqual(['encallado']);
    expect(cognatesOf('investigação', 'pt', 'es')).toEqual(['investigacion']);
    expect(cognatesOf('cooperacion de inteligencia', 'es', 'pt')).toEqual(['cooperacao de inteligencia']);
    expect(cognatesOf('sanciones', 'es', 'pt')).toEqual(['sancoes']);
    expect(cognatesOf('barco', 'es', 'pt')).toEqual(['barco']);
  });

  it('relates English only through the endings it shares, and never a language to itself', () => {
    expect(cognatesOf('investigation', 'en', 'es')).toEqual(['investigacion']);
    expect(cognatesOf('extradição', 'pt', 'en')).toEqual(['extradition']);
    expect(cognatesOf('blockage', 'en', 'pt')).toEqual([]);
    expect(cognatesOf('cooperacion de inteligencia', 'es', 'en')).toEqual([]);
    expect(cognatesOf('barco', 'es', 'en')).toEqual([]);
    expect(cognatesOf('barco', 'es', 'es')).toEqual([]);
  });

  it('writes once the consonants English doubles, as each language does, and keeps doubled vowels', () => {
    expect(cognatesOf('opposition', 'en', 'es')).toEqual(['oposicion']);
    expect(cognatesOf('opposition', 'en', 'pt')).toEqual(['oposicao']);
    expect(cognatesOf('corruption', 'en', 'es')).toEqual(['corrupcion']);
    expect(cognatesOf('actions', 'en', 'es')).toEqual(['acciones']);
    expect(cognatesOf('actions', 'en', 'pt')).toEqual(['acoes']);
    expect(cognatesOf('cooperation', 'en', 'es')).toEqual(['cooperacion']);
    expect(cognatesOf('cooperation', 'en', 'pt')).toEqual(['cooperacao']);
  });

  it('relates -sion as it relates -tion, with the double s only Spanish leaves out', () => {
    expect(cognatesOf('emissões', 'pt', 'es')).toEqual(['emisiones']);
    expect(cognatesOf('emissões', 'pt', 'en')).toEqual(['emissions']);
    expect(cognatesOf('emissions', 'en', 'es')).toEqual(['emisiones']);
    expect(cognatesOf('emissions', 'en', 'pt')).toEqual(['emissoes']);
    expect(cognatesOf('decision', 'en', 'es')).toEqual(['decision']);
    expect(cognatesOf('decisão', 'pt', 'es')).toEqual(['decision']);
  });

  it('needs a word before an ending: "ações" (shares) has no English "ations"', () => {
    expect(cognatesOf('ações', 'pt', 'en')).toEqual([]);
    expect(cognatesOf('nação', 'pt', 'en')).toEqual(['nation']);
  });
});

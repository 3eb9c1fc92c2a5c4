import { describe, expect, it } from 'vitest';
import { tokenize } from '#shared/storyline/normalise-text.ts';
import { WordScanner } from '#shared/storyline/word-scanner.ts';

/** The scanner's words as tokenize gives them: the folded word and whether it was in capitals. */
function scanned(scanner: WordScanner<string>, text: string): Array<[string, boolean]> {
  const count = scanner.scan(text);
  return Array.from({ length: count }, (_, k) => [scanner.entries[k] as string, scanner.capitals[k] === 1]);
}

const tokenized = (text: string): Array<[string, boolean]> =>
  tokenize(text, false).map((t) => [t.folded, t.upper]);

const TEXTS = [
  'US military strikes suspected drug boat in Caribbean, killing six',
  'U.S. strikes: EE. UU. y Colombia, D.C. talks',
  "Petro's “narco-terrorist” claim — Colombia’s president, Trump`s envoy",
  'Bogotá: Nicolás Maduro y la Colômbia; descertificação, SANÇÕES',
  'Us, us, US and uS; DEA, EUA; 2025 O2 3M',
  'Straße İstanbul ǅemal ﬁnal 𝐁oat 😀 ΑΣ ΟΔΟΣ',
  'tab\tseparated\u00a0non-breaking\u2009thin…ellipsis ¼ ²',
  'combining: Bogota\u0301 cafe\u0301',
  "Possessives: a's's x's' 1's é's ª's s's 's Bogotá’s AÇÃO's O'Brien rock 'n' roll Petro'sX",
  'Accents in any case: ÉXITO Éxito éXITO Ñandú çà ÿŸ ŉ Ǆ ǈ ſ ı Ĳ ﬀ º ² µ',
  'Separators: «guerra» ¿Qué? ¡Hola! – · × € © ° x\u00a0y x\u00ady x\u200by a´s x＇s Ａ ＵＳ U․S․',
  'Sentences. Of a summary. With 3.5 per cent, e.g. this, A. B. Smith, Jr. and a.m.',
  'Dots: ab.cd. abc.de. a.b a..b a. .b x.y.z 1.2.3 Sr.Trump é.Ü. É. Ç. end.',
  '',
  '   ...   ',
];

describe('WordScanner', () => {
  it('reads the words tokenize reads, folded, with their capitals', () => {
    const scanner = new WordScanner((folded) => folded);
    for (const text of TEXTS) expect(scanned(scanner, text), text).toEqual(tokenized(text));
    // Again, now that every written form is in its table.
    for (const text of TEXTS) expect(scanned(scanner, text), text).toEqual(tokenized(text));
  });

  it('reads every short arrangement of letters, dots and spaces as tokenize does', () => {
    // Dots join abbreviations only when another dot lies near, so try every neighbourhood.
    const scanner = new WordScanner((folded) => folded);
    const alphabet = ['a', 'B', '.', ' ', 'é'];
    for (let n = 1; n <= 6; n++) {
      for (let code = 0; code < alphabet.length ** n; code++) {
        let text = '';
        for (let k = 0, c = code; k < n; k++, c = Math.floor(c / alphabet.length)) {
          text += alphabet[c % alphabet.length];
        }
        expect(scanned(scanner, text), text).toEqual(tokenized(text));
      }
    }
  });

  it('makes each entry once per written form', () => {
    const made: string[] = [];
    const scanner = new WordScanner((folded) => {
      made.push(folded);
      return folded;
    });
    scanner.scan('Petro Petro PETRO petro');
    scanner.scan('petro and Petro');
    expect(made).toEqual(['petro', 'petro', 'petro', 'and']);
  });

  it('keeps reading correctly as its table grows, starts over and meets long words', () => {
    const scanner = new WordScanner((folded) => folded);
    const words = Array.from({ length: 60_000 }, (_, i) => `w${i.toString(36)}X`);
    for (let i = 0; i < words.length; i += 10) {
      const text = words.slice(i, i + 10).join(' ');
      expect(scanned(scanner, text)).toEqual(tokenized(text));
    }
    const long = `${'a'.repeat(100)} ${'B'.repeat(70)} short`;
    expect(scanned(scanner, long)).toEqual(tokenized(long));
    expect(scanned(scanner, long)).toEqual(tokenized(long));
  });
});

import { foldDiacritics } from './normalise-text.ts';
import type { Language } from './storyline-schema.ts';

/**
 * Spanish and Portuguese share most of their news vocabulary, spelled by regular rules, and both
 * share the Latin endings of English nouns in -tion: a theme the Portuguese article wrote
 * (encalhado, investigação) finds the Spanish headline (encallado, investigación) through them.
 * Rules work on folded words, as the matcher compares them. A form the rules get wrong is simply
 * never met in a headline, so guessing costs little.
 */
type Rules = ReadonlyArray<readonly [RegExp, string]>;

const ES_TO_PT: Rules = [
  [/ciones$/, 'coes'],
  [/cion$/, 'cao'],
  [/siones$/, 'soes'],
  [/sion$/, 'sao'],
  [/dad$/, 'dade'],
  [/dades$/, 'dades'],
  [/ble$/, 'vel'],
  [/ll/g, 'lh'],
];
const PT_TO_ES: Rules = [
  [/coes$/, 'ciones'],
  [/cao$/, 'cion'],
  [/soes$/, 'siones'],
  [/sao$/, 'sion'],
  [/dade$/, 'dad'],
  [/vel$/, 'ble'],
  [/lh/g, 'll'],
  [/nh/g, 'n'],
  // Spanish writes no double s: emissão, emisión; comissão, comisión.
  [/ss/g, 's'],
];
const ROMANCE_TO_EN: Rules = [
  [/(?:ciones|coes)$/, 'tions'],
  [/(?:cion|cao)$/, 'tion'],
  [/(?:siones|soes)$/, 'sions'],
  [/(?:sion|sao)$/, 'sion'],
];
const EN_TO_ES: Rules = [
  [/tions$/, 'ciones'],
  [/tion$/, 'cion'],
  [/sions$/, 'siones'],
  [/sion$/, 'sion'],
];
const EN_TO_PT: Rules = [
  [/tions$/, 'coes'],
  [/tion$/, 'cao'],
  [/sions$/, 'soes'],
  [/sion$/, 'sao'],
];

const MIN_ROOT = 2;

const RULES: Record<Language, Partial<Record<Language, Rules>>> = {
  es: { pt: ES_TO_PT, en: ROMANCE_TO_EN },
  pt: { es: PT_TO_ES, en: ROMANCE_TO_EN },
  en: { es: EN_TO_ES, pt: EN_TO_PT },
};

/** The likely spelling (folded) of a theme form in another language, or none when no rule applies. */
export function cognatesOf(form: string, from: Language, to: Language): string[] {
  const rules = RULES[from][to];
  if (!rules) return [];
  const folded = foldDiacritics(form).toLowerCase();
  // English keeps only single words: "cooperation de inteligencia" is nobody's phrase.
  if ((from === 'en' || to === 'en') && folded.includes(' ')) return [];
  let changed = false;
  const words = folded.split(' ').map((word) => {
    let result = word;
    for (const [pattern, replacement] of rules) {
      const at = result.search(pattern);
      // An ending needs a word before it: "ações" (shares) is no "ations".
      if (at < 0 || (pattern.source.endsWith('$') && at < MIN_ROOT)) continue;
      result = result.replace(pattern, replacement);
      changed = true;
    }
    return result;
  });
  // es and pt write many words alike (barco, multa, ataque); English shares only what a rule changed.
  if (!changed && (from === 'en' || to === 'en')) return [];
  const guess = words.join(' ');
  if (from !== 'en') return [guess];
  // English doubles consonants the others write once ("opposition": oposición, oposição). Spanish
  // keeps rr, and the cc its ending makes of -ction (acción); Portuguese keeps rr and ss (ação).
  // Vowels stay doubled: "cooperation" is "cooperación".
  if (to === 'es') {
    const ending = /cion(?:es)?$/.exec(guess)?.[0] ?? '';
    return [collapse(guess.slice(0, guess.length - ending.length), /([^aeiour])\1/g) + ending];
  }
  return [collapse(guess, /([^aeiours])\1/g)];
}

function collapse(word: string, doubled: RegExp): string {
  return word.replace(doubled, '$1');
}

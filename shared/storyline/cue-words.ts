import { stemWord, tokenize } from './normalise-text.ts';

/**
 * Cue words are the words of a headline beyond the storyline's vocabulary, learned from labelled
 * headlines ("hurricane" lowers the odds, "narcolancha" raises them). A cue is a folded, lightly
 * stemmed word cut to its first letters, or two such words in a row (function words skipped between them). Function words,
 * numbers and words of one or two letters are never cues: they would only memorise headlines.
 */
const FUNCTION_WORDS = new Set(
  [
    // English
    'the a an and or but of to in on at by for with from as is are was were be been being it its this that these those',
    'he she they we you his her their our your him them who whom which what when where why how not no yes',
    'has have had do does did will would can could should may might must shall than then there here also just',
    'after before over under into out up down about against between during amid amidst says said say new more most',
    // Spanish
    'el la los las un una unos unas y o e u ni de del al en con por para sin sobre entre tras ante hasta desde',
    'que se su sus lo le les es son fue ser era han ha hay este esta estos estas ese esa eso como mas pero muy',
    'ya si no dice dicen segun contra durante hacia',
    // Portuguese
    'o os as um uma uns umas do da dos das no na nos nas ao aos pelo pela pelos pelas com em por para sem sob',
    'que se seu sua seus suas ele ela eles elas foi sao ser era tem como mais mas muito ja nao diz dizem apos',
    'entre contra durante ate desde',
  ]
    .join(' ')
    .split(' '),
);

/** The cue a folded word stands for, or undefined when the word can never be a cue. */
export function cueKeyOf(folded: string): string | undefined {
  if (folded.length < 3 || FUNCTION_WORDS.has(folded)) return undefined;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (c >= 48 && c <= 57) return undefined;
  }
  const key = sharedSpelling(stemWord(folded));
  return key.length > CUE_LETTERS ? key.slice(0, CUE_LETTERS) : key;
}

/**
 * The spelling the three languages share: doubled letters single, ct and pt as t, ph as f, th as
 * t, y as i. Cut to six letters, "accident", "accidente" and "acidente" become one cue, as do
 * "tragedy" and "tragedia", "emergency" and "emergencia": what a hundred labels teach in one
 * language then holds in the others.
 */
function sharedSpelling(word: string): string {
  // Short words are too often other words once respelt ("act" is not "at").
  if (word.length < 6) return word;
  let out = '';
  for (let i = 0; i < word.length; i++) {
    let c = word[i] as string;
    const next = word[i + 1];
    if (c === next) continue;
    if ((c === 'c' || c === 'p') && next === 't') continue;
    if (c === 'p' && next === 'h') {
      out += 'f';
      i++;
      continue;
    }
    if (c === 'h' && out.endsWith('t')) continue;
    if (c === 'y') c = 'i';
    out += c;
  }
  return out;
}

/**
 * A cue keeps a word's first six letters: a hundred labels rarely show one form of a word three
 * times, but its family together (encallado, encalla, encallan; bloqueo, bloquea, and the
 * Portuguese bloqueio) often. Chosen on the training parts: cross-validated F1 0.923 -> 0.930 on
 * the seed story, 0.889 -> 0.901 on the Tham Luang loop; five letters merged too much, seven too little
 * (confirmed on `npm run eval:pool`: trained cost 0.413 with five, 0.397 with seven, 0.392 with six).
 */
const CUE_LETTERS = 6;

/** The cue words of a text: each eligible word once, then each pair of neighbouring eligible words. */
export function cueTermsOf(text: string, bigrams = true): string[] {
  const keys: string[] = [];
  for (const token of tokenize(text, false)) {
    const key = cueKeyOf(token.folded);
    if (key !== undefined) keys.push(key);
  }
  const terms = new Set(keys);
  if (bigrams) for (let i = 1; i < keys.length; i++) terms.add(`${keys[i - 1]} ${keys[i]}`);
  return [...terms];
}

/**
 * A cue as a person may write it in a storyline file ("Hurricanes", "narco lancha") in the form the
 * matcher compares: undefined when it is not one or two eligible words.
 */
export function normaliseCue(text: string): string | undefined {
  const tokens = tokenize(text, false);
  const keys = tokens.map((t) => cueKeyOf(t.folded));
  if (keys.length === 0 || keys.length > 2 || keys.some((k) => k === undefined)) return undefined;
  return keys.join(' ');
}

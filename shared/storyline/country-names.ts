import { foldDiacritics } from './normalise-text.ts';
import { LANGUAGES, type Language } from './storyline-schema.ts';

/**
 * Countries by their names in English, Spanish and Portuguese, from the runtime's own ICU data
 * (Intl.DisplayNames). Two or three articles name a country in their own language, or only by its
 * people ("Thai", "tailandesa"); headlines in the other languages use names the articles never
 * wrote ("Thailand", "Tailandia"). A draft can only learn those from here.
 */
export interface Country {
  code: string;
  names: Record<Language, string>;
}

/** Endings that make a people or an adjective of a country's name, after the part they share. */
const PEOPLE_ENDINGS = new Set(
  (
    ' n an ian ians ans ns i is ese eses es esa esas ano ana anos anas no na nos nas ino ina inos inas ' +
    'eno ena enos enas ense enses eiro eira eiros eiras o os a as ic'
  ).split(' '),
);
/** What a country's name may end with beyond the part it shares with its people's word. */
const NAME_ENDINGS = new Set(['', 'a', 'ia', 'o', 'e', 'y', 'land']);

interface CountryIndex {
  byName: Map<string, Country>;
  byCode: Map<string, Country>;
  singleWord: Country[];
}

let index: CountryIndex | undefined;

function countries(): CountryIndex {
  if (index) return index;
  const display = Object.fromEntries(
    LANGUAGES.map((lang) => [lang, new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' })]),
  ) as Record<Language, Intl.DisplayNames>;
  const byName = new Map<string, Country>();
  const byCode = new Map<string, Country>();
  const singleWord: Country[] = [];
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const first of letters) {
    for (const second of letters) {
      const code = first + second;
      // Q* and X* are private-use codes (XK, Kosovo, aside); EU, EZ, UN and ZZ are not countries.
      if ((first === 'Q' || first === 'X') && code !== 'XK') continue;
      if (['EU', 'EZ', 'UN', 'ZZ'].includes(code)) continue;
      const names = {} as Record<Language, string>;
      let known = true;
      for (const lang of LANGUAGES) {
        // "Myanmar (Burma)", "Congo - Kinshasa": the plain part is what headlines write.
        const name = display[lang]
          .of(code)
          ?.split(/ \(| - /)[0]
          ?.trim();
        if (!name || name === code) known = false;
        else names[lang] = name;
      }
      if (!known) continue;
      const country = { code, names };
      byCode.set(code, country);
      for (const lang of LANGUAGES) byName.set(fold(names[lang]), country);
      if (LANGUAGES.some((lang) => !names[lang].includes(' '))) singleWord.push(country);
    }
  }
  index = { byName, byCode, singleWord };
  return index;
}

const fold = (text: string) => foldDiacritics(text).toLowerCase();

/** The country a name stands for, in any of the three languages ("Tailândia", "Egypt"). */
export function countryNamed(name: string): Country | undefined {
  return countries().byName.get(fold(name));
}

/**
 * Peoples whose words no regular ending makes from the country's name ("Spanish", "alemán",
 * "francês"), by ISO code: English singular, then the Spanish and Portuguese masculine singular
 * (the other genders and numbers follow from it). Without them a draft calls Spain's people
 * "Spainian" and misses every "Spanish" in the headlines.
 */
const IRREGULAR_PEOPLE: Record<string, [en: string, es: string, pt: string]> = {
  AR: ['Argentine', 'argentino', 'argentino'],
  BE: ['Belgian', 'belga', 'belga'],
  BR: ['Brazilian', 'brasileño', 'brasileiro'],
  CA: ['Canadian', 'canadiense', 'canadense'],
  CH: ['Swiss', 'suizo', 'suíço'],
  CN: ['Chinese', 'chino', 'chinês'],
  CR: ['Costa Rican', 'costarricense', 'costarriquenho'],
  DE: ['German', 'alemán', 'alemão'],
  DK: ['Danish', 'danés', 'dinamarquês'],
  DO: ['Dominican', 'dominicano', 'dominicano'],
  EC: ['Ecuadorian', 'ecuatoriano', 'equatoriano'],
  EG: ['Egyptian', 'egipcio', 'egípcio'],
  ES: ['Spanish', 'español', 'espanhol'],
  FI: ['Finnish', 'finlandés', 'finlandês'],
  FR: ['French', 'francés', 'francês'],
  GB: ['British', 'británico', 'britânico'],
  GR: ['Greek', 'griego', 'grego'],
  HN: ['Honduran', 'hondureño', 'hondurenho'],
  IE: ['Irish', 'irlandés', 'irlandês'],
  IL: ['Israeli', 'israelí', 'israelense'],
  IQ: ['Iraqi', 'iraquí', 'iraquiano'],
  JP: ['Japanese', 'japonés', 'japonês'],
  NL: ['Dutch', 'neerlandés', 'holandês'],
  NO: ['Norwegian', 'noruego', 'norueguês'],
  NZ: ['New Zealander', 'neozelandés', 'neozelandês'],
  PA: ['Panamanian', 'panameño', 'panamenho'],
  PE: ['Peruvian', 'peruano', 'peruano'],
  PH: ['Filipino', 'filipino', 'filipino'],
  PL: ['Polish', 'polaco', 'polonês'],
  PR: ['Puerto Rican', 'puertorriqueño', 'porto-riquenho'],
  PT: ['Portuguese', 'portugués', 'português'],
  PY: ['Paraguayan', 'paraguayo', 'paraguaio'],
  SA: ['Saudi', 'saudí', 'saudita'],
  SE: ['Swedish', 'sueco', 'sueco'],
  SV: ['Salvadoran', 'salvadoreño', 'salvadorenho'],
  TH: ['Thai', 'tailandés', 'tailandês'],
  TR: ['Turkish', 'turco', 'turco'],
  UA: ['Ukrainian', 'ucraniano', 'ucraniano'],
  US: ['American', 'estadounidense', 'americano'],
  UY: ['Uruguayan', 'uruguayo', 'uruguaio'],
  VN: ['Vietnamese', 'vietnamita', 'vietnamita'],
};

/** Each irregular people word, folded, in every gender and number, to its country's code. */
let irregularIndex: Map<string, string> | undefined;

function irregularPeople(): Map<string, string> {
  if (irregularIndex) return irregularIndex;
  irregularIndex = new Map();
  for (const [code, [en, es, pt]] of Object.entries(IRREGULAR_PEOPLE)) {
    for (const form of [...englishForms(en), ...iberianForms(es, 'es'), ...iberianForms(pt, 'pt')])
      irregularIndex.set(fold(form), code);
  }
  return irregularIndex;
}

/** Swiss and Chinese have no plural; Israeli, Thai and American take an s. */
function englishForms(word: string): string[] {
  return /(?:ss|sh|ch|ese)$/.test(word) ? [word] : [word, `${word}s`];
}

/**
 * español -> española, españoles, españolas (pt espanhol -> espanhóis); alemão -> alemã, alemães,
 * alemãs; belga -> belgas; israelí -> israelíes.
 */
function iberianForms(word: string, lang: 'es' | 'pt'): string[] {
  const stem = (cut: number) => word.slice(0, word.length - cut);
  if (word.endsWith('ão')) return [word, `${stem(2)}ã`, `${stem(2)}ães`, `${stem(2)}ãs`];
  if (word.endsWith('o')) return [word, `${stem(1)}a`, `${word}s`, `${stem(1)}as`];
  if (word.endsWith('í')) return [word, lang === 'es' ? `${word}es` : `${word}s`];
  if (/[aei]$/.test(word)) return [word, `${word}s`];
  // Ending in a consonant, the last vowel's accent goes once an ending follows: francés, francesa.
  const plain = foldLastAccent(word);
  const plural = lang === 'pt' && word.endsWith('ol') ? `${stem(2)}óis` : `${plain}es`;
  return [word, `${plain}a`, plural, `${plain}as`];
}

/** francés -> frances, alemán -> aleman: the accent goes once an ending follows. */
function foldLastAccent(word: string): string {
  return word.replace(
    /[áéíóúê]([^áéíóúê]*)$/u,
    (accented, rest) => foldDiacritics(accented[0] as string) + rest,
  );
}

/**
 * The country whose people or adjective a word is ("Thai", "tailandesa", "Egyptian", "mexicanos"):
 * it shares all but the last few letters of the country's name and ends as such words end. When
 * several countries fit, the one whose name it shares most of ("Nigerian": Nigeria, not Niger);
 * none when that is still a tie.
 */
export function countryOfPeople(word: string): Country | undefined {
  const w = fold(word);
  const irregular = irregularPeople().get(w);
  if (irregular) return countries().byCode.get(irregular);
  if (w.length < 4 || !/^\p{L}+$/u.test(w)) return undefined;
  let best: Country | undefined;
  let bestShared = 0;
  let tied = false;
  for (const country of countries().singleWord) {
    let shared = 0;
    for (const lang of LANGUAGES) shared = Math.max(shared, sharedAsPeople(fold(country.names[lang]), w));
    if (shared === 0 || shared < bestShared) continue;
    tied = shared === bestShared && best !== undefined;
    if (shared > bestShared) {
      best = country;
      bestShared = shared;
    }
  }
  return tied ? undefined : best;
}

/** How many letters `word` shares with `name` as a people word of it, or 0 when it is not one. */
function sharedAsPeople(name: string, word: string): number {
  if (name.includes(' ') || name === word) return 0;
  let shared = 0;
  while (shared < name.length && shared < word.length && name[shared] === word[shared]) shared++;
  return shared >= 4 && NAME_ENDINGS.has(name.slice(shared)) && PEOPLE_ENDINGS.has(word.slice(shared))
    ? shared
    : 0;
}

/**
 * The words a country's people are most likely called in each language, made from its names by the
 * regular endings ("Chile": Chilean, chileno, chilenos; "Colombia": Colombian, colombiano): articles
 * often name a country and never its people, while headlines write "Chilean miners". A form is kept
 * only when it reads as this country's people ("Nigerian" is Nigeria's, not Niger's).
 */
export function likelyPeopleWords(country: Country): Partial<Record<Language, string[]>> {
  // No regular ending makes these peoples' words: guessing would only write "Spainian".
  if (IRREGULAR_PEOPLE[country.code]) return {};
  const result: Partial<Record<Language, string[]>> = {};
  for (const lang of LANGUAGES) {
    const name = fold(country.names[lang]);
    if (name.includes(' ') || name.length < 4) continue;
    const forms = (lang === 'en' ? englishPeople(name) : iberianPeople(name)).filter(
      (form) => countryOfPeople(form) === country,
    );
    if (forms.length > 0) result[lang] = forms;
  }
  return result;
}

function englishPeople(name: string): string[] {
  const last = name.at(-1);
  const stems =
    last === 'a'
      ? [`${name}n`]
      : last === 'e'
        ? [`${name}an`]
        : last === 'o'
          ? [`${name.slice(0, -1)}an`]
          : last === 'y'
            ? [`${name.slice(0, -1)}ian`]
            : /[aeiou]/.test(last ?? '')
              ? []
              : [`${name}ian`, `${name}i`];
  return stems.flatMap((stem) => [stem, `${stem}s`]);
}

function iberianPeople(name: string): string[] {
  const last = name.at(-1);
  const stem =
    last === 'a' || last === 'o'
      ? `${name.slice(0, -1)}an`
      : last === 'e'
        ? `${name.slice(0, -1)}en`
        : `${name}en`;
  return ['o', 'a', 'os', 'as'].map((ending) => stem + ending);
}

import { type Country, countryNamed, countryOfPeople, likelyPeopleWords } from './country-names.ts';
import { foldDiacritics, slug } from './normalise-text.ts';
import { LANGUAGES, type Language, type Storyline } from './storyline-schema.ts';

type Actor = Storyline['actors'][number];
type Theme = Storyline['themes'][number];

/**
 * Gives a draft's countries the names every language uses. A place actor that is a country, or its
 * people ("Thai"), is named after the country and gets its names in English, Spanish and Portuguese;
 * two actors for one country become one; a one-word theme that is only the adjective of such a
 * country ("tailandesa") joins its aliases instead.
 */
export function withCountries(
  actors: readonly Actor[],
  themes: readonly Theme[],
): { actors: Actor[]; themes: Theme[] } {
  const byCountry = new Map<string, Actor>();
  const out: Actor[] = [];
  for (const actor of actors) {
    const country = actor.kind === 'place' ? countryOf([actor.name, ...allForms(actor.aliases)]) : undefined;
    if (!country) {
      out.push(actor);
      continue;
    }
    const existing = byCountry.get(country.code);
    if (existing) {
      existing.aliases = mergeAliases(existing.aliases, actor.aliases);
      existing.weight = Math.max(existing.weight, actor.weight);
      continue;
    }
    const named: Actor = {
      ...actor,
      name: country.names.en,
      aliases: mergeAliases(actor.aliases, namesOf(country)),
    };
    byCountry.set(country.code, named);
    out.push(named);
  }

  const keptThemes: Theme[] = [];
  for (const theme of themes) {
    const forms = allForms(theme.phrases);
    const country = forms.every((f) => !f.includes(' ')) ? peopleOf(forms) : undefined;
    if (!country) {
      keptThemes.push(theme);
      continue;
    }
    let actor = byCountry.get(country.code);
    // An adjective alone ("japonés": the owner's nationality) does not make a country the setting,
    // unless the articles name no place at all ("la cueva tailandesa" is then all there is of one).
    if (!actor && !out.some((a) => a.kind === 'place')) {
      actor = countryActor(country, out);
      byCountry.set(country.code, actor);
      out.push(actor);
    }
    if (!actor) {
      keptThemes.push(theme);
      continue;
    }
    actor.aliases = mergeAliases(actor.aliases, theme.phrases);
  }
  for (const actor of out) {
    const country = actor.kind === 'place' ? countryNamed(actor.name) : undefined;
    if (country)
      actor.aliases = mergeAliases(
        actor.aliases,
        mergeAliases(peopleForms(actor.aliases, country), likelyPeopleWords(country)),
      );
  }
  return { actors: out, themes: keptThemes };
}

/**
 * The other genders and numbers of the people's words the articles wrote: a Spanish article's
 * "tailandesa" gives "tailandés", "tailandeses" and "tailandesas", in Spanish and in Portuguese
 * (which write them alike once accents are folded: "tailandês"); English "Egyptian" gives
 * "Egyptians". Only Spanish and Portuguese forms that still name the same country are kept.
 */
function peopleForms(
  aliases: Partial<Record<Language, string[]>>,
  country: Country,
): Partial<Record<Language, string[]>> {
  const en = new Set<string>();
  const iberian = new Set<string>();
  for (const lang of LANGUAGES) {
    for (const alias of aliases[lang] ?? []) {
      if (alias.includes(' ') || countryOfPeople(alias)?.code !== country.code) continue;
      const word = foldDiacritics(alias).toLowerCase();
      if (lang === 'en') {
        if (!word.endsWith('s')) en.add(`${word}s`);
        continue;
      }
      for (const form of genderAndNumber(word)) {
        if (countryOfPeople(form)?.code === country.code) iberian.add(form);
      }
    }
  }
  return { en: [...en], es: [...iberian], pt: [...iberian] };
}

/** mexicano -> mexicana, mexicanos, mexicanas; tailandesa -> tailandes, tailandeses, tailandesas. */
function genderAndNumber(word: string): string[] {
  for (const [ending, endings] of IBERIAN_PEOPLE_ENDINGS) {
    if (word.endsWith(ending) && word.length > ending.length + 2) {
      const base = word.slice(0, -ending.length);
      return endings.map((e) => base + e);
    }
  }
  return [];
}

const ES = ['es', 'esa', 'eses', 'esas'];
const O = ['o', 'a', 'os', 'as'];
const ENSE = ['ense', 'enses'];
/** Longest ending first, so "tailandeses" is read as tailand+eses, not tailandes+es. */
const IBERIAN_PEOPLE_ENDINGS: Array<[string, string[]]> = [
  ['enses', ENSE],
  ['ense', ENSE],
  ['eses', ES],
  ['esas', ES],
  ['esa', ES],
  ['es', ES],
  ['os', O],
  ['as', O],
  ['o', O],
  ['a', O],
];

/** A country as the story's setting, as a draft makes a place it found by name. */
function countryActor(country: Country, actors: readonly Actor[]): Actor {
  const base = slug(country.names.en);
  let id = base;
  for (let n = 2; actors.some((a) => a.id === id); n++) id = `${base}-${n}`;
  return {
    id,
    name: country.names.en,
    kind: 'place',
    group: 'setting',
    weight: 1,
    aliases: namesOf(country),
  };
}

function countryOf(forms: readonly string[]): Country | undefined {
  for (const form of forms) {
    const named = countryNamed(form);
    if (named) return named;
  }
  return peopleOf(forms);
}

function peopleOf(forms: readonly string[]): Country | undefined {
  const countries = forms.filter((f) => !f.includes(' ')).map((f) => countryOfPeople(f));
  const first = countries[0];
  // Every one-word form must point at the same country: "Indiana" and "Indian" do not make India.
  return first && countries.every((c) => c?.code === first.code) ? first : undefined;
}

function allForms(byLanguage: Partial<Record<Language, string[]>>): string[] {
  return LANGUAGES.flatMap((lang) => byLanguage[lang] ?? []);
}

function namesOf(country: Country): Partial<Record<Language, string[]>> {
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, [country.names[lang]]]));
}

function mergeAliases(
  a: Partial<Record<Language, string[]>>,
  b: Partial<Record<Language, string[]>>,
): Partial<Record<Language, string[]>> {
  const merged: Partial<Record<Language, string[]>> = {};
  for (const lang of LANGUAGES) {
    const forms = [...(a[lang] ?? []), ...(b[lang] ?? [])];
    if (forms.length === 0) continue;
    merged[lang] = [...new Set(forms.flatMap((form) => [form, foldDiacritics(form)]))];
  }
  return merged;
}

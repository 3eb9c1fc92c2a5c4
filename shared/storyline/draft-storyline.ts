import { COMMON_WORD_SET, LANGUAGE_MARKERS } from './common-words.ts';
import { countryNamed, countryOfPeople } from './country-names.ts';
import { priorDecision } from './decision-model.ts';
import { cognatesOf } from './draft-cognates.ts';
import { withCountries } from './draft-countries.ts';
import { findNames, type NameCandidate } from './draft-names.ts';
import { findThemes } from './draft-themes.ts';
import { translationsOf } from './draft-translations.ts';
import { foldDiacritics, slug, tokenize } from './normalise-text.ts';
import { LANGUAGES, type Language, type Storyline, storylineSchema } from './storyline-schema.ts';

export interface DraftOptions {
  id: string;
  title: string;
  /** How many times a name must appear across the articles to become an actor. */
  minMentions?: number;
  maxActors?: number;
  maxThemes?: number;
}

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Spanish', pt: 'Portuguese' };

/**
 * Drafts a storyline from articles a user already has. Actors are the names the articles repeat
 * (people, organisations, places, vessels), each with the forms the articles use, its accent-free
 * spelling and, for people, the surname met alone. Themes are the story's own vocabulary: content
 * words and word pairs several articles repeat, never function words, dates or the generic words
 * of any news report. Each article's forms are filed under its own language. Actors named in most
 * articles weigh more: those are the story's core, and the starting decision (the prior of this
 * vocabulary, which training is pulled towards) lets one of them in a headline, or any actor with
 * a theme, find the story before anything is labelled.
 */
export function draftStoryline(articles: readonly string[], options: DraftOptions): Storyline {
  const minMentions = options.minMentions ?? 2;
  // Addresses are not words of the story ("Source: https://...").
  const texts = articles.map((text) => text.replace(/\b(?:https?:\/\/|www\.)\S+/gi, ' '));
  const langs = texts.map(guessLanguage);
  const found = findNames(texts, langs);
  // A name of several words met once is still a name ("Erwin Tumiri", "Tham Luang Nan Non"):
  // after the repeated ones, while there is room. One word met once is too often a sentence's start.
  const names = found
    .filter((c) => c.mentions >= minMentions || c.name.includes(' '))
    .sort((a, b) => rankName(b) - rankName(a) || a.name.localeCompare(b.name))
    .slice(0, options.maxActors ?? 15);

  const taken = new Set<string>();
  const actors: Storyline['actors'] = [];
  for (const name of names) {
    const id = uniqueId(slug(name.name), taken);
    if (!id) continue;
    const coverage = name.articles.size / texts.length;
    actors.push({
      id,
      name: name.name,
      kind: name.kind,
      // Places are where a story happens, and where many others do: they need a theme to count.
      group: name.kind === 'place' ? 'setting' : 'story',
      weight:
        coverage >= 0.6 && name.mentions >= 3
          ? name.kind === 'place'
            ? 3
            : CORE_WEIGHT
          : name.mentions >= 4
            ? 2
            : 1,
      aliases: aliasesOf(name),
    });
  }

  // Words of every name, chosen or not ("United States" makes no theme of "states").
  const nameWords = new Set(
    found.flatMap((n) =>
      [...n.forms.values()].flatMap((forms) => [...forms].flatMap((f) => tokenize(f).map((t) => t.folded))),
    ),
  );
  const themes: Storyline['themes'] = [];
  for (const theme of findThemes(texts, langs, nameWords, {
    words: options.maxThemes ?? 20,
    pairs: Math.ceil((options.maxThemes ?? 20) / 4),
  })) {
    const id = uniqueId(slug(theme.label), taken);
    if (!id) continue;
    const phrases: Partial<Record<Language, string[]>> = {};
    for (const [lang, forms] of theme.forms)
      phrases[lang] = [...new Set([...forms].flatMap((form) => wordFamily(form, lang)))];
    // The other languages' likely spellings: three articles rarely cover a theme in all three.
    // A language no article is written in also gets the theme's translations. Where an article
    // is, its own words are the story's: on the pool, translations there only added noise.
    for (const [lang, forms] of theme.forms) {
      for (const other of LANGUAGES) {
        const translate = !langs.includes(other);
        const guessed = [...forms]
          .flatMap((form) => [
            ...cognatesOf(form, lang, other),
            ...(translate ? translationsOf(form, lang, other) : []),
          ])
          .flatMap((form) => wordFamily(form, other));
        if (guessed.length > 0) phrases[other] = [...new Set([...(phrases[other] ?? []), ...guessed])];
      }
    }
    // "corruption" and "corrupción", ranked apart, spell each other's cognates: one theme, so
    // one feature learns from the labels of both.
    const same = themes.find((t) => sharesPhrase(t.phrases, phrases));
    if (same) {
      for (const [lang, forms] of Object.entries(phrases) as Array<[Language, string[]]>) {
        same.phrases[lang] = [...new Set([...(same.phrases[lang] ?? []), ...forms])];
      }
      continue;
    }
    themes.push({ id, label: theme.label, weight: theme.label.includes(' ') ? 2 : 1, phrases });
  }

  const countries = withCountries(actors, themes);
  const languages = [...new Set(langs)].map((l) => LANGUAGE_NAMES[l]).join(' and ');
  const draft = {
    id: options.id,
    title: options.title,
    description: `Drafted from ${texts.length} article(s) in ${languages}. Check the actors and their aliases (add the forms other languages use), the themes, then label examples and train the decision.`,
    actors: countries.actors.length > 0 ? countries.actors : [placeholderActor()],
    themes: countries.themes,
    vetoes: [],
  };
  return storylineSchema.parse({ ...draft, decision: priorDecision(draft) });
}

/**
 * A protagonist named in most articles (a person, organisation or vessel): weighty enough that, in
 * the prior decision, it finds the story alone in a headline (0.5 x 5 with its group passes the
 * bias), where anyone else needs a theme or an actor of another group. Places never do.
 */
const CORE_WEIGHT = 5;

/** Names used often and in many of the articles come first. */
function rankName(name: NameCandidate): number {
  return name.mentions * (1 + name.articles.size);
}

function aliasesOf(name: NameCandidate): Partial<Record<Language, string[]>> {
  const aliases: Partial<Record<Language, string[]>> = {};
  for (const [lang, forms] of name.forms) {
    const offices = lang === 'en' ? [...name.offices] : [];
    const list = [
      name.name,
      ...[...forms].sort((a, b) => b.length - a.length),
      ...surnamesOf(name),
      ...shortFormsOf(name),
      ...companyShortFormsOf(name),
      ...wordFormsOf(forms),
      ...offices,
    ];
    aliases[lang] = [...new Set(list.flatMap((form) => [form, foldDiacritics(form)]))];
  }
  return aliases;
}

/**
 * An acronym people say as a word is also written as one: "Fifa", "Uefa", "Otan". The matcher
 * reads a short all-capitals alias only in capitals (so "US" never meets "us"); these forms meet
 * the headlines that write it the other way. Only four letters, and never a common word ("para").
 */
function wordFormsOf(forms: ReadonlySet<string>): string[] {
  return [...forms]
    .filter((form) => /^\p{Lu}{4}$/u.test(form) && !COMMON_WORD_SET.has(foldDiacritics(form).toLowerCase()))
    .map((form) => `${form[0]}${form.slice(1).toLowerCase()}`);
}

/**
 * A long name nobody gives a title to is often a place or a thing, and headlines shorten it to its
 * first two words: "Tham Luang" for "Tham Luang Nan Non", "Atletico Nacional" for "Atletico
 * Nacional of Medellin".
 */
function shortFormsOf(name: NameCandidate): string[] {
  if (name.titled || name.kind === 'organisation') return [];
  const words = name.name.split(' ');
  const cut = words.findIndex((w, i) => i > 0 && !/^\p{Lu}/u.test(w));
  const head = cut < 0 ? words : words.slice(0, cut);
  if (words.length < 3 || head.length < 2) return [];
  return [head.slice(0, 2).join(' ')];
}

/** Words that end a company's name in full and that headlines leave out: "Nissan Motor", "BHP Group". */
const COMPANY_WORDS = new Set([
  'motor',
  'motors',
  'airlines',
  'airways',
  'holdings',
  'industries',
  'petroleum',
  'group',
  'company',
  'corporation',
]);

/**
 * Headlines name a company by its first words: "Nissan" for "Nissan Motor", "Korean Air" stays
 * whole. Never a country or its people ("Singapore Airlines", "American Airlines"), nor a common word.
 */
function companyShortFormsOf(name: NameCandidate): string[] {
  if (name.kind !== 'organisation') return [];
  const words = name.name.split(' ');
  if (words.length < 2 || !COMPANY_WORDS.has(foldDiacritics(words.at(-1) as string).toLowerCase())) return [];
  const head = words.slice(0, -1).join(' ');
  const folded = foldDiacritics(head).toLowerCase();
  if (folded.length < 3 || COMMON_WORD_SET.has(folded) || countryNamed(head) || countryOfPeople(head))
    return [];
  return [head];
}

/**
 * After the first mention, articles name people by their surname: the last word, and for
 * three-word Spanish and Portuguese names the first surname too ("Nicolás Maduro Moros" -> Maduro).
 */
function surnamesOf(name: NameCandidate): string[] {
  // Only for names the articles treat as people; "Ever Given" is not Mr Given.
  if (name.kind !== 'person' || !name.titled) return [];
  const words = name.name.split(' ').filter((w) => /^\p{Lu}/u.test(w));
  if (words.length < 2) return [];
  const surnames = [words.at(-1) as string];
  if (words.length >= 3) surnames.push(words.at(-2) as string);
  return surnames.filter((w) => w.length >= 4);
}

function uniqueId(base: string, taken: Set<string>): string | undefined {
  if (!base) return undefined;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** The language most of an article's common words belong to: where its forms are filed. */
function guessLanguage(text: string): Language {
  const counts: Record<Language, number> = { en: 0, es: 0, pt: 0 };
  for (const token of tokenize(text, false)) {
    for (const lang of LANGUAGES) if (LANGUAGE_MARKERS[lang].has(token.folded)) counts[lang]++;
  }
  return LANGUAGES.reduce((best, lang) => (counts[lang] > counts[best] ? lang : best), 'en' as Language);
}

function sharesPhrase(
  a: Partial<Record<Language, string[]>>,
  b: Partial<Record<Language, string[]>>,
): boolean {
  const folded = new Set(
    Object.values(a)
      .flat()
      .map((p) => foldDiacritics(p).toLowerCase()),
  );
  return Object.values(b)
    .flat()
    .some((p) => folded.has(foldDiacritics(p).toLowerCase()));
}

function placeholderActor(): Storyline['actors'][number] {
  return {
    id: 'replace-me',
    name: 'Replace me',
    kind: 'person',
    group: 'story',
    weight: 1,
    aliases: { en: ['Replace me'] },
  };
}

/**
 * Endings that mark a word as a verb's form or a noun made from a verb, and the forms headlines
 * write of the same verb: the articles say "blockage" and "encalhado", headlines "blocked" and
 * "encalhou". Only regular verbs (-ar in es and pt), whose forms a root and an ending make.
 */
const WORD_FAMILIES: Record<Language, { ending: RegExp; forms: readonly string[] }> = {
  en: { ending: /(?:age|ment|ing|ed)$/, forms: ['ed', 'ing'] },
  es: { ending: /(?:ad[oa]s?|aban?)$/, forms: ['a', 'an', 'ó', 'ado', 'ada', 'ados', 'adas'] },
  pt: { ending: /ad[oa]s?$/, forms: ['a', 'am', 'ou', 'ado', 'ada', 'ados', 'adas'] },
};

/** A theme word with the other forms of its verb, when its ending shows it has one. */
function wordFamily(form: string, lang: Language): string[] {
  const { ending, forms } = WORD_FAMILIES[lang];
  const root = form.replace(ending, '');
  if (form.includes(' ') || root === form || root.length < 4) return [form];
  // "settlement" -> settled, settling
  const stem = lang === 'en' && root.endsWith('e') ? root.slice(0, -1) : root;
  return [form, ...forms.map((e) => stem + e)];
}

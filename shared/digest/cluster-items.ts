import type { StoredItem } from '../store/records.ts';
import { tokenize } from '../storyline/normalise-text.ts';

/** One development, as reported by one or more outlets. */
export interface DigestEntry {
  lead: StoredItem;
  /** The other reports of the same development. */
  others: StoredItem[];
  /** Every outlet that carried it, lead first. */
  sources: string[];
}

/** Reports more than this far apart (by first-seen time) are different developments. */
export const SAME_DEVELOPMENT_WINDOW_HOURS = 36;
const WORD_SIMILARITY = 0.6;
const CONCEPT_SIMILARITY = 0.75;
const MIN_CONCEPTS = 3;

// Words too common to say two headlines tell the same thing, in the three languages.
const STOPWORDS = new Set(
  (
    'a an the of in on at to for from by with and or as is are was were be has have had it its this that ' +
    'after over about into says said amid new' +
    ' el la los las un una de del en con por para y o que se su sus al lo es son fue tras ante sobre dice' +
    ' o os as um uma do da dos das no na nos nas em com por para e que se seu sua ao apos diz'
  ).split(' '),
);

interface Profile {
  item: StoredItem;
  words: Set<string>;
  concepts: Set<string>;
  actors: Set<string>;
  themes: Set<string>;
  numbers: Set<string>;
  seenAt: number;
}

/**
 * Groups reports of the same development. Items with the same canonical URL are already one item
 * in the store; here two reports join when they were first seen within `windowHours` (36) of each other, do
 * not disagree on a number ("kills three" vs "kills 6" is two strikes), and either share most of
 * their words (same language) or fired the same actors and themes (any language: "Petro suspends
 * intelligence sharing" and "Petro suspende el intercambio de inteligencia"). The highest-scoring
 * report leads the entry.
 */
export function clusterItems(
  items: readonly StoredItem[],
  windowHours: number = SAME_DEVELOPMENT_WINDOW_HOURS,
): DigestEntry[] {
  const windowMs = windowHours * 3_600_000;
  const profiles = items.map(profile);
  const groups: Profile[][] = [];
  for (const candidate of [...profiles].sort((a, b) => b.item.score - a.item.score || a.seenAt - b.seenAt)) {
    const group = groups.find((g) => g.some((member) => sameDevelopment(member, candidate, windowMs)));
    if (group) group.push(candidate);
    else groups.push([candidate]);
  }
  return groups.map((group) => {
    const [lead, ...others] = group.map((p) => p.item);
    const sources = [
      ...new Set(group.flatMap((p) => (p.item.sources.length > 0 ? p.item.sources : p.item.feeds))),
    ];
    return { lead: lead as StoredItem, others, sources };
  });
}

/** Higher score first; among equals, the most recently seen first. */
export function rankEntries(entries: DigestEntry[]): DigestEntry[] {
  return [...entries].sort(
    (a, b) => b.lead.score - a.lead.score || b.lead.firstSeenAt.localeCompare(a.lead.firstSeenAt),
  );
}

function profile(item: StoredItem): Profile {
  const tokens = tokenize(item.title).map((t) => t.stem);
  return {
    item,
    words: new Set(tokens.filter((t) => !STOPWORDS.has(t) && !/^\d+$/.test(t))),
    concepts: new Set([...item.actors, ...item.themes]),
    actors: new Set(item.actors),
    themes: new Set(item.themes),
    numbers: new Set(tokens.filter((t) => /^\d+$/.test(t))),
    seenAt: Date.parse(item.firstSeenAt),
  };
}

function sameDevelopment(a: Profile, b: Profile, windowMs: number): boolean {
  if (Math.abs(a.seenAt - b.seenAt) > windowMs) return false;
  if (a.numbers.size > 0 && b.numbers.size > 0 && jaccard(a.numbers, b.numbers) === 0) return false;
  if (jaccard(a.words, b.words) >= WORD_SIMILARITY) return true;
  // The same people and places doing much the same thing: a different outlet's wording.
  if (a.actors.size >= 2 && sameSet(a.actors, b.actors) && jaccard(a.themes, b.themes) >= 0.5) return true;
  return (
    a.concepts.size >= MIN_CONCEPTS &&
    b.concepts.size >= MIN_CONCEPTS &&
    jaccard(a.concepts, b.concepts) >= CONCEPT_SIMILARITY
  );
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

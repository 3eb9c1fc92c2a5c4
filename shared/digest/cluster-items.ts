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
/** Reports naming the same cast of actors join when their themes overlap this much. */
const SAME_CAST_THEME_SIMILARITY = 0.5;
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
  const index = new CandidateIndex(profiles);
  const groups: Profile[][] = [];
  const groupOf = new Map<Profile, number>();
  for (const candidate of [...profiles].sort((a, b) => b.item.score - a.item.score || a.seenAt - b.seenAt)) {
    // The earliest group holding a member of the same development, as a scan of every group would find.
    let joined = groups.length;
    for (const member of index.candidatesFor(candidate)) {
      const group = groupOf.get(member) as number;
      if (group < joined && sameDevelopment(member, candidate, windowMs)) joined = group;
    }
    if (joined === groups.length) groups.push([]);
    groups[joined]?.push(candidate);
    groupOf.set(candidate, joined);
    index.add(candidate);
  }
  return groups.map((group) => {
    const [lead, ...others] = group.map((p) => p.item);
    const sources = [
      ...new Set(group.flatMap((p) => (p.item.sources.length > 0 ? p.item.sources : p.item.feeds))),
    ];
    return { lead: lead as StoredItem, others, sources };
  });
}

/**
 * Finds, for a report, the earlier reports that can possibly be the same development, without
 * comparing every pair. Each rule of sameDevelopment needs a set similarity (Jaccard) of at least
 * t, and two such sets always share an index key:
 * - prefix filtering: ordered rarest first, they share a token among the first |X| - ceil(t|X|) + 1
 *   of each (words, and the themes of one cast of actors), so only those are indexed;
 * - for concepts (t = 0.75, a handful from a small vocabulary, so prefixes are common tokens):
 *   at 0.75, at most a quarter of either set is missing from the other, so each is indexed under
 *   itself with up to |X|/4 concepts removed, and two similar sets meet at their intersection. Large
 *   sets, whose neighbourhoods would explode, use prefix filtering; the size bands overlap so
 *   any two sets that can be similar share a scheme.
 */
class CandidateIndex {
  private readonly postings = new Map<string, Profile[]>();
  private readonly frequency = new Map<string, number>();
  private readonly keys = new Map<Profile, string[]>();

  constructor(profiles: readonly Profile[]) {
    for (const p of profiles) {
      for (const [tokens] of prefixFilteredSets(p)) {
        for (const token of tokens) this.frequency.set(token, (this.frequency.get(token) ?? 0) + 1);
      }
    }
    for (const p of profiles) {
      const prefixes = prefixFilteredSets(p).flatMap(([tokens, threshold]) =>
        this.rarestFirst(tokens).slice(0, prefixLength(tokens.length, threshold)),
      );
      this.keys.set(p, [...prefixes, ...conceptNeighbourhood(p)]);
    }
  }

  candidatesFor(candidate: Profile): Set<Profile> {
    const found = new Set<Profile>();
    for (const key of this.keys.get(candidate) ?? []) {
      for (const member of this.postings.get(key) ?? []) found.add(member);
    }
    return found;
  }

  add(p: Profile): void {
    for (const key of this.keys.get(p) ?? []) {
      const list = this.postings.get(key);
      if (list) list.push(p);
      else this.postings.set(key, [p]);
    }
  }

  private rarestFirst(tokens: string[]): string[] {
    const count = (token: string) => this.frequency.get(token) ?? 0;
    return tokens.sort((a, b) => count(a) - count(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** Concept sets up to this size are indexed by their neighbourhood (at most 46 keys each)... */
const NEIGHBOURHOOD_MAX = 9;
/** ...and from this size by prefix filtering: a set similar to one of 10 or more has 8 or more. */
const CONCEPT_PREFIX_MIN = 7;

/** The sets compared with a similarity threshold that are indexed by their rarest tokens. */
function prefixFilteredSets(p: Profile): Array<[string[], number]> {
  const sets: Array<[string[], number]> = [[[...p.words].map((w) => `w:${w}`), WORD_SIMILARITY]];
  if (p.actors.size >= 2) {
    const cast = `a:${[...p.actors].sort().join('+')}|`;
    sets.push([[...p.themes].map((t) => `${cast}${t}`), SAME_CAST_THEME_SIMILARITY]);
  }
  if (p.concepts.size >= Math.max(MIN_CONCEPTS, CONCEPT_PREFIX_MIN)) {
    sets.push([[...p.concepts].map((c) => `c:${c}`), CONCEPT_SIMILARITY]);
  }
  return sets;
}

/** The concept set with up to a quarter of it removed, each as one key. */
function conceptNeighbourhood(p: Profile): string[] {
  const size = p.concepts.size;
  if (size < MIN_CONCEPTS || size > NEIGHBOURHOOD_MAX) return [];
  const concepts = [...p.concepts].sort();
  const keys: string[] = [];
  const keep = (from: number, kept: string[], removed: number) => {
    if (from === concepts.length) {
      keys.push(`n:${kept.join('+')}`);
      return;
    }
    const concept = concepts[from] as string;
    keep(from + 1, [...kept, concept], removed);
    if (removed < Math.floor(size / 4)) keep(from + 1, kept, removed + 1);
  };
  keep(0, [], 0);
  return keys;
}

/** |X| - ceil(t|X|) + 1, rounding towards a longer prefix. */
function prefixLength(size: number, threshold: number): number {
  return size - Math.ceil(threshold * size - 1e-9) + 1;
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

/** Whether two reports tell the same development (the pairwise rule clusterItems applies). */
export function isSameDevelopment(
  a: StoredItem,
  b: StoredItem,
  windowHours: number = SAME_DEVELOPMENT_WINDOW_HOURS,
): boolean {
  return sameDevelopment(profile(a), profile(b), windowHours * 3_600_000);
}

function sameDevelopment(a: Profile, b: Profile, windowMs: number): boolean {
  if (Math.abs(a.seenAt - b.seenAt) > windowMs) return false;
  if (a.numbers.size > 0 && b.numbers.size > 0 && jaccard(a.numbers, b.numbers) === 0) return false;
  if (jaccard(a.words, b.words) >= WORD_SIMILARITY) return true;
  // The same people and places doing much the same thing: a different outlet's wording.
  if (
    a.actors.size >= 2 &&
    sameSet(a.actors, b.actors) &&
    jaccard(a.themes, b.themes) >= SAME_CAST_THEME_SIMILARITY
  )
    return true;
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

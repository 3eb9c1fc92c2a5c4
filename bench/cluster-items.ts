import { clusterItems } from '#shared/digest/cluster-items.ts';
import type { StoredItem } from '#shared/store/records.ts';
import type { BenchResult } from './bench-result.ts';

const ITEMS = 20_000;

const ACTORS = [
  'gustavo-petro',
  'donald-trump',
  'united-states',
  'colombia',
  'venezuela',
  'nicolas-maduro',
  'marco-rubio',
  'pete-hegseth',
  'southcom',
  'dea',
  'eln',
  'farc-dissidents',
  'clan-del-golfo',
  'us-navy',
  'caribbean',
  'pacific',
  'bogota',
  'washington',
  'state-department',
  'treasury',
  'ofac',
  'un',
  'oas',
  'ecuador',
  'mexico',
  'panama',
  'armando-benedetti',
  'laura-sarabia',
  'ivan-velasquez',
  'congress',
];
const THEMES = [
  'boat-strikes',
  'decertification',
  'sanctions',
  'intelligence-sharing',
  'tariffs',
  'extradition',
  'visa-revocation',
  'aid-cuts',
  'coca-eradication',
  'military-buildup',
  'diplomatic-recall',
  'detente',
];
const OUTLETS = ['Wire A', 'Wire B', 'Diario C', 'Radio D', 'Portal E', 'Gazette F', 'Noticias G', 'Folha H'];

/** A small deterministic generator, so every run clusters the same items. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A busy week of one storyline: developments reported by one to eight outlets each, reworded,
 * over seven days, sharing a small cast of actors and themes (the hard case for clustering: every
 * item shares words and concepts with thousands of others).
 */
export function syntheticWindow(count: number, seed = 7): StoredItem[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const vocabulary = Array.from({ length: 4_000 }, (_, i) => `w${i.toString(36)}`);
  // Common words are common: squaring skews picks towards the start of the vocabulary.
  const word = () => vocabulary[Math.floor(next() ** 2 * vocabulary.length)] as string;
  const items: StoredItem[] = [];
  const start = Date.parse('2025-11-10T00:00:00Z');
  while (items.length < count) {
    const actors = [...new Set([pick(ACTORS), pick(ACTORS), ...(next() < 0.5 ? [pick(ACTORS)] : [])])];
    const themes = [...new Set([pick(THEMES), ...(next() < 0.3 ? [pick(THEMES)] : [])])];
    const words = Array.from({ length: 6 + Math.floor(next() * 6) }, word);
    const number = next() < 0.2 ? ` ${1 + Math.floor(next() * 12)}` : '';
    const at = start + next() * 7 * 86_400_000;
    const reports = 1 + Math.floor(next() * 8);
    for (let r = 0; r < reports && items.length < count; r++) {
      const reworded = words.filter(() => next() > 0.15);
      if (next() < 0.5) reworded.push(word());
      const id = items.length;
      items.push({
        storylineId: 'bench',
        itemKey: `k${id}`,
        title: `${actors.join(' ')} ${reworded.join(' ')}${number}`,
        url: `https://bench.example/${id}`,
        summary: '',
        publishedAt: undefined,
        firstSeenAt: new Date(at + next() * 6 * 3_600_000).toISOString(),
        lang: 'en',
        feeds: ['bench'],
        sources: [pick(OUTLETS)],
        score: Math.round(next() * 100) / 10,
        actors: next() < 0.9 ? actors : actors.slice(0, 1),
        themes,
      });
    }
  }
  return items;
}

function timeClustering(items: readonly StoredItem[]): { seconds: number; entries: number } {
  const started = process.hrtime.bigint();
  const entries = clusterItems(items).length;
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, entries };
}

/** Clustering a digest window of 20,000 items, and 5,000 for the growth rate. */
export async function benchCluster(): Promise<BenchResult> {
  const all = syntheticWindow(ITEMS);
  const quarter = timeClustering(all.slice(0, ITEMS / 4));
  const full = timeClustering(all);
  return {
    name: 'cluster-items',
    value: Number(full.seconds.toFixed(2)),
    unit: `s for ${ITEMS.toLocaleString('en')} items`,
    target: { atMost: 5 },
    details: {
      entries: full.entries,
      quarterSeconds: Number(quarter.seconds.toFixed(3)),
      quarterEntries: quarter.entries,
      // 4 when linear in the items, 16 when quadratic.
      growthFourTimesTheItems: Number((full.seconds / quarter.seconds).toFixed(1)),
    },
  };
}

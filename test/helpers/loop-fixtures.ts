import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import type { ArchivedItem } from '#shared/store/records.ts';
import { type Storyline, storylineSchema } from '#shared/storyline/storyline-schema.ts';

/**
 * A small storyline with an explicit decision, so tests know each item's score: -1 to start,
 * +1 for Petro, +1 for a visa (half in the summary only), and the threshold given (0.5: Petro
 * and a visa are needed).
 */
export function visaStoryline(change: { threshold?: number; sportVeto?: boolean } = {}): Storyline {
  return storylineSchema.parse({
    id: 'petro-visa',
    title: 'Petro and his visa',
    description: 'A storyline for the tests of the loop.',
    actors: [{ id: 'petro', name: 'Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
    themes: [{ id: 'visa', label: 'Visa', phrases: { en: ['visa'] } }],
    vetoes: change.sportVeto
      ? [{ id: 'sport', reason: 'football', scope: 'item', phrases: { en: ['friendly match'] } }]
      : [],
    decision: {
      bias: -1,
      threshold: change.threshold ?? 0.5,
      // Half weight for what only the summary says, so the tests have scores between the steps.
      summaryWeight: 0.5,
      weights: { 'actor:petro': 1, 'theme:visa': 1, ...(change.sportVeto ? { 'veto:sport': -5 } : {}) },
    },
  });
}

export function archivedItem(key: string, title: string, over: Partial<ArchivedItem> = {}): ArchivedItem {
  return {
    itemKey: key,
    title,
    summary: '',
    url: `https://news.example/${key}`,
    feedId: 'wire',
    source: 'Wire',
    lang: 'en',
    publishedAt: '2026-01-05T10:00:00.000Z',
    firstSeenAt: new Date().toISOString(),
    ...over,
  };
}

/** Archive items headlines that tell the versions of visaStoryline apart. */
export const VISA_ITEMS: ArchivedItem[] = [
  archivedItem('both', 'Petro visa revoked by the State Department'),
  archivedItem('gained', 'Petro speaks at the UN'),
  archivedItem('lost', 'Petro visa row overshadows friendly match'),
  archivedItem('neither', 'Coffee prices rise'),
];

/** A local data directory whose archive holds `items`, seen now. */
export async function dataDirWithArchive(items: readonly ArchivedItem[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'news-monitor-loop-'));
  const database = await startEmbeddedDynamoDb(dir);
  try {
    await new DynamoStore(database.client, database.tableName).archiveItems(items, new Date());
  } finally {
    await database.close();
  }
  return dir;
}

/** Writes a storyline where the CLI can read it. */
export async function writeStoryline(dir: string, name: string, storyline: Storyline): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(storyline, null, 2));
  return file;
}

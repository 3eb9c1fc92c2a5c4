import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { sampleMatch } from '../../helpers/sample-match.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('the embedded DynamoDB (dynalite) over a data directory, as `serve` uses it', () => {
  let dataDir: string;
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'news-monitor-memory-'));
    db = await startEmbeddedDynamoDb(dataDir);
    store = new DynamoStore(db.client, db.tableName);
    for (let i = 0; i < 100; i++) {
      await store.saveMatch(
        sampleMatch({ canonicalUrl: `https://n.example/${i}`, summary: 'word '.repeat(200) }),
        new Date(Date.UTC(2025, 10, 1, 0, i)),
      );
    }
  });
  afterAll(async () => {
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives back the memory of a query: a page of items leaves nothing behind', async () => {
    const page = () => store.listRecentItems('story', 20);
    // Growth per query over 600 queries, after the caches of the client and the database are warm.
    const window = async () => {
      const before = heapAfterGc();
      for (let i = 0; i < 600; i++) await page();
      return (heapAfterGc() - before) / 600;
    };
    for (let i = 0; i < 600; i++) await page();
    // Each query used to leave its database iterator open, with what it had read ahead (7-20 KB):
    // a leak shows in every window, a one-off allocation of the process in one at most.
    const grownPerQuery = Math.min(await window(), await window());
    expect(grownPerQuery).toBeLessThan(1_000);
  }, 120_000);
});

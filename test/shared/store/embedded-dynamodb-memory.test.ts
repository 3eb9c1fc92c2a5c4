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
    for (let i = 0; i < 200; i++) await page();
    const before = heapAfterGc();
    for (let i = 0; i < 600; i++) await page();
    const grownPerQuery = (heapAfterGc() - before) / 600;
    // Each query used to leave its database iterator open, with what it had read ahead (7-20 KB).
    expect(grownPerQuery).toBeLessThan(1_000);
  }, 120_000);
});

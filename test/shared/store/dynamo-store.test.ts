import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStore, InvalidCursorError } from '#shared/store/dynamo-store.ts';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { LeanDynamoDbClient } from '#shared/store/lean-dynamodb-client.ts';
import {
  dynamoDbLocalAvailable,
  type LocalDynamoDb,
  startDynamoDbLocal,
} from '../../helpers/dynamodb-local.ts';
import { sampleMatch as match } from '../../helpers/sample-match.ts';

/**
 * The same suite runs against dynalite and, where Java is present, AWS's DynamoDB Local; and, on
 * each, through the lean client the status function uses instead of the SDK's.
 */
const backends: Array<[string, () => Promise<LocalDynamoDb>]> = [['dynalite', () => startEmbeddedDynamoDb()]];
if (dynamoDbLocalAvailable()) backends.push(['DynamoDB Local', startDynamoDbLocal]);
for (const [name, start] of [...backends])
  backends.push([`${name} through the lean client`, () => throughLeanClient(start)]);

async function throughLeanClient(start: () => Promise<LocalDynamoDb>): Promise<LocalDynamoDb> {
  const db = await start();
  const endpoint = await db.client.config.endpoint?.();
  const lean = new LeanDynamoDbClient({
    region: 'local',
    endpoint: `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}/`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { ...db, client: lean as unknown as DynamoDBClient };
}

describe.each(backends)('DynamoStore on %s', (_backend, start) => {
  let db: LocalDynamoDb;
  let store: DynamoStore;
  let n = 0;
  const storyline = () => `story-${n}`;

  beforeAll(async () => {
    db = await start();
    store = new DynamoStore(db.client, db.tableName);
  }, 90_000);
  beforeEach(() => {
    n++;
  });
  afterAll(() => db?.close());

  it('stores a match once and records the extra feed and source of a repeat', async () => {
    const t = new Date('2025-11-11T12:00:00Z');
    expect(await store.saveMatch(match({ storylineId: storyline() }), t)).toBe('stored');
    expect(await store.saveMatch(match({ storylineId: storyline() }), t)).toBe('duplicate');
    expect(
      await store.saveMatch(
        match({ storylineId: storyline(), feedId: 'feed-b', source: 'Outlet B', id: 'other' }),
        t,
      ),
    ).toBe('duplicate');
    const page = await store.listRecentItems(storyline(), 10);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      feeds: ['feed-a', 'feed-b'],
      sources: ['Outlet A', 'Outlet B'],
      firstSeenAt: t.toISOString(),
      why: 'Petro +2.1, any us +0.5',
    });
  });

  it('keys items without a URL by their id', async () => {
    const t = new Date();
    await store.saveMatch(
      match({ storylineId: storyline(), canonicalUrl: undefined, url: undefined, id: 'x' }),
      t,
    );
    await store.saveMatch(
      match({ storylineId: storyline(), canonicalUrl: undefined, url: undefined, id: 'y' }),
      t,
    );
    expect(await store.countItems(storyline())).toBe(2);
  });

  it('lists newest first with an opaque cursor, and rejects a forged one', async () => {
    for (let i = 0; i < 5; i++) {
      await store.saveMatch(
        match({ storylineId: storyline(), canonicalUrl: `https://n.example/${i}`, title: `t${i}` }),
        new Date(Date.UTC(2025, 10, 1, i)),
      );
    }
    const first = await store.listRecentItems(storyline(), 2);
    expect(first.items.map((i) => i.title)).toEqual(['t4', 't3']);
    const second = await store.listRecentItems(storyline(), 2, first.cursor);
    const third = await store.listRecentItems(storyline(), 2, second.cursor);
    expect([...second.items, ...third.items].map((i) => i.title)).toEqual(['t2', 't1', 't0']);
    await expect(store.listRecentItems('another', 2, first.cursor)).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(store.listRecentItems(storyline(), 2, 'garbage')).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('selects items by when they were first seen, after the cursor and up to a time', async () => {
    const seen = ['2025-11-01T00:00:00Z', '2025-11-02T00:00:00Z', '2025-11-03T00:00:00Z'];
    for (const [i, at] of seen.entries()) {
      await store.saveMatch(
        match({ storylineId: storyline(), canonicalUrl: `https://n.example/${i}` }),
        new Date(at),
      );
    }
    const all = await store.listItemsSeenBetween(storyline(), undefined, new Date('2025-11-02T12:00:00Z'));
    expect(all.map((i) => i.firstSeenAt)).toEqual(['2025-11-01T00:00:00.000Z', '2025-11-02T00:00:00.000Z']);
    const after = await store.listItemsSeenBetween(
      storyline(),
      all[0]?.position,
      new Date('2025-12-01T00:00:00Z'),
    );
    expect(after.map((i) => i.firstSeenAt)).toEqual(['2025-11-02T00:00:00.000Z', '2025-11-03T00:00:00.000Z']);
    expect(await store.countItems(storyline(), new Date('2025-11-02T00:00:00Z'))).toBe(2);
  });

  it('advances the digest cursor only from the position it was read at', async () => {
    const cursor = {
      storylineId: storyline(),
      position: 'p1',
      lastSentAt: 'now',
      lastItemCount: 1,
      lastMessageId: 'm',
    };
    expect(await store.advanceDigestCursor(cursor, undefined)).toBe(true);
    expect(await store.advanceDigestCursor({ ...cursor, position: 'p2' }, undefined)).toBe(false);
    expect(await store.advanceDigestCursor({ ...cursor, position: 'p2' }, 'p1')).toBe(true);
    expect((await store.getDigestCursor(storyline()))?.position).toBe('p2');
  });

  it('keeps feed states and the latest run', async () => {
    await store.saveFeedStates([
      {
        feedId: `f-${n}`,
        url: 'https://x',
        consecutiveFailures: 2,
        itemsSeen: 0,
        itemsStored: 0,
        lastError: 'boom',
      },
    ]);
    const states = await store.listFeedStates();
    expect(states.find((s) => s.feedId === `f-${n}`)).toMatchObject({
      consecutiveFailures: 2,
      lastError: 'boom',
    });
    const run = {
      feeds: 1,
      fetched: 1,
      notModified: 0,
      failed: 0,
      itemsSeen: 3,
      matched: 1,
      stored: 1,
      skipped: 0,
      backingOff: 0,
      durationMs: 5,
    };
    await store.saveRun({
      ...run,
      startedAt: '2025-11-01T00:00:00.000Z',
      finishedAt: '2025-11-01T00:00:01.000Z',
    });
    await store.saveRun({
      ...run,
      startedAt: '2025-11-02T00:00:00.000Z',
      finishedAt: '2025-11-02T00:00:01.000Z',
    });
    expect((await store.latestRun())?.startedAt).toBe('2025-11-02T00:00:00.000Z');
  });
});

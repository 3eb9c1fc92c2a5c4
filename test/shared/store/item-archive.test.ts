import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundArchivedItem, MAX_ARCHIVED_ITEM_BYTES, packedSize } from '#shared/store/archive-batches.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import type { ArchivedItem } from '#shared/store/records.ts';
import { startLocalStore } from '../../helpers/local-store.ts';

const DAY = 86_400_000;

function seen(key: string, firstSeenAt: string, extra: Partial<ArchivedItem> = {}): ArchivedItem {
  return {
    itemKey: key,
    title: `Headline ${key}`,
    summary: `Summary of ${key}`,
    url: `https://news.example/${key}`,
    feedId: 'wire',
    source: 'Wire',
    lang: 'en',
    publishedAt: firstSeenAt,
    firstSeenAt,
    ...extra,
  };
}

async function archiveRecords(db: EmbeddedDynamoDb, day: string) {
  const result = await db.client.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: marshall({ ':pk': `ARCHIVE#${day}` }),
    }),
  );
  return result.Items ?? [];
}

describe('the archive of items seen', () => {
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
  });
  afterAll(() => db.close());

  it('keeps each item with an expiry of archiveDays (30 by default) and lists it back', async () => {
    const now = new Date('2026-03-01T10:00:00Z');
    await store.archiveItems([seen('a1', now.toISOString()), seen('a2', now.toISOString())], now);
    const [record, ...others] = await archiveRecords(db, '2026-03-01');
    expect(others).toHaveLength(0);
    expect(Number(record?.expiresAt?.N)).toBe(Math.floor((now.getTime() + 30 * DAY) / 1000));
    const listed = await store.listArchivedItems(new Date(now.getTime() - DAY), now);
    expect(listed.map((i) => i.itemKey)).toEqual(['a1', 'a2']);
    expect(listed[0]).toEqual(seen('a1', now.toISOString()));
  });

  it('leaves out what has expired, before DynamoDB TTL gets round to deleting it, and what is older than asked', async () => {
    const shortLived = new DynamoStore(db.client, db.tableName, { archiveDays: 2 });
    const then = new Date('2026-04-01T10:00:00Z');
    await shortLived.archiveItems([seen('old', then.toISOString())], then);
    const dayLater = new Date(then.getTime() + DAY);
    expect((await store.listArchivedItems(then, dayLater)).map((i) => i.itemKey)).toEqual(['old']);
    const threeDaysLater = new Date(then.getTime() + 3 * DAY);
    expect(await store.listArchivedItems(then, threeDaysLater)).toEqual([]);
    expect(await store.listArchivedItems(new Date(then.getTime() + 60_000), dayLater)).toEqual([]);
  });

  it('bounds every item: a monstrous one still packs into 2 KB, its text cut with an ellipsis', async () => {
    const huge = seen('huge', '2026-05-01T00:00:00.000Z', {
      title: 'é'.repeat(10_000),
      summary: `"\u0001`.repeat(50_000),
      url: `https://news.example/${'x'.repeat(5_000)}`,
      feedId: 'f'.repeat(1_000),
      source: '😀'.repeat(1_000),
      lang: 'l'.repeat(100),
      publishedAt: 'p'.repeat(100),
    });
    expect(packedSize(huge)).toBeGreaterThan(100_000);
    const bounded = boundArchivedItem(huge);
    expect(packedSize(bounded)).toBeLessThanOrEqual(MAX_ARCHIVED_ITEM_BYTES);
    expect(bounded.title.endsWith('…')).toBe(true);
    expect(bounded.url).toBeUndefined();
    expect(bounded.source).toMatch(/^(😀)+…$/u);

    const now = new Date('2026-05-01T00:00:00Z');
    await store.archiveItems([huge], now);
    const [back] = await store.listArchivedItems(now, now);
    expect(back).toEqual(bounded);
  });

  it('packs many items into few records, and writing the same items twice writes the same records', async () => {
    const now = new Date('2026-06-01T08:00:00Z');
    const many = Array.from({ length: 3_000 }, (_, i) =>
      seen(`m${i}`, now.toISOString(), { summary: 'words '.repeat(80) }),
    );
    await store.archiveItems(many, now);
    const records = await archiveRecords(db, '2026-06-01');
    expect(records.length).toBeGreaterThan(1);
    expect(records.length).toBeLessThan(20);
    await store.archiveItems(many, now);
    expect(await archiveRecords(db, '2026-06-01')).toHaveLength(records.length);
    expect(await store.listArchivedItems(now, now)).toHaveLength(3_000);
  });

  it('lists an item seen on two days once, at its first sighting', async () => {
    const first = new Date('2026-07-01T23:00:00Z');
    const second = new Date('2026-07-03T01:00:00Z');
    await store.archiveItems([seen('again', first.toISOString())], first);
    await store.archiveItems([seen('again', second.toISOString())], second);
    const listed = await store.listArchivedItems(new Date('2026-07-01T00:00:00Z'), second);
    expect(listed.map((i) => [i.itemKey, i.firstSeenAt])).toEqual([['again', first.toISOString()]]);
  });
});

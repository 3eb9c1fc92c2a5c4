import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { storylineSchema } from '#shared/storyline/storyline-schema.ts';
import { createStatusHandler } from '../../../functions/status-handler.ts';
import { apiEvent } from '../../helpers/api-event.ts';
import { startLocalStore } from '../../helpers/local-store.ts';
import { sampleMatch } from '../../helpers/sample-match.ts';

const storyline = (id: string) =>
  storylineSchema.parse({
    id,
    title: `Story ${id}`,
    description: 'test',
    actors: [{ id: 'petro', name: 'Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
  });
const NOW = new Date('2025-11-12T12:30:00Z');
const HOUR = 3_600_000;

/** Wraps a client and adds up how many stored records the table read to answer. */
function countingClient(client: DynamoDBClient) {
  const counter = { read: 0 };
  const wrapped = {
    send: async (command: { input: object }) => {
      const result = (await client.send(command as never)) as {
        ScannedCount?: number;
        Item?: unknown;
      };
      counter.read += result.ScannedCount ?? (result.Item ? 1 : 0);
      return result;
    },
  } as unknown as DynamoDBClient;
  return { wrapped, counter };
}

describe('storyline counts kept as counters', () => {
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
  });
  afterAll(() => db?.close());

  const saveMany = async (storylineId: string, count: number, newest: Date, spacingMs: number) => {
    for (let i = 0; i < count; i++) {
      await store.saveMatch(
        sampleMatch({ storylineId, canonicalUrl: `https://n.example/${storylineId}/${i}` }),
        new Date(newest.getTime() - i * spacingMs),
      );
    }
  };

  const statusOf = async (storylineId: string, client: DynamoDBClient = db.client) => {
    const handler = createStatusHandler({
      store: new DynamoStore(client, db.tableName),
      storylines: [storyline(storylineId)],
      feeds: [],
      clock: () => NOW,
      pollIntervalMinutes: 15,
      logger: { error: vi.fn() },
    });
    const response = await handler(apiEvent('GET', '/status'));
    expect(response.statusCode).toBe(200);
    return JSON.parse(String(response.body)).storylines[0];
  };

  it('answers /status without reading every stored item: what it reads does not grow with them', async () => {
    await store.ensureItemCounts(['small', 'large'], NOW);
    await saveMany('small', 20, NOW, HOUR);
    await saveMany('large', 400, NOW, HOUR / 4);
    const small = countingClient(db.client);
    const large = countingClient(db.client);
    const smallStatus = await statusOf('small', small.wrapped);
    const largeStatus = await statusOf('large', large.wrapped);
    expect(smallStatus).toMatchObject({ items: 20, itemsLast24h: 20 });
    expect(largeStatus).toMatchObject({ items: 400 });
    expect(large.counter.read).toBeLessThanOrEqual(small.counter.read + 5);
  });

  it('counts by the hour and day as matches are stored, and not a repeat', async () => {
    await store.ensureItemCounts(['hours'], NOW);
    // One an hour from 12:30 back to 06:30 the day before; the last 24 h start at 12:00 the day before.
    await saveMany('hours', 31, NOW, HOUR);
    await store.saveMatch(
      sampleMatch({ storylineId: 'hours', canonicalUrl: 'https://n.example/hours/0' }),
      NOW,
    );
    const status = await statusOf('hours');
    expect(status.items).toBe(31);
    expect(status.itemsLast24h).toBe(25);
    expect(status.matchesPerDay.slice(-3)).toEqual([
      { day: '2025-11-10', count: 0 },
      { day: '2025-11-11', count: 18 },
      { day: '2025-11-12', count: 13 },
    ]);
  });

  it('shows the counts of data stored without counters as unknown, until they are counted once', async () => {
    await saveMany('legacy', 12, NOW, 5 * HOUR);
    await removeCounters(db.client, db.tableName, 'legacy');
    const before = await statusOf('legacy');
    expect(before).toMatchObject({ items: null, itemsLast24h: null, matchesPerDay: [] });

    await store.ensureItemCounts(['legacy'], NOW);
    const counted = await statusOf('legacy');
    expect(counted).toMatchObject({ items: 12, itemsLast24h: 5 });

    // Counting again changes nothing; new matches add to what was counted.
    await store.ensureItemCounts(['legacy'], NOW);
    await store.saveMatch(sampleMatch({ storylineId: 'legacy', canonicalUrl: 'https://n.example/new' }), NOW);
    expect(await statusOf('legacy')).toMatchObject({ items: 13, itemsLast24h: 6 });
  });

  it('lets day counters expire with the items they count', async () => {
    await store.ensureItemCounts(['ttl'], NOW);
    await store.saveMatch(sampleMatch({ storylineId: 'ttl' }), NOW);
    const rows = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :count)',
        ExpressionAttributeValues: marshall({ ':pk': 'STORY#ttl', ':count': 'COUNT#DAY#' }),
      }),
    );
    const [day] = (rows.Items ?? []).map((r) => unmarshall(r));
    const item = await db.client.send(
      new GetItemCommand({
        TableName: db.tableName,
        Key: marshall({ PK: 'STORY#ttl', SK: (await firstItemKey(db.client, db.tableName, 'ttl')) ?? '' }),
      }),
    );
    expect(day?.expiresAt).toBeGreaterThanOrEqual(unmarshall(item.Item ?? {}).expiresAt);
  });
});

async function firstItemKey(client: DynamoDBClient, tableName: string, storylineId: string) {
  const rows = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :item)',
      ExpressionAttributeValues: marshall({ ':pk': `STORY#${storylineId}`, ':item': 'ITEM#' }),
    }),
  );
  const first = rows.Items?.[0];
  return first ? String(unmarshall(first).SK) : undefined;
}

/** What a table written by a version before the counters holds: items, no counters. */
async function removeCounters(client: DynamoDBClient, tableName: string, storylineId: string) {
  const rows = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :count)',
      ExpressionAttributeValues: marshall({ ':pk': `STORY#${storylineId}`, ':count': 'COUNT#' }),
    }),
  );
  for (const row of rows.Items ?? []) {
    const { PK, SK } = unmarshall(row);
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: marshall({ PK, SK }) }));
  }
}

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { storylineSchema } from '#shared/storyline/storyline-schema.ts';
import { createStatusHandler } from '../../functions/status-handler.ts';
import { apiEvent } from '../helpers/api-event.ts';
import { dynamoDbLocalAvailable, type LocalDynamoDb, startDynamoDbLocal } from '../helpers/dynamodb-local.ts';
import { sampleMatch } from '../helpers/sample-match.ts';

const storyline = storylineSchema.parse({
  id: 'story',
  title: 'The story',
  description: 'test',
  actors: [{ id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
});
const NOW = new Date('2025-11-12T12:00:00Z');
const LONG = 'a'.repeat(5_000);

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, string>;

// DynamoDB Local checks an ExclusiveStartKey as the service does; dynalite is more lenient.
const backends: Array<[string, () => Promise<LocalDynamoDb>]> = [['dynalite', () => startEmbeddedDynamoDb()]];
if (dynamoDbLocalAvailable()) backends.push(['DynamoDB Local', startDynamoDbLocal]);

describe.each(backends)('the status API refuses malformed input with a 400 (%s)', (_name, start) => {
  let db: LocalDynamoDb;
  let handler: ReturnType<typeof createStatusHandler>;
  let real: Record<string, string>;
  const logger = { error: vi.fn() };

  beforeAll(async () => {
    db = await start();
    const store = new DynamoStore(db.client, db.tableName);
    for (let i = 0; i < 4; i++) {
      await store.saveMatch(
        sampleMatch({ storylineId: 'story', canonicalUrl: `https://n.example/${i}` }),
        new Date(NOW.getTime() - (4 - i) * 3_600_000),
      );
    }
    handler = createStatusHandler({
      store,
      storylines: [storyline],
      feeds: [],
      clock: () => NOW,
      pollIntervalMinutes: 15,
      logger,
    });
    const first = await handler(apiEvent('GET', '/storylines/story/items', { query: { limit: '2' } }));
    real = decode(JSON.parse(String(first.body)).cursor);
  }, 90_000);
  afterAll(() => db?.close());

  const expect400 = async (path: string, query: Record<string, string> = {}) => {
    const response = await handler(apiEvent('GET', path, { query }));
    expect({ status: response.statusCode, body: JSON.parse(String(response.body)) }).toEqual({
      status: 400,
      body: { error: 'bad_request', message: expect.any(String) },
    });
    return JSON.parse(String(response.body)).message as string;
  };

  it.each([
    ['bad percent-encoding', '/storylines/%ZZ/items'],
    ['a truncated escape', '/storylines/story%E2%82/items'],
    ['an empty id', '/storylines//items'],
    ['a 5,000-character id', `/storylines/${LONG}/items`],
    ['an id no storyline could have', '/storylines/Not%20An%20Id/items'],
  ])('for %s in the path', async (_case, path) => {
    expect(await expect400(path)).toMatch(/storyline id/);
  });

  it.each([
    ['-1', '-1'],
    ['1.5', '1.5'],
    ['1e1', '1e1'],
    ['0x10', '0x10'],
    ['" 5"', ' 5'],
    ['101', '101'],
    ['20 digits', '99999999999999999999'],
    ['5,000 characters', LONG],
  ])('for limit=%s', async (_case, limit) => {
    expect(await expect400('/storylines/story/items', { limit })).toMatch(/^limit/);
  });

  it.each([
    ['2025-02-30', '2025-02-30'],
    ['2025-13-01', '2025-13-01'],
    ['2025-11-11T25:00:00Z', '2025-11-11T25:00:00Z'],
    ['5,000 characters', LONG],
  ])('for since=%s', async (_case, since) => {
    expect(await expect400('/storylines/story/items', { since })).toMatch(/^since/);
  });

  it('accepts the cursor it issued', async () => {
    const response = await handler(
      apiEvent('GET', '/storylines/story/items', { query: { limit: '2', cursor: encode(real) } }),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body)).items).toHaveLength(2);
  });

  it.each<[string, (key: Record<string, string>) => unknown]>([
    ['not JSON', () => undefined],
    ['JSON null', () => null],
    ['an array', (key) => [key]],
    ['a missing field', ({ SK: _sk, ...rest }) => rest],
    ['an extra field', (key) => ({ ...key, other: 'x' })],
    ['a number for a key', (key) => ({ ...key, SK: 5 })],
    ['empty keys', (key) => ({ ...key, SK: '', GSI1SK: '' })],
    [
      '5,000-character keys',
      (key) => ({ ...key, SK: `ITEM#${LONG}`, GSI1SK: `${NOW.toISOString()}#${LONG}` }),
    ],
    ['a sort key of another entity', (key) => ({ ...key, SK: 'DIGEST#CURSOR' })],
    [
      'an index key for another item',
      (key) => ({ ...key, GSI1SK: `${NOW.toISOString()}#${'b'.repeat(27)}` }),
    ],
    ['a time that is no date', (key) => ({ ...key, GSI1SK: key.GSI1SK?.replace(/^[^#]+/, 'yesterday') })],
    ['another storyline', (key) => ({ ...key, PK: 'STORY#other', GSI1PK: 'STORY#other' })],
    ['table and index partitions that differ', (key) => ({ ...key, PK: 'STORY#other' })],
  ])('for a forged cursor: %s', async (name, forge) => {
    const cursor = name === 'not JSON' ? Buffer.from('{{{').toString('base64url') : encode(forge(real));
    expect(await expect400('/storylines/story/items', { cursor })).toMatch(/^cursor/);
  });

  it('for a cursor that lies before since', async () => {
    const since = new Date(NOW.getTime() - 60_000).toISOString();
    expect(await expect400('/storylines/story/items', { cursor: encode(real), since })).toMatch(
      /^cursor.*since/,
    );
  });

  it('never logged an internal error on the way', () => {
    expect(logger.error).not.toHaveBeenCalled();
  });
});

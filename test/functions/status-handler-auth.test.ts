import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BasicAuthGate, makeStatusCredential, parseStatusCredential } from '#shared/status/basic-auth.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { storylineSchema } from '#shared/storyline/storyline-schema.ts';
import { type RunningServer, startStatusServer } from '../../bin/local-server.ts';
import { createStatusHandler } from '../../functions/status-handler.ts';
import { apiEvent } from '../helpers/api-event.ts';
import { startLocalStore } from '../helpers/local-store.ts';

const storyline = storylineSchema.parse({
  id: 'story',
  title: 'The story',
  description: 'test',
  actors: [{ id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
});
const GOOD = `Basic ${Buffer.from('reader:s3cret phrase').toString('base64')}`;
const BAD = `Basic ${Buffer.from('reader:guess').toString('base64')}`;

describe('a private status endpoint (HTTP Basic)', () => {
  let db: EmbeddedDynamoDb;
  let handler: ReturnType<typeof createStatusHandler>;
  let server: RunningServer;

  beforeAll(async () => {
    const local = await startLocalStore();
    db = local.db;
    const deps = {
      store: local.store,
      storylines: [storyline],
      feeds: [],
      clock: () => new Date(),
      pollIntervalMinutes: 15,
      auth: new BasicAuthGate(parseStatusCredential(await makeStatusCredential('reader', 's3cret phrase'))),
    };
    handler = createStatusHandler({ ...deps, logger: { error: vi.fn() } });
    server = await startStatusServer(0, deps);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const withAuth = (path: string, authorization?: string) => {
    const event = apiEvent('GET', path);
    if (authorization) event.headers.authorization = authorization;
    return handler(event);
  };

  it.each([
    ['no credentials', undefined],
    ['a wrong password', BAD],
  ])('asks for credentials on every route when given %s', async (_case, authorization) => {
    for (const path of ['/status', '/storylines/story/items', '/storylines/nope/items', '/elsewhere']) {
      const response = await withAuth(path, authorization);
      expect(response.statusCode).toBe(401);
      expect(response.headers?.['www-authenticate']).toBe('Basic realm="news-monitor", charset="UTF-8"');
      expect(response.headers?.['cache-control']).toBe('no-store');
      expect(response.body).not.toContain('story');
    }
  });

  it('answers the right credentials, marked private so no shared cache keeps the answer', async () => {
    for (const path of ['/status', '/storylines/story/items']) {
      const response = await withAuth(path, GOOD);
      expect(response.statusCode).toBe(200);
      expect(response.headers?.['cache-control']).toBe('private, max-age=30');
    }
  });

  it('works the same through `serve`', async () => {
    expect((await fetch(`${server.url}/status`)).status).toBe(401);
    expect((await fetch(`${server.url}/status`, { headers: { authorization: GOOD } })).status).toBe(200);
  });
});

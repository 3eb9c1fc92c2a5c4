import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { storylineSchema } from '#shared/storyline/storyline-schema.ts';
import { createStatusHandler } from '../../functions/status-handler.ts';
import { apiEvent } from '../helpers/api-event.ts';
import { startLocalStore } from '../helpers/local-store.ts';
import { sampleMatch } from '../helpers/sample-match.ts';

const storyline = storylineSchema.parse({
  id: 'story',
  title: 'The story',
  description: 'test',
  actors: [{ id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
});
const NOW = new Date('2025-11-12T12:00:00Z');

describe('status handler (API Gateway HTTP API v2 events)', () => {
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let handler: ReturnType<typeof createStatusHandler>;
  const logger = { error: vi.fn() };

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    for (let i = 0; i < 5; i++) {
      await store.saveMatch(
        sampleMatch({
          storylineId: 'story',
          canonicalUrl: `https://n.example/${i}`,
          title: `Petro item ${i}`,
        }),
        new Date(NOW.getTime() - (5 - i) * 3_600_000),
      );
    }
    await store.saveMatch(
      sampleMatch({
        storylineId: 'story',
        canonicalUrl: 'https://n.example/evil',
        title: '<script>alert("x")</script> Petro',
        why: 'Gustavo Petro +2.1, "<b>storm</b>" -0.4',
      }),
      NOW,
    );
    await store.saveFeedStates([
      {
        feedId: 'good',
        url: 'https://good.example/rss',
        consecutiveFailures: 0,
        itemsSeen: 10,
        itemsStored: 6,
        lastSuccessAt: NOW.toISOString(),
      },
    ]);
    await store.saveFeedStates([
      {
        feedId: 'bad',
        url: 'https://bad.example/rss',
        consecutiveFailures: 3,
        itemsSeen: 0,
        itemsStored: 0,
        lastError: 'HTTP 500 <b>oops</b>',
      },
    ]);
    await store.saveRun({
      feeds: 2,
      fetched: 1,
      notModified: 0,
      failed: 1,
      itemsSeen: 10,
      matched: 6,
      stored: 6,
      skipped: 0,
      backingOff: 0,
      durationMs: 900,
      startedAt: '2025-11-12T11:59:00.000Z',
      finishedAt: '2025-11-12T11:59:01.000Z',
    });
    handler = createStatusHandler({
      store,
      storylines: [storyline],
      feeds: [
        { id: 'good', url: 'https://good.example/rss' },
        { id: 'bad', url: 'https://bad.example/rss' },
        { id: 'new', url: 'https://new.example/rss' },
      ],
      clock: () => NOW,
      pollIntervalMinutes: 15,
      logger,
    });
  });
  afterAll(() => db.close());

  it('GET /status reports health, the last run, every feed and the storyline counts', async () => {
    const response = await handler(apiEvent('GET', '/status'));
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toMatch(/max-age=\d+/);
    const body = JSON.parse(String(response.body));
    expect(body.health).toEqual({ state: 'degraded', reason: '1 of 3 feeds failing' });
    expect(body.lastRun).toMatchObject({ feeds: 2, failed: 1, stored: 6 });
    expect(body.feeds.map((f: { id: string }) => f.id)).toEqual(['good', 'bad', 'new']);
    expect(body.feeds[1]).toMatchObject({ consecutiveFailures: 3, lastError: 'HTTP 500 <b>oops</b>' });
    expect(body.feeds[2]).toMatchObject({ polled: false });
    expect(body.storylines).toEqual([
      expect.objectContaining({
        id: 'story',
        title: 'The story',
        items: 6,
        itemsLast24h: 6,
        lastDigest: null,
      }),
    ]);
    const [story] = body.storylines;
    expect(story.matchesPerDay).toHaveLength(14);
    expect(story.matchesPerDay.at(-1)).toEqual({ day: '2025-11-12', count: 6 });
    expect(story.latestItems).toHaveLength(5);
    expect(body.feeds[0]).toMatchObject({ id: 'good', backingOffUntil: null });
  });

  it('pages through items newest first with an opaque cursor', async () => {
    const titles: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await handler(
        apiEvent('GET', '/storylines/story/items', { query: { limit: '2', ...(cursor ? { cursor } : {}) } }),
      );
      expect(response.statusCode).toBe(200);
      const body = JSON.parse(String(response.body));
      titles.push(...body.items.map((i: { title: string }) => i.title));
      cursor = body.cursor ?? undefined;
    } while (cursor);
    expect(titles).toHaveLength(6);
    expect(titles.slice(1)).toEqual([
      'Petro item 4',
      'Petro item 3',
      'Petro item 2',
      'Petro item 1',
      'Petro item 0',
    ]);
  });

  it.each([
    ['0', 'limit'],
    ['101', 'limit'],
    ['ten', 'limit'],
  ])('answers 400 naming the parameter for limit=%s', async (limit, parameter) => {
    const response = await handler(apiEvent('GET', '/storylines/story/items', { query: { limit } }));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body))).toEqual({
      error: 'bad_request',
      message: expect.stringContaining(parameter),
    });
  });

  it('filters items by first-seen time with since, and refuses a since that is not a date', async () => {
    const recent = await handler(
      apiEvent('GET', '/storylines/story/items', { query: { since: '2025-11-12T09:30:00Z' } }),
    );
    expect(JSON.parse(String(recent.body)).items.map((i: { title: string }) => i.title)).toEqual([
      '<script>alert("x")</script> Petro',
      'Petro item 4',
      'Petro item 3',
    ]);
    const bad = await handler(
      apiEvent('GET', '/storylines/story/items', { query: { since: 'last tuesday' } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(String(bad.body))).toEqual({
      error: 'bad_request',
      message: expect.stringMatching(/^since must be/),
    });
  });

  it('answers 400 for a cursor it did not issue', async () => {
    const response = await handler(apiEvent('GET', '/storylines/story/items', { query: { cursor: 'nope' } }));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body)).message).toMatch(/^cursor/);
  });

  it('answers 404 for an unknown storyline or path, 405 for other methods', async () => {
    expect((await handler(apiEvent('GET', '/storylines/nope/items'))).statusCode).toBe(404);
    expect((await handler(apiEvent('GET', '/elsewhere'))).statusCode).toBe(404);
    const post = await handler(apiEvent('POST', '/status'));
    expect(post.statusCode).toBe(405);
    expect(post.headers?.allow).toBe('GET, HEAD');
  });

  it('serves HTML to browsers with every piece of feed text escaped', async () => {
    const status = await handler(apiEvent('GET', '/status', { accept: 'text/html,application/xhtml+xml' }));
    expect(status.headers?.['content-type']).toMatch(/^text\/html/);
    expect(status.body).toContain('HTTP 500 &lt;b&gt;oops&lt;/b&gt;');
    expect(status.body).toContain(
      '<svg role="img" aria-label="Matches per day over the last 14 days: 6 in all"',
    );
    expect(status.body).not.toContain('<script>');
    expect(status.body).not.toMatch(/<(link|script|img)\b[^>]*(src|href)="https?:/);
    const items = await handler(apiEvent('GET', '/storylines/story/items', { accept: 'text/html' }));
    expect(items.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Petro');
    expect(items.body).not.toContain('<script>');
    // Each item says why it matched: the decision's largest contributions, escaped.
    expect(items.body).toContain(
      '<td class="muted">Gustavo Petro +2.1, &quot;&lt;b&gt;storm&lt;/b&gt;&quot; -0.4 (score 8)</td>',
    );
    expect(items.body).toContain('<td class="muted">Petro +2.1, any us +0.5 (score 8)</td>');
  });

  it('answers a plain 500 without details when the table fails, and logs it', async () => {
    const broken = createStatusHandler({
      store: new DynamoStore(
        { send: () => Promise.reject(new Error('table exploded')) } as unknown as DynamoDBClient,
        't',
      ),
      storylines: [storyline],
      feeds: [],
      clock: () => NOW,
      pollIntervalMinutes: 15,
      logger,
    });
    const response = await broken(apiEvent('GET', '/status'));
    expect(response).toMatchObject({ statusCode: 500, body: 'Internal Server Error' });
    expect(logger.error).toHaveBeenCalled();
  });
});

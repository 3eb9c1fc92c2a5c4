import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
const FEED_URL = 'https://reader:hunter22@feeds.example/private/rss?apikey=k3y-v4lue&format=rss';
const SECRETS = ['reader', 'hunter22', 'k3y-v4lue', 'apikey', 'format=rss'];

describe('the status API shows nothing secret', () => {
  let db: EmbeddedDynamoDb;
  let handler: ReturnType<typeof createStatusHandler>;

  beforeAll(async () => {
    const local = await startLocalStore();
    db = local.db;
    // Stored by an earlier version, which let a relative link inherit the feed's credentials.
    await local.store.saveMatch(
      sampleMatch({
        storylineId: 'story',
        canonicalUrl: 'https://reader:hunter22@feeds.example/a',
        url: 'https://reader:hunter22@feeds.example/a?id=7',
      }),
      NOW,
    );
    await local.store.saveFeedStates([
      {
        feedId: 'private',
        url: FEED_URL,
        consecutiveFailures: 2,
        itemsSeen: 0,
        itemsStored: 0,
        lastError:
          'more than 5 redirects (last to http://reader:hunter22@feeds.example/next?apikey=k3y-v4lue); not a valid URL: https://reader:hunter22@[bad/?apikey=k3y-v4lue',
      },
      {
        feedId: 'gone',
        url: 'http://old:pass-word@gone.example/feed.xml?token=t0k3n',
        consecutiveFailures: 1,
        itemsSeen: 0,
        itemsStored: 0,
        lastError: 'HTTP 401 Unauthorized for old:pass-word, token t0k3n',
      },
    ]);
    handler = createStatusHandler({
      store: local.store,
      storylines: [storyline],
      feeds: [{ id: 'private', url: FEED_URL }],
      clock: () => NOW,
      pollIntervalMinutes: 15,
      logger: { error: vi.fn() },
    });
  });
  afterAll(() => db?.close());

  it('shows feed URLs without credentials or query strings, and errors without them either', async () => {
    const response = await handler(apiEvent('GET', '/status'));
    const body = JSON.parse(String(response.body));
    expect(body.feeds.map((f: { url: string }) => f.url)).toEqual([
      'https://feeds.example/private/rss',
      'http://gone.example/feed.xml',
    ]);
    expect(body.feeds[0].lastError).toBe(
      'more than 5 redirects (last to http://feeds.example/next); not a valid URL: https://[redacted]',
    );
    for (const secret of [...SECRETS, 'pass-word', 't0k3n']) expect(response.body).not.toContain(secret);
  });

  it('shows the same in the page', async () => {
    const page = await handler(apiEvent('GET', '/status', { accept: 'text/html' }));
    expect(page.body).toContain('more than 5 redirects (last to http://feeds.example/next)');
    for (const secret of [...SECRETS, 'pass-word', 't0k3n']) expect(page.body).not.toContain(secret);
  });

  it('shows item links without credentials', async () => {
    const items = await handler(apiEvent('GET', '/storylines/story/items'));
    expect(JSON.parse(String(items.body)).items[0].url).toBe('https://feeds.example/a?id=7');
    const status = await handler(apiEvent('GET', '/status'));
    expect(JSON.parse(String(status.body)).storylines[0].latestItems[0].url).toBe(
      'https://feeds.example/a?id=7',
    );
    const page = await handler(apiEvent('GET', '/storylines/story/items', { accept: 'text/html' }));
    expect(page.body).toContain('href="https://feeds.example/a?id=7"');
    for (const response of [items, status, page]) expect(response.body).not.toContain('hunter22');
  });
});

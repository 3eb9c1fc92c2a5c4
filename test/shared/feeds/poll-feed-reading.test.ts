import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { runPollCycle } from '#shared/feeds/poll-cycle.ts';
import { renderStatusHtml } from '#shared/status/status-html.ts';
import { buildStatus } from '#shared/status/status-model.ts';
import type { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import type { Storyline } from '#shared/storyline/storyline-schema.ts';
import { startTestServer, type TestServer } from '../../helpers/http-server.ts';
import { startLocalStore } from '../../helpers/local-store.ts';

const limits = { ...DEFAULT_FETCH_LIMITS, timeoutMs: 5_000, privateAddresses: 'allow' as const };
const post =
  'Petro suspends intelligence sharing with the United States after another boat strike in the Caribbean.';

describe('poll cycle: reading feeds', () => {
  let server: TestServer;
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let storylines: Storyline[];
  let matchers: StorylineMatcher[];
  let now = new Date('2025-11-12T12:00:00Z');
  const clock = () => now;

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    storylines = await loadStorylines('seeds/storylines');
    matchers = storylines.map((s) => new StorylineMatcher(s));
    const big = Array.from(
      { length: 20_000 },
      (_, i) => `<item><title>n ${i}</title><guid>b-${i}</guid></item>`,
    );
    server = await startTestServer({
      '/big.xml': (_req, res) =>
        void res.end(`<rss version="2.0"><channel><title>Big</title>${big.join('')}</channel></rss>`),
      '/social.xml': (_req, res) =>
        void res.end(
          `<rss version="2.0"><channel><title>Posts</title><item><guid>https://social.example/1</guid><description>${post}</description></item></channel></rss>`,
        ),
      '/located.xml': (_req, res) =>
        void res
          .writeHead(200, { 'content-location': 'https://outlet.example/news/' })
          .end(
            `<rss version="2.0"><channel><title>Located</title><item><title>Colombia's Petro halts intelligence sharing with the US over Caribbean boat strikes</title><link>2025/petro-suspends</link><guid isPermaLink="false">l-1</guid></item></channel></rss>`,
          ),
      '/cut.xml': (_req, res) =>
        void res.end(
          '<rss version="2.0"><channel><title>Cut</title><item><title>Whole</title><guid>c-1</guid></item><item><title>Ha',
        ),
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('records a feed that takes too long to read as failed, and backs off when it keeps failing', async () => {
    const feeds = [{ id: 'big', url: server.url('/big.xml') }];
    const options = { concurrency: 1, limits, parseTimeLimitMs: 1 };
    const first = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(first.run).toMatchObject({ failed: 1, fetched: 0 });
    now = new Date('2025-11-12T12:15:00Z');
    const second = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(second.feeds[0]).toMatchObject({ status: 'failed', retryAt: '2025-11-12T12:30:00.000Z' });
    const [state] = (await store.listFeedStates()).filter((s) => s.feedId === 'big');
    expect(state).toMatchObject({ consecutiveFailures: 2 });
    expect(state?.lastError).toMatch(/took longer than 1 ms/);
  });

  it('stores an untitled post under its first words, and marks a cut-off feed partial on its state and the status page', async () => {
    const feeds = [
      { id: 'social', url: server.url('/social.xml') },
      { id: 'cut', url: server.url('/cut.xml') },
    ];
    const report = await runPollCycle(feeds, { store, matchers, clock }, { concurrency: 2, limits });
    expect(report.feeds).toEqual([
      expect.objectContaining({ feedId: 'social', status: 'fetched', stored: 1 }),
      expect.objectContaining({ feedId: 'cut', status: 'fetched', itemsSeen: 1 }),
    ]);
    const storylineId = storylines[0]?.id ?? '';
    const { items } = await store.listRecentItems(storylineId, 5);
    expect(items.map((i) => i.title)).toContain(
      'Petro suspends intelligence sharing with the United States after another boat strike…',
    );
    const status = await buildStatus({ store, storylines, feeds, clock, pollIntervalMinutes: 15 });
    expect(status.feeds.find((f) => f.id === 'cut')).toMatchObject({ partial: true, itemsSeen: 1 });
    expect(status.feeds.find((f) => f.id === 'social')).toMatchObject({ partial: false });
    expect(renderStatusHtml(status)).toContain('1 (partial document)');
  });

  it("resolves an item's relative link against the response's Content-Location", async () => {
    const feeds = [{ id: 'located', url: server.url('/located.xml') }];
    const report = await runPollCycle(feeds, { store, matchers, clock }, { concurrency: 1, limits });
    expect(report.feeds[0]).toMatchObject({ status: 'fetched', stored: 1 });
    const { items } = await store.listRecentItems(storylines[0]?.id ?? '', 10);
    expect(items.find((i) => i.feeds.includes('located'))?.url).toBe(
      'https://outlet.example/news/2025/petro-suspends',
    );
  });
});

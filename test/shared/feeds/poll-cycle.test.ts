import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { backoffMs, runPollCycle } from '#shared/feeds/poll-cycle.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { fixtureFeedRoute } from '../../helpers/fixture-feeds.ts';
import { startTestServer, type TestServer } from '../../helpers/http-server.ts';
import { startLocalStore } from '../../helpers/local-store.ts';

// The test feeds are served on 127.0.0.1.
const options = {
  concurrency: 4,
  limits: { ...DEFAULT_FETCH_LIMITS, timeoutMs: 2_000, privateAddresses: 'allow' as const },
};

describe('runPollCycle', () => {
  let server: TestServer;
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let matchers: StorylineMatcher[];
  let now = new Date('2025-11-12T12:00:00Z');
  const noValidatorItems = [
    '<item><title>Petro suspends intelligence sharing with the US</title><link>https://nv.example/1</link></item>',
    '<item><title>Coffee prices rise</title><link>https://nv.example/2</link></item>',
  ];
  const clock = () => now;

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    matchers = (await loadStorylines('seeds/storylines')).map((s) => new StorylineMatcher(s));
    server = await startTestServer({
      '/andes.xml': await fixtureFeedRoute('test/fixtures/feeds/andes-wire.xml', 'application/rss+xml'),
      '/busy': (_req, res) => void res.writeHead(429, { 'retry-after': '3600' }).end(),
      '/down': (_req, res) => void res.writeHead(500).end(),
      '/no-validators': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(`<rss version="2.0"><channel><title>nv</title>${noValidatorItems.join('')}</channel></rss>`);
      },
      '/slow': (_req, res) => {
        setTimeout(
          () => res.writeHead(200).end('<rss version="2.0"><channel><title>s</title></channel></rss>'),
          300,
        );
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('keeps a failing feed from breaking the others and records why on its state', async () => {
    const feeds = [
      { id: 'good', url: server.url('/andes.xml') },
      { id: 'down', url: server.url('/down') },
    ];
    const report = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(report.run).toMatchObject({ feeds: 2, fetched: 1, failed: 1, stored: 2 });
    const down = (await store.listFeedStates()).find((s) => s.feedId === 'down');
    expect(down).toMatchObject({ consecutiveFailures: 1, lastError: 'HTTP 500 Internal Server Error' });
    expect(down?.nextAttemptAt).toBeUndefined();
  });

  it('backs off after repeated failures, and honours Retry-After', async () => {
    const feeds = [
      { id: 'busy', url: server.url('/busy') },
      { id: 'down', url: server.url('/down') },
    ];
    const first = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(first.feeds).toEqual([
      {
        feedId: 'busy',
        status: 'failed',
        error: 'HTTP 429 Too Many Requests',
        retryAt: '2025-11-12T13:00:00.000Z',
        stored: 0,
      },
      // The second failure in a row of "down" (see the test above): 15 minutes.
      {
        feedId: 'down',
        status: 'failed',
        error: 'HTTP 500 Internal Server Error',
        retryAt: '2025-11-12T12:15:00.000Z',
        stored: 0,
      },
    ]);

    now = new Date('2025-11-12T12:20:00Z');
    const second = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(second.feeds.map((f) => f.status)).toEqual(['backing-off', 'failed']);
    expect(second.run).toMatchObject({ backingOff: 1, failed: 1 });

    // "down" failed a third time at 12:20, so it waits 30 minutes.
    now = new Date('2025-11-12T12:40:00Z');
    const third = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(third.feeds.map((f) => f.status)).toEqual(['backing-off', 'backing-off']);

    now = new Date('2025-11-12T13:01:00Z');
    const fourth = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(fourth.feeds.map((f) => f.status)).toEqual(['failed', 'failed']);
  });

  it('matches only items a feed without validators did not carry last time', async () => {
    const feeds = [{ id: 'no-validators', url: server.url('/no-validators') }];
    const first = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(first.run).toMatchObject({ fetched: 1, itemsSeen: 2, matched: 1, stored: 1 });

    const again = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(again.run).toMatchObject({ fetched: 1, itemsSeen: 2, matched: 0, stored: 0 });

    noValidatorItems.push(
      '<item><title>US decertifies Colombia</title><link>https://nv.example/3</link></item>',
    );
    const changed = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(changed.run).toMatchObject({ fetched: 1, itemsSeen: 3, matched: 1, stored: 1 });
  });

  it('starts no feed after the deadline, and the next run completes the rest', async () => {
    const feeds = Array.from({ length: 6 }, (_, i) => ({ id: `slow-${i}`, url: server.url('/slow') }));
    const cut = await runPollCycle(
      feeds,
      { store, matchers, clock },
      { ...options, concurrency: 2, startDeadline: Date.now() + 450 },
    );
    expect(cut.run.skipped).toBeGreaterThan(0);
    expect(cut.run.fetched + cut.run.skipped).toBe(6);
    const skipped = cut.feeds.filter((f) => f.status === 'skipped').map((f) => f.feedId);

    const rest = await runPollCycle(
      feeds.filter((f) => skipped.includes(f.id)),
      { store, matchers, clock },
      options,
    );
    expect(rest.run).toMatchObject({ fetched: skipped.length, skipped: 0 });
    const states = await store.listFeedStates();
    expect(feeds.every((f) => states.some((s) => s.feedId === f.id && s.lastSuccessAt))).toBe(true);
  });

  it('shares one stop signal among 16 fetches without a listener-leak warning, and lets go of it', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const stop = new AbortController();
    const feeds = Array.from({ length: 20 }, (_, i) => ({ id: `wide-${i}`, url: server.url('/slow') }));
    try {
      for (let cycle = 0; cycle < 2; cycle++) {
        const report = await runPollCycle(
          feeds,
          { store, matchers, clock },
          { ...options, concurrency: 16, signal: stop.signal },
        );
        expect(report.run.fetched).toBe(20);
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});

describe('backoffMs', () => {
  it('retries at once after one failure, then waits 15 minutes doubling up to 6 hours', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n) / 60_000)).toEqual([0, 15, 30, 60, 360]);
  });

  it('waits as long as the server asked, within 6 hours', () => {
    expect(backoffMs(1, 120)).toBe(120_000);
    expect(backoffMs(1, 999_999)).toBe(6 * 3_600_000);
  });
});

describe('runPollCycle with items that cannot all be stored', () => {
  let server: TestServer;
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let matchers: StorylineMatcher[];
  const clock = () => new Date('2025-11-12T12:00:00Z');
  const relevant = (n: number) =>
    `<item><title>Petro suspends intelligence sharing with the US (${n})</title><link>https://pf.example/${n}</link></item>`;
  const other = (n: number) =>
    `<item><title>Coffee harvest beats forecasts (${n})</title><link>https://pf.example/o/${n}</link></item>`;
  const rss = (items: string[]) =>
    `<rss version="2.0"><channel><title>pf</title>${items.join('')}</channel></rss>`;
  const serve =
    (body: () => string) =>
    (_req: unknown, res: import('node:http').ServerResponse): void =>
      void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body());
  const huge = 'x'.repeat(450 * 1024);
  const large = Array.from({ length: 5_000 }, (_, i) => (i % 10 === 0 ? relevant(i) : other(i)));
  const many = Array.from({ length: 200 }, (_, i) => relevant(10_000 + i));

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    matchers = (await loadStorylines('seeds/storylines')).map((s) => new StorylineMatcher(s));
    server = await startTestServer({
      '/oversized': serve(() =>
        rss([
          relevant(1),
          `<item><title>Petro suspends intelligence sharing with the US (long link)</title><link>https://pf.example/${huge}</link></item>`,
          `<item><title>Petro suspends intelligence sharing with the US (long guid)</title><guid isPermaLink="false">${huge}</guid></item>`,
          relevant(2),
        ]),
      ),
      '/large': serve(() => rss(large)),
      '/many': serve(() => rss(many)),
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('skips and counts an item over the 400 KB item limit, and stores the others', async () => {
    const feeds = [{ id: 'oversized', url: server.url('/oversized') }];
    const report = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(report.feeds[0]).toMatchObject({ status: 'fetched', matched: 4, stored: 2, itemsSkipped: 2 });
    expect(report.run).toMatchObject({ fetched: 1, failed: 0, stored: 2, itemsSkipped: 2 });
    const state = (await store.listFeedStates()).find((s) => s.feedId === 'oversized');
    expect(state).toMatchObject({ consecutiveFailures: 0, itemsStored: 2, itemsSkipped: 2 });
    expect(state?.lastItemError).toMatch(/^item .* skipped: \d+ bytes, over DynamoDB's 400 KB item limit$/);
    expect(state?.lastError).toBeUndefined();
  });

  it('counts in itemsStored what was stored before the table failed', async () => {
    let writes = 0;
    class FailingStore extends DynamoStore {
      override async saveMatch(...args: Parameters<DynamoStore['saveMatch']>) {
        if (++writes > 3) throw new Error('Throughput exceeds the current capacity of your table');
        return super.saveMatch(...args);
      }
    }
    const failing = new FailingStore(db.client, db.tableName);
    const feeds = [{ id: 'many-failing', url: server.url('/many') }];
    const report = await runPollCycle(feeds, { store: failing, matchers, clock }, options);
    expect(report.run).toMatchObject({ failed: 1, stored: 3 });
    const state = (await store.listFeedStates()).find((s) => s.feedId === 'many-failing');
    expect(state).toMatchObject({ consecutiveFailures: 1, itemsStored: 3 });
    expect(state?.lastError).toMatch(/Throughput exceeds/);
  });

  it('writes the matches of one feed a few at a time, not all at once', async () => {
    let inFlight = 0;
    let most = 0;
    class CountingStore extends DynamoStore {
      override async saveMatch(...args: Parameters<DynamoStore['saveMatch']>) {
        most = Math.max(most, ++inFlight);
        try {
          return await super.saveMatch(...args);
        } finally {
          inFlight--;
        }
      }
    }
    const counting = new CountingStore(db.client, db.tableName);
    const report = await runPollCycle(
      [{ id: 'many', url: server.url('/many') }],
      { store: counting, matchers, clock },
      options,
    );
    expect(report.run).toMatchObject({ fetched: 1, matched: 200 });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(16);
  });

  it('does not match or write again any item of a 5,000-item feed polled twice without changes', async () => {
    let writes = 0;
    class CountingStore extends DynamoStore {
      override async saveMatch(...args: Parameters<DynamoStore['saveMatch']>) {
        writes++;
        return super.saveMatch(...args);
      }
    }
    const counting = new CountingStore(db.client, db.tableName);
    const feeds = [{ id: 'large', url: server.url('/large') }];
    const first = await runPollCycle(feeds, { store: counting, matchers, clock }, options);
    expect(first.run).toMatchObject({ fetched: 1, itemsSeen: 5_000, matched: 500, stored: 500 });
    writes = 0;
    const second = await runPollCycle(feeds, { store: counting, matchers, clock }, options);
    expect(second.run).toMatchObject({ fetched: 1, itemsSeen: 5_000, matched: 0, stored: 0 });
    expect(writes).toBe(0);

    large.push(relevant(99_999));
    const changed = await runPollCycle(feeds, { store: counting, matchers, clock }, options);
    expect(changed.run).toMatchObject({ itemsSeen: 5_001, matched: 1, stored: 1 });
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { runPollCycle } from '#shared/feeds/poll-cycle.ts';
import type { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { startTestServer, type TestServer } from '../../helpers/http-server.ts';
import { startLocalStore } from '../../helpers/local-store.ts';

const options = {
  concurrency: 2,
  limits: { ...DEFAULT_FETCH_LIMITS, timeoutMs: 2_000, privateAddresses: 'allow' as const },
};

function rss(items: Array<[string, string]>): string {
  const body = items.map(([title, link]) => `<item><title>${title}</title><link>${link}</link></item>`);
  return `<rss version="2.0"><channel><title>t</title>${body.join('')}</channel></rss>`;
}

describe('the poll cycle archives every item seen', () => {
  let server: TestServer;
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let matchers: StorylineMatcher[];
  let wire: Array<[string, string]> = [
    ['Petro suspends intelligence sharing with the US', 'https://a.example/petro'],
    ['Coffee prices rise in Bogotá', 'https://a.example/coffee'],
  ];
  const now = new Date('2026-02-10T12:00:00Z');
  const clock = () => now;

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    matchers = (await loadStorylines('seeds/storylines')).map((s) => new StorylineMatcher(s));
    server = await startTestServer({
      '/wire.xml': (_req, res) => void res.writeHead(200).end(rss(wire)),
      '/other.xml': (_req, res) =>
        void res.writeHead(200).end(rss([['Coffee prices rise in Bogotá', 'https://a.example/coffee']])),
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('keeps matched and unmatched items alike, once each whichever feeds carry them', async () => {
    const feeds = [
      { id: 'wire', url: server.url('/wire.xml') },
      { id: 'other', url: server.url('/other.xml') },
    ];
    const report = await runPollCycle(feeds, { store, matchers, clock }, options);
    expect(report.run).toMatchObject({ itemsSeen: 3, matched: 1, archived: 2 });
    const archived = await store.listArchivedItems(now, now);
    expect(archived.map((i) => i.title).sort()).toEqual([
      'Coffee prices rise in Bogotá',
      'Petro suspends intelligence sharing with the US',
    ]);
    expect(archived.every((i) => i.firstSeenAt === now.toISOString())).toBe(true);
  });

  it('does not archive again what a feed already carried at its last fetch, only what is new', async () => {
    wire = [...wire, ['Markets close higher', 'https://a.example/markets']];
    const spy = vi.spyOn(store, 'archiveItems');
    const report = await runPollCycle(
      [{ id: 'wire', url: server.url('/wire.xml') }],
      { store, matchers, clock },
      options,
    );
    expect(report.run.archived).toBe(1);
    expect(spy.mock.calls.flatMap(([items]) => items.map((i) => i.title))).toEqual(['Markets close higher']);
    spy.mockRestore();
    expect(await store.listArchivedItems(now, now)).toHaveLength(3);
  });

  it('records a failure to archive on the run and still stores matches and feed states', async () => {
    wire = [['EE. UU. descertifica a Colombia por primera vez', 'https://a.example/decert']];
    const spy = vi.spyOn(store, 'archiveItems').mockRejectedValueOnce(new Error('throughput exceeded'));
    const report = await runPollCycle(
      [{ id: 'wire', url: server.url('/wire.xml') }],
      { store, matchers, clock },
      options,
    );
    spy.mockRestore();
    expect(report.run).toMatchObject({ stored: 1, archived: 0 });
    expect(report.run.archiveError).toBe('archiving 1 items failed: throughput exceeded');
    expect((await store.latestRun())?.archiveError).toBe(report.run.archiveError);
    expect((await store.listFeedStates()).find((s) => s.feedId === 'wire')?.lastSuccessAt).toBeDefined();
  });
});

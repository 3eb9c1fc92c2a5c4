import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prepareDigest, sendDigest } from '#shared/digest/digest-service.ts';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { runPollCycle } from '#shared/feeds/poll-cycle.ts';
import { rematchChangedStorylines } from '#shared/feeds/rematch-archive.ts';
import type { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { startLocalStore } from '../../helpers/local-store.ts';
import { archivedItem, VISA_ITEMS, visaStoryline } from '../../helpers/loop-fixtures.ts';

describe('re-matching the archive when a live storyline changes', () => {
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let now = new Date('2026-03-10T12:00:00Z');
  const clock = () => now;
  const live = visaStoryline();
  const changed = visaStoryline({ threshold: -0.5, sportVeto: true });
  const notifier = { publish: vi.fn(async () => ({ messageId: 'm' })) };

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    const seenAt = new Date('2026-03-08T09:00:00Z');
    await store.archiveItems(
      VISA_ITEMS.map((i) => ({ ...i, firstSeenAt: seenAt.toISOString() })),
      seenAt,
    );
  });
  afterAll(() => db.close());

  it('runs a new storyline over the archive once, and not again while it stays the same', async () => {
    const first = await rematchChangedStorylines({ store, matchers: [new StorylineMatcher(live)], clock });
    expect(first).toEqual({ storylines: ['petro-visa'], stored: 2 });
    const read = vi.spyOn(store, 'listArchivedItems');
    now = new Date('2026-03-10T12:15:00Z');
    const again = await rematchChangedStorylines({ store, matchers: [new StorylineMatcher(live)], clock });
    expect(again).toEqual({ storylines: [], stored: 0 });
    expect(read).not.toHaveBeenCalled();
    read.mockRestore();
    const sent = await sendDigest(live, { store, clock, notifier });
    expect(sent.status).toBe('sent');
  });

  it('stores what a changed storyline now keeps, and the next digest shows it as found by the change', async () => {
    now = new Date('2026-03-10T12:30:00Z');
    const report = await runPollCycle(
      [],
      { store, matchers: [new StorylineMatcher(changed)], clock },
      { concurrency: 1, limits: DEFAULT_FETCH_LIMITS },
    );
    // "Petro visa revoked" was stored already; "Petro speaks at the UN" is new; what it loses stays.
    expect(report.run.rematched).toBe(1);
    const digest = await prepareDigest(changed, { store, clock: () => new Date('2026-03-10T13:00:00Z') });
    expect(digest.itemCount).toBe(1);
    expect(digest.text).toContain(
      '1. Petro speaks at the UN\n   Wire | 2026-01-05 10:00 UTC\n   https://news.example/gained\n   Why: Petro +1.0 (score 0)\n   Found by the changed storyline, in items seen before the change',
    );
    const [item] = (await store.listRecentItems('petro-visa', 1)).items;
    expect(item).toMatchObject({
      title: 'Petro speaks at the UN',
      foundBy: 'storyline-change',
      feeds: ['wire'],
    });
  });

  it('records a failure on the run and tries again at the next run', async () => {
    const newer = visaStoryline({ threshold: -1.5 });
    const read = vi.spyOn(store, 'listArchivedItems').mockRejectedValueOnce(new Error('throttled'));
    const failed = await rematchChangedStorylines({ store, matchers: [new StorylineMatcher(newer)], clock });
    expect(failed).toEqual({
      storylines: [],
      stored: 0,
      error: 're-matching the archive for petro-visa failed: throttled',
    });
    await store.archiveItems(
      [archivedItem('late', 'Weather in Bogotá', { firstSeenAt: now.toISOString() })],
      now,
    );
    const retried = await rematchChangedStorylines({ store, matchers: [new StorylineMatcher(newer)], clock });
    read.mockRestore();
    expect(retried).toEqual({ storylines: ['petro-visa'], stored: 2 });
  });
});

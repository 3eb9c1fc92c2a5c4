import { createHash } from 'node:crypto';
import { describeError } from '../errors.ts';
import { type DynamoStore, ItemRejectedError, type NewMatch } from '../store/dynamo-store.ts';
import type { AlertRunSummary, FeedState, PollCounts, PollRun } from '../store/records.ts';
import { itemKeyFor } from '../store/table-design.ts';
import type { StorylineMatcher } from '../storyline/storyline-matcher.ts';
import type { FeedSource } from './feed-list.ts';
import { FeedFetchError, FetchAbortedError, type FetchLimits, fetchFeed } from './fetch-feed.ts';
import { ItemArchiveStep } from './item-archive.ts';
import type { FeedItem } from './normalise-item.ts';
import { readFeedBytes } from './read-feed.ts';
import { packRecentItems, RecentItems } from './recent-items.ts';
import { rematchChangedStorylines } from './rematch-archive.ts';
import { shareAbortSignal } from './shared-abort-signal.ts';

export interface PollDependencies {
  store: DynamoStore;
  matchers: readonly StorylineMatcher[];
  clock: () => Date;
  /** Runs once the cycle's matches are stored: the alerts (shared/alerts/). Contains its own failures. */
  sendAlerts?: (() => Promise<AlertRunSummary>) | undefined;
}

export interface PollOptions {
  /** Feeds fetched at the same time. */
  concurrency: number;
  limits: FetchLimits;
  /** Epoch milliseconds after which no further feed is started; what was done is kept. */
  startDeadline?: number | undefined;
  /**
   * Asks the cycle to stop: no further feed starts, fetches in flight are abandoned (their feeds
   * count as skipped, not failed), fetched feeds finish storing, and states and the run are saved.
   */
  signal?: AbortSignal | undefined;
  /** Time allowed to read one feed's document; past it the feed fails (default 15 s). */
  parseTimeLimitMs?: number | undefined;
}

export type FeedOutcome =
  | {
      feedId: string;
      status: 'fetched';
      itemsSeen: number;
      matched: number;
      stored: number;
      /** Items that could not be matched or stored (too large, refused); the feed is fine. */
      itemsSkipped: number;
    }
  | { feedId: string; status: 'not-modified' }
  /** `stored`: matches written before the failure (a table that fails mid-feed). */
  | { feedId: string; status: 'failed'; error: string; retryAt: string | undefined; stored: number }
  /** Not tried: the feed failed recently (or asked us to wait) and its back-off has not run out. */
  | { feedId: string; status: 'backing-off'; retryAt: string }
  /** Not tried, or abandoned: the run's deadline came first or it was asked to stop; the next run takes it. */
  | { feedId: string; status: 'skipped' };

/**
 * Writes of one feed in flight at once: enough to overlap their waits, few enough that a feed of
 * 43,000 matches holds only these in memory (feeds themselves run `concurrency` at a time).
 */
export const WRITE_CONCURRENCY = 8;

const fingerprints = new WeakMap<readonly StorylineMatcher[], string>();

/** Identifies the storylines items were matched against; editing a storyline re-matches every item. */
function storylinesFingerprint(matchers: readonly StorylineMatcher[]): string {
  let fingerprint = fingerprints.get(matchers);
  if (!fingerprint) {
    const text = JSON.stringify(matchers.map((m) => m.storyline));
    fingerprint = createHash('sha256').update(text).digest('base64url').slice(0, 16);
    fingerprints.set(matchers, fingerprint);
  }
  return fingerprint;
}

/** Longest wait after repeated failures, and the longest Retry-After we honour. */
const MAX_BACKOFF_MS = 6 * 3_600_000;
const BACKOFF_BASE_MS = 15 * 60_000;

/**
 * How long to leave a feed alone after its `failures`-th failure in a row: the first failure is
 * retried at the next run; then 15 minutes, doubling up to 6 hours. A server's Retry-After wins
 * when it asks for longer.
 */
export function backoffMs(failures: number, retryAfterSeconds?: number): number {
  const exponential = failures <= 1 ? 0 : Math.min(MAX_BACKOFF_MS, BACKOFF_BASE_MS * 2 ** (failures - 2));
  const asked = retryAfterSeconds === undefined ? 0 : Math.min(MAX_BACKOFF_MS, retryAfterSeconds * 1000);
  return Math.max(exponential, asked);
}

export interface PollReport {
  run: PollRun;
  feeds: FeedOutcome[];
}

/**
 * One poll cycle: every feed fetched (conditionally) with bounded concurrency, its items matched
 * against every storyline, new matches stored, and the feed's state saved. A feed's failure is
 * recorded on its state and counted; it never stops the others.
 */
export async function runPollCycle(
  feeds: readonly FeedSource[],
  deps: PollDependencies,
  options: PollOptions,
  onFeedDone?: (outcome: FeedOutcome) => void,
): Promise<PollReport> {
  const startedAt = deps.clock();
  // Items stored before the storyline counters existed are counted once, before any new match.
  await deps.store.ensureItemCounts(
    deps.matchers.map((m) => m.storyline.id),
    startedAt,
  );
  // A changed storyline first looks back over the archive; this run's items it sees anyway.
  const rematched = await rematchChangedStorylines(deps);
  const states = new Map((await deps.store.listFeedStates()).map((s) => [s.feedId, s]));
  const outcomes: FeedOutcome[] = new Array(feeds.length);
  const archive = new ItemArchiveStep(deps.store, deps.clock);
  let next = 0;
  // Feed states are written in batches as feeds finish, so a cut-short run keeps what it did.
  const pending: FeedState[] = [];
  const flush = async (all: boolean) => {
    while (pending.length >= 25 || (all && pending.length > 0))
      await deps.store.saveFeedStates(pending.splice(0, 25));
  };

  const workers = Math.max(1, Math.min(options.concurrency, feeds.length));
  // Each worker's fetch listens to the stop signal: more listeners at once than Node's default of 10.
  const stop = shareAbortSignal(options.signal, workers);
  const cycleOptions: PollOptions = { ...options, signal: stop.signal };
  const worker = async () => {
    for (let index = next++; index < feeds.length; index = next++) {
      const feed = feeds[index] as FeedSource;
      const state = states.get(feed.id);
      const retryAt = state?.url === feed.url ? state.nextAttemptAt : undefined;
      let outcome: FeedOutcome;
      if (
        stop.signal?.aborted ||
        (options.startDeadline !== undefined && Date.now() >= options.startDeadline)
      ) {
        outcome = { feedId: feed.id, status: 'skipped' };
      } else if (retryAt !== undefined && Date.parse(retryAt) > deps.clock().getTime()) {
        outcome = { feedId: feed.id, status: 'backing-off', retryAt };
      } else {
        const polled = await pollFeed(feed, state, deps, cycleOptions, archive);
        outcome = polled.outcome;
        if (polled.state) {
          pending.push(polled.state);
          await flush(false);
        }
      }
      outcomes[index] = outcome;
      onFeedDone?.(outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    stop.release();
  }
  await flush(true);
  const archived = await archive.finish();
  const alerts = await deps.sendAlerts?.();

  const finishedAt = deps.clock();
  const run: PollRun = {
    ...countOutcomes(outcomes),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
    backingOff: outcomes.filter((o) => o.status === 'backing-off').length,
    itemsSkipped: outcomes.reduce((sum, o) => sum + (o.status === 'fetched' ? o.itemsSkipped : 0), 0),
    archived: archived.archived,
    ...(archived.error === undefined ? {} : { archiveError: archived.error }),
    rematched: rematched.stored,
    ...(rematched.error === undefined ? {} : { rematchError: rematched.error }),
    ...(alerts === undefined ? {} : { alerts }),
  };
  await deps.store.saveRun(run);
  return { run, feeds: outcomes };
}

async function pollFeed(
  feed: FeedSource,
  previous: FeedState | undefined,
  deps: PollDependencies,
  options: PollOptions,
  archive: ItemArchiveStep,
): Promise<{ outcome: FeedOutcome; state: FeedState | undefined }> {
  const now = deps.clock();
  const checkedAt = now.toISOString();
  const state: FeedState = previous
    ? { ...previous, url: feed.url }
    : { feedId: feed.id, url: feed.url, consecutiveFailures: 0, itemsSeen: 0, itemsStored: 0 };
  // Validators belong to a URL: when the user points the feed elsewhere, start afresh.
  const validators =
    previous?.url === feed.url ? { etag: previous.etag, lastModified: previous.lastModified } : {};
  const tally: ItemTally = { matched: 0, stored: 0, skipped: 0, lastItemError: undefined };
  let outcome: FeedOutcome;
  try {
    const fetched = await fetchFeed(feed.url, validators, options.limits, undefined, options.signal);
    if (fetched.kind === 'not-modified') {
      outcome = { feedId: feed.id, status: 'not-modified' };
      Object.assign(state, fetched.validators);
    } else {
      const read = await readFeedBytes(
        fetched.body,
        fetched.contentType,
        { ...feed, url: fetched.baseUrl },
        { timeLimitMs: options.parseTimeLimitMs },
      );
      // Items this feed carried at its last fetch were matched then (against the same storylines):
      // skipping them keeps a feed without validators from rewriting its matches every poll.
      const fingerprint = storylinesFingerprint(deps.matchers);
      const recent = new RecentItems(
        previous?.matchedWith === fingerprint ? previous.recentItemHashes : undefined,
      );
      const itemKeys = read.items.map(itemKeyFor);
      // The archive keeps what the feed did not carry last time, whatever the storylines.
      const carriedBefore = new RecentItems(previous?.recentItemHashes);
      archive.add(
        feed.id,
        read.items.filter((_, i) => !carriedBefore.has(itemKeys[i] as string)),
      );
      await storeNewMatches(feed, read.items, itemKeys, recent, deps, tally);
      outcome = {
        feedId: feed.id,
        status: 'fetched',
        itemsSeen: read.items.length,
        matched: tally.matched,
        stored: tally.stored,
        itemsSkipped: tally.skipped,
      };
      Object.assign(state, fetched.validators, {
        itemsSeen: read.items.length,
        partial: read.partial || undefined,
        itemsSkipped: tally.skipped,
        lastItemError: tally.lastItemError,
        recentItemHashes: packRecentItems(itemKeys),
        matchedWith: fingerprint,
      });
      state.itemsStored += tally.stored;
    }
    state.lastSuccessAt = checkedAt;
    state.consecutiveFailures = 0;
    state.nextAttemptAt = undefined;
  } catch (error) {
    // Abandoned because the run is stopping: the feed keeps its state, and the next run takes it.
    if (error instanceof FetchAbortedError)
      return { outcome: { feedId: feed.id, status: 'skipped' }, state: undefined };
    state.consecutiveFailures += 1;
    const retryAfter = error instanceof FeedFetchError ? error.retryAfterSeconds : undefined;
    const wait = backoffMs(state.consecutiveFailures, retryAfter);
    state.nextAttemptAt = wait > 0 ? new Date(now.getTime() + wait).toISOString() : undefined;
    state.lastError = describeError(error);
    state.lastErrorAt = checkedAt;
    state.itemsStored += tally.stored;
    outcome = {
      feedId: feed.id,
      status: 'failed',
      error: state.lastError,
      retryAt: state.nextAttemptAt,
      stored: tally.stored,
    };
  }
  state.lastCheckedAt = checkedAt;
  return { outcome, state };
}

interface ItemTally {
  matched: number;
  stored: number;
  skipped: number;
  lastItemError: string | undefined;
}

/**
 * Matches the items not seen at the last fetch and stores the relevant ones, WRITE_CONCURRENCY
 * at a time, matching lazily as writers free up. An item the table cannot hold, or the matcher
 * cannot read, is skipped and counted; any other failure (the table itself) fails the feed after
 * the writes in flight have settled, and `tally` keeps what was stored.
 */
async function storeNewMatches(
  feed: FeedSource,
  items: readonly FeedItem[],
  itemKeys: readonly string[],
  recent: RecentItems,
  deps: PollDependencies,
  tally: ItemTally,
): Promise<void> {
  const matches = newMatches(feed, items, itemKeys, recent, deps.matchers, tally);
  let failure: { error: unknown } | undefined;
  const writer = async () => {
    while (!failure) {
      const next = matches.next();
      if (next.done) return;
      try {
        if ((await deps.store.saveMatch(next.value, deps.clock())) === 'stored') tally.stored++;
      } catch (error) {
        if (!(error instanceof ItemRejectedError)) failure ??= { error };
        else {
          tally.skipped++;
          tally.lastItemError = error.message;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, writer));
  if (failure) throw failure.error;
}

function* newMatches(
  feed: FeedSource,
  items: readonly FeedItem[],
  itemKeys: readonly string[],
  recent: RecentItems,
  matchers: readonly StorylineMatcher[],
  tally: ItemTally,
): Generator<NewMatch> {
  for (const [index, item] of items.entries()) {
    if (recent.has(itemKeys[index] as string)) continue;
    let results: Array<{ storylineId: string; result: ReturnType<StorylineMatcher['match']> }>;
    try {
      results = matchers.map((m) => ({ storylineId: m.storyline.id, result: m.match(item) }));
    } catch (error) {
      tally.skipped++;
      tally.lastItemError = `item ${JSON.stringify(item.headline.slice(0, 80))} skipped: it could not be matched (${describeError(error)})`;
      continue;
    }
    for (const { storylineId, result } of results) {
      if (!result.relevant) continue;
      tally.matched++;
      yield {
        storylineId,
        id: item.id,
        canonicalUrl: item.canonicalUrl,
        title: item.headline,
        url: item.canonicalUrl ?? item.url,
        summary: item.summary,
        publishedAt: item.publishedAt,
        lang: item.lang,
        feedId: feed.id,
        source: item.source,
        score: result.score,
        actors: result.actors,
        themes: result.themes,
        why: result.why,
      };
    }
  }
}

function countOutcomes(outcomes: readonly FeedOutcome[]): PollCounts {
  const counts: PollCounts = {
    feeds: outcomes.length,
    fetched: 0,
    notModified: 0,
    failed: 0,
    itemsSeen: 0,
    matched: 0,
    stored: 0,
  };
  for (const outcome of outcomes) {
    if (outcome.status === 'fetched') {
      counts.fetched++;
      counts.itemsSeen += outcome.itemsSeen;
      counts.matched += outcome.matched;
      counts.stored += outcome.stored;
    } else if (outcome.status === 'not-modified') counts.notModified++;
    else if (outcome.status === 'failed') {
      counts.failed++;
      counts.stored += outcome.stored;
    }
  }
  return counts;
}

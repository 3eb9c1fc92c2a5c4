import { createHash } from 'node:crypto';
import { describeError } from '../errors.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { AlertRunSummary, FeedState, PollCounts, PollRun } from '../store/records.ts';
import { itemKeyFor } from '../store/table-design.ts';
import type { StorylineMatcher } from '../storyline/storyline-matcher.ts';
import type { FeedSource } from './feed-list.ts';
import { FeedFetchError, type FetchLimits, fetchFeed } from './fetch-feed.ts';
import { readFeedBytes } from './read-feed.ts';

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
}

export type FeedOutcome =
  | { feedId: string; status: 'fetched'; itemsSeen: number; matched: number; stored: number }
  | { feedId: string; status: 'not-modified' }
  | { feedId: string; status: 'failed'; error: string; retryAt: string | undefined }
  /** Not tried: the feed failed recently (or asked us to wait) and its back-off has not run out. */
  | { feedId: string; status: 'backing-off'; retryAt: string }
  /** Not tried: the run's deadline came first; the next run takes it. */
  | { feedId: string; status: 'skipped' };

/** Short keys of the items a feed carried at its last fetch: enough to recognise them, small to store. */
const RECENT_KEY_LENGTH = 10;
const MAX_RECENT_ITEMS = 1000;

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
  const states = new Map((await deps.store.listFeedStates()).map((s) => [s.feedId, s]));
  const outcomes: FeedOutcome[] = new Array(feeds.length);
  let next = 0;
  // Feed states are written in batches as feeds finish, so a cut-short run keeps what it did.
  const pending: FeedState[] = [];
  const flush = async (all: boolean) => {
    while (pending.length >= 25 || (all && pending.length > 0))
      await deps.store.saveFeedStates(pending.splice(0, 25));
  };

  const worker = async () => {
    for (let index = next++; index < feeds.length; index = next++) {
      const feed = feeds[index] as FeedSource;
      const state = states.get(feed.id);
      const retryAt = state?.url === feed.url ? state.nextAttemptAt : undefined;
      let outcome: FeedOutcome;
      if (options.startDeadline !== undefined && Date.now() >= options.startDeadline) {
        outcome = { feedId: feed.id, status: 'skipped' };
      } else if (retryAt !== undefined && Date.parse(retryAt) > deps.clock().getTime()) {
        outcome = { feedId: feed.id, status: 'backing-off', retryAt };
      } else {
        const polled = await pollFeed(feed, state, deps, options);
        outcome = polled.outcome;
        pending.push(polled.state);
        await flush(false);
      }
      outcomes[index] = outcome;
      onFeedDone?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, feeds.length)) }, worker));
  await flush(true);
  const alerts = await deps.sendAlerts?.();

  const finishedAt = deps.clock();
  const run: PollRun = {
    ...countOutcomes(outcomes),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
    backingOff: outcomes.filter((o) => o.status === 'backing-off').length,
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
): Promise<{ outcome: FeedOutcome; state: FeedState }> {
  const now = deps.clock();
  const checkedAt = now.toISOString();
  const state: FeedState = previous
    ? { ...previous, url: feed.url }
    : { feedId: feed.id, url: feed.url, consecutiveFailures: 0, itemsSeen: 0, itemsStored: 0 };
  // Validators belong to a URL: when the user points the feed elsewhere, start afresh.
  const validators =
    previous?.url === feed.url ? { etag: previous.etag, lastModified: previous.lastModified } : {};
  let outcome: FeedOutcome;
  try {
    const fetched = await fetchFeed(feed.url, validators, options.limits);
    if (fetched.kind === 'not-modified') {
      outcome = { feedId: feed.id, status: 'not-modified' };
      Object.assign(state, fetched.validators);
    } else {
      const read = await readFeedBytes(fetched.body, fetched.contentType, { ...feed, url: fetched.finalUrl });
      let matched = 0;
      const saves: Array<Promise<'stored' | 'duplicate'>> = [];
      // Items this feed carried at its last fetch were matched then (against the same storylines):
      // skipping them keeps a feed without validators from rewriting its matches every poll.
      const fingerprint = storylinesFingerprint(deps.matchers);
      const known = new Set(previous?.matchedWith === fingerprint ? (previous.recentItems ?? []) : []);
      const recent: string[] = [];
      for (const item of read.items) {
        const key = itemKeyFor(item).slice(0, RECENT_KEY_LENGTH);
        recent.push(key);
        if (known.has(key)) continue;
        for (const matcher of deps.matchers) {
          const result = matcher.match(item);
          if (!result.relevant) continue;
          matched++;
          // The writes of one feed go out together: they are independent and mostly waiting.
          saves.push(
            deps.store.saveMatch(
              {
                storylineId: matcher.storyline.id,
                id: item.id,
                canonicalUrl: item.canonicalUrl,
                title: item.title,
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
              },
              deps.clock(),
            ),
          );
        }
      }
      const stored = (await Promise.all(saves)).filter((s) => s === 'stored').length;
      outcome = { feedId: feed.id, status: 'fetched', itemsSeen: read.items.length, matched, stored };
      Object.assign(state, fetched.validators, {
        itemsSeen: read.items.length,
        recentItems: recent.slice(0, MAX_RECENT_ITEMS),
        matchedWith: fingerprint,
      });
      state.itemsStored += stored;
    }
    state.lastSuccessAt = checkedAt;
    state.consecutiveFailures = 0;
    state.nextAttemptAt = undefined;
  } catch (error) {
    state.consecutiveFailures += 1;
    const retryAfter = error instanceof FeedFetchError ? error.retryAfterSeconds : undefined;
    const wait = backoffMs(state.consecutiveFailures, retryAfter);
    state.nextAttemptAt = wait > 0 ? new Date(now.getTime() + wait).toISOString() : undefined;
    state.lastError = describeError(error);
    state.lastErrorAt = checkedAt;
    outcome = { feedId: feed.id, status: 'failed', error: state.lastError, retryAt: state.nextAttemptAt };
  }
  state.lastCheckedAt = checkedAt;
  return { outcome, state };
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
    else if (outcome.status === 'failed') counts.failed++;
  }
  return counts;
}

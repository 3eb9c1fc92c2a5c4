import { describeError } from '../errors.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { FeedState, PollCounts, PollRun } from '../store/records.ts';
import type { StorylineMatcher } from '../storyline/storyline-matcher.ts';
import type { FeedSource } from './feed-list.ts';
import { type FetchFunction, type FetchLimits, fetchFeed } from './fetch-feed.ts';
import { readFeedBytes } from './read-feed.ts';

export interface PollDependencies {
  store: DynamoStore;
  matchers: readonly StorylineMatcher[];
  clock: () => Date;
  fetchImpl?: FetchFunction;
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
  | { feedId: string; status: 'failed'; error: string }
  | { feedId: string; status: 'skipped' };

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

  const worker = async () => {
    for (let index = next++; index < feeds.length; index = next++) {
      const feed = feeds[index] as FeedSource;
      const outcome =
        options.startDeadline !== undefined && Date.now() >= options.startDeadline
          ? ({ feedId: feed.id, status: 'skipped' } as const)
          : await pollFeed(feed, states.get(feed.id), deps, options);
      outcomes[index] = outcome;
      onFeedDone?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, feeds.length)) }, worker));

  const finishedAt = deps.clock();
  const run: PollRun = {
    ...countOutcomes(outcomes),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
  };
  await deps.store.saveRun(run);
  return { run, feeds: outcomes };
}

async function pollFeed(
  feed: FeedSource,
  previous: FeedState | undefined,
  deps: PollDependencies,
  options: PollOptions,
): Promise<FeedOutcome> {
  const checkedAt = deps.clock().toISOString();
  const state: FeedState = previous
    ? { ...previous, url: feed.url }
    : { feedId: feed.id, url: feed.url, consecutiveFailures: 0, itemsSeen: 0, itemsStored: 0 };
  // Validators belong to a URL: when the user points the feed elsewhere, start afresh.
  const validators =
    previous?.url === feed.url ? { etag: previous.etag, lastModified: previous.lastModified } : {};
  let outcome: FeedOutcome;
  try {
    const fetched = await fetchFeed(feed.url, validators, options.limits, deps.fetchImpl);
    if (fetched.kind === 'not-modified') {
      outcome = { feedId: feed.id, status: 'not-modified' };
      Object.assign(state, fetched.validators);
    } else {
      const read = await readFeedBytes(fetched.body, fetched.contentType, { ...feed, url: fetched.finalUrl });
      let matched = 0;
      let stored = 0;
      for (const item of read.items) {
        for (const matcher of deps.matchers) {
          const result = matcher.match(item);
          if (!result.relevant) continue;
          matched++;
          const saved = await deps.store.saveMatch(
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
            },
            deps.clock(),
          );
          if (saved === 'stored') stored++;
        }
      }
      outcome = { feedId: feed.id, status: 'fetched', itemsSeen: read.items.length, matched, stored };
      Object.assign(state, fetched.validators, { itemsSeen: read.items.length });
      state.itemsStored += stored;
    }
    state.lastSuccessAt = checkedAt;
    state.consecutiveFailures = 0;
  } catch (error) {
    outcome = { feedId: feed.id, status: 'failed', error: describeError(error) };
    state.lastError = outcome.error;
    state.lastErrorAt = checkedAt;
    state.consecutiveFailures += 1;
  }
  state.lastCheckedAt = checkedAt;
  await deps.store.saveFeedState(state);
  return outcome;
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

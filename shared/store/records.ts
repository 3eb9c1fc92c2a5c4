/** What the table holds, as the rest of the code sees it (no keys, no DynamoDB types). */

export interface StoredItem {
  storylineId: string;
  itemKey: string;
  title: string;
  url: string | undefined;
  summary: string;
  publishedAt: string | undefined;
  firstSeenAt: string;
  lang: string | undefined;
  /** Ids of the feeds that carried the story; a repeat from another feed adds to it. */
  feeds: string[];
  /** Names of the outlets that carried it, when known. */
  sources: string[];
  score: number;
  actors: string[];
  themes: string[];
  /** Why it matched, as the decision explained it; absent on items stored before explanations. */
  why?: string | undefined;
  /** Set when the item was not found live but by re-matching the archive after its storyline changed. */
  foundBy?: 'storyline-change' | undefined;
}

/**
 * An item as the archive keeps it, whether or not it matched: enough to backtest, label and
 * re-match without fetching again. Text fields are bounded (see archive-batches.ts).
 */
export interface ArchivedItem {
  itemKey: string;
  title: string;
  summary: string;
  url: string | undefined;
  feedId: string;
  source: string | undefined;
  lang: string | undefined;
  publishedAt: string | undefined;
  firstSeenAt: string;
}

export interface FeedState {
  feedId: string;
  url: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
  lastCheckedAt?: string | undefined;
  lastSuccessAt?: string | undefined;
  lastErrorAt?: string | undefined;
  lastError?: string | undefined;
  consecutiveFailures: number;
  /** Set while the feed backs off after failures (or a Retry-After): it is not fetched before then. */
  nextAttemptAt?: string | undefined;
  /** The last document fetched was cut short or damaged: its items are what it held before. */
  partial?: boolean | undefined;
  /** Items in the feed at its last successful fetch. */
  itemsSeen: number;
  /** Matches stored from this feed over its life. */
  itemsStored: number;
  /** Items of the last fetch that could not be matched or stored (too large, refused); not the feed. */
  itemsSkipped?: number | undefined;
  /** Why the last such item was skipped. */
  lastItemError?: string | undefined;
  /**
   * Short hashes of the items in the last fetch, already matched, so they are skipped next time:
   * RECENT_HASH_BYTES each, concatenated, within a byte budget far below the item limit.
   */
  recentItemHashes?: Uint8Array | undefined;
  /** Fingerprint of the storylines those items were matched against. */
  matchedWith?: string | undefined;
}

export interface DigestCursor {
  storylineId: string;
  /** GSI1 sort key of the last item sent: items after it are new. */
  position: string;
  lastSentAt: string;
  lastItemCount: number;
  lastMessageId: string;
}

export interface PollCounts {
  feeds: number;
  fetched: number;
  notModified: number;
  failed: number;
  itemsSeen: number;
  matched: number;
  stored: number;
}

export interface PollRun extends PollCounts {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Feeds not started because the deadline came first; the next run takes them. */
  skipped: number;
  /** Feeds left alone because they are backing off after failures. */
  backingOff: number;
  /** Items skipped (too large for the table, or refused) in feeds that were otherwise fine. */
  itemsSkipped?: number | undefined;
  /** Items written to the archive (seen for the first time by their feed). */
  archived?: number | undefined;
  /** Why archiving failed in this run, if it did. */
  archiveError?: string | undefined;
  /** Matches stored by re-matching the archive after a storyline changed. */
  rematched?: number | undefined;
  /** Why that re-matching failed, if it did (it is tried again next run). */
  rematchError?: string | undefined;
  /** What the alert step did; absent when no storyline has an alert rule. */
  alerts?: AlertRunSummary | undefined;
}

/** A poll run's alerts: sent, failed (retried next run), capped (wait for the digest), unknown (maybe sent). */
export interface AlertRunSummary {
  sent: number;
  failed: number;
  capped: number;
  unknown: number;
  /** Storylines whose alert step could not finish, and why; they are looked at again next run. */
  error?: string | undefined;
}

import type { AlertRecord } from '../alerts/alert-record.ts';
import { type AlertStatus, toAlertStatus } from '../alerts/alert-status.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import { itemsSince } from '../store/item-counts.ts';
import type { FeedState, PollRun, StoredItem } from '../store/records.ts';
import type { Storyline } from '../storyline/storyline-schema.ts';
import type { BasicAuthGate } from './basic-auth.ts';
import { publicFeedUrl, publicLink, redactError } from './redact-secrets.ts';

export type HealthState = 'ok' | 'degraded' | 'failing';

export interface FeedStatus {
  id: string;
  /** Scheme, host and path only: credentials and query strings are never shown. */
  url: string;
  /** Never polled yet: configured but no state in the table. */
  polled: boolean;
  lastCheckedAt: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  /** Set while the feed backs off after failures or a Retry-After: not fetched before then. */
  backingOffUntil: string | null;
  itemsSeen: number;
  itemsStored: number;
  /** The last document fetched was cut short or damaged; what it held before was kept. */
  partial: boolean;
}

export interface StorylineStatus {
  id: string;
  title: string;
  /** Items stored; null while a table written before the counters has not been counted (the next poll run counts it). */
  items: number | null;
  /** Items first seen since the start of the hour 24 hours ago; null as `items`. */
  itemsLast24h: number | null;
  lastDigest: { sentAt: string; itemCount: number } | null;
  /** Matches first seen on each of the last 14 UTC days, oldest first; empty while not counted. */
  matchesPerDay: Array<{ day: string; count: number }>;
  /** The most recently found items, newest first. */
  latestItems: StoredItem[];
  /** The last alerts, newest first; null when the storyline has no alert rule. */
  lastAlerts: AlertStatus[] | null;
}

const CHART_DAYS = 14;
const LATEST_ITEMS = 5;
const LAST_ALERTS = 5;

export interface StatusReport {
  generatedAt: string;
  health: { state: HealthState; reason: string };
  lastRun: PollRun | null;
  feeds: FeedStatus[];
  storylines: StorylineStatus[];
}

export interface StatusDependencies {
  store: DynamoStore;
  storylines: readonly Storyline[];
  /** Feeds the monitor is configured to poll; feeds with state but no longer configured are shown too. */
  feeds: ReadonlyArray<{ id: string; url: string }>;
  clock: () => Date;
  /** Expected time between poll runs; a run older than three of these makes the monitor failing. */
  pollIntervalMinutes: number;
  /** Set when the endpoint is private: every request must carry these credentials. */
  auth?: Pick<BasicAuthGate, 'allows'> | undefined;
  /** Alert records; without it, storylines show no alerts. */
  alerts?: { latestAlerts(storylineId: string, limit: number): Promise<AlertRecord[]> } | undefined;
}

export async function buildStatus(deps: StatusDependencies): Promise<StatusReport> {
  const now = deps.clock();
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const chartDays = Array.from({ length: CHART_DAYS }, (_, i) =>
    new Date(now.getTime() - (CHART_DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
  const [states, lastRun, storylines] = await Promise.all([
    deps.store.listFeedStates(),
    deps.store.latestRun(),
    Promise.all(
      deps.storylines.map(async (s): Promise<StorylineStatus> => {
        const [counts, cursor, latest, lastAlerts] = await Promise.all([
          deps.store.itemCounts(s.id),
          deps.store.getDigestCursor(s.id),
          deps.store.listRecentItems(s.id, LATEST_ITEMS),
          lastAlertsOf(s, deps),
        ]);
        return {
          id: s.id,
          title: s.title,
          items: counts?.total ?? null,
          itemsLast24h: counts ? itemsSince(counts, dayAgo) : null,
          lastDigest: cursor ? { sentAt: cursor.lastSentAt, itemCount: cursor.lastItemCount } : null,
          matchesPerDay: counts ? chartDays.map((day) => ({ day, count: counts.byDay.get(day) ?? 0 })) : [],
          latestItems: latest.items.map(publicItem),
          lastAlerts,
        };
      }),
    ),
  ]);
  const feeds = mergeFeeds(deps.feeds, states);
  return {
    generatedAt: now.toISOString(),
    health: assessHealth(lastRun, feeds, now, deps.pollIntervalMinutes),
    lastRun: lastRun ?? null,
    feeds,
    storylines,
  };
}

async function lastAlertsOf(storyline: Storyline, deps: StatusDependencies): Promise<AlertStatus[] | null> {
  if (!storyline.alerts) return null;
  return ((await deps.alerts?.latestAlerts(storyline.id, LAST_ALERTS)) ?? []).map(toAlertStatus);
}

function mergeFeeds(configured: StatusDependencies['feeds'], states: FeedState[]): FeedStatus[] {
  const byId = new Map(states.map((s) => [s.feedId, s]));
  const ids = [...new Set([...configured.map((f) => f.id), ...states.map((s) => s.feedId)])];
  return ids.map((id) => {
    const state = byId.get(id);
    const url = configured.find((f) => f.id === id)?.url ?? state?.url ?? '';
    return {
      id,
      url: publicFeedUrl(url),
      polled: state !== undefined,
      lastCheckedAt: state?.lastCheckedAt ?? null,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      lastErrorAt: state?.lastErrorAt ?? null,
      lastError: state?.lastError === undefined ? null : redactError(state.lastError, state.url),
      consecutiveFailures: state?.consecutiveFailures ?? 0,
      backingOffUntil: state?.nextAttemptAt ?? null,
      itemsSeen: state?.itemsSeen ?? 0,
      itemsStored: state?.itemsStored ?? 0,
      partial: state?.partial === true,
    };
  });
}

/** A stored item as the public endpoint shows it: its link without credentials. */
export function publicItem(item: StoredItem): StoredItem {
  return { ...item, url: publicLink(item.url) };
}

export function assessHealth(
  lastRun: PollRun | undefined,
  feeds: readonly FeedStatus[],
  now: Date,
  pollIntervalMinutes: number,
): StatusReport['health'] {
  if (!lastRun) return { state: 'failing', reason: 'no poll run has completed yet' };
  const ageMinutes = (now.getTime() - Date.parse(lastRun.finishedAt)) / 60_000;
  if (ageMinutes > 3 * pollIntervalMinutes) {
    return { state: 'failing', reason: `the last poll run finished ${Math.round(ageMinutes)} minutes ago` };
  }
  if (lastRun.feeds > 0 && lastRun.failed === lastRun.feeds) {
    return {
      state: 'failing',
      reason: `every feed failed in the last poll run (${lastRun.failed} of ${lastRun.feeds})`,
    };
  }
  const failing = feeds.filter((f) => f.consecutiveFailures > 0);
  if (failing.length > 0) {
    return { state: 'degraded', reason: `${failing.length} of ${feeds.length} feeds failing` };
  }
  return { state: 'ok', reason: `${feeds.length} feeds polled without error` };
}

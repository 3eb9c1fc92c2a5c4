import { randomUUID } from 'node:crypto';
import { clusterItems, type DigestEntry } from '../digest/cluster-items.ts';
import type { DigestNotifier } from '../digest/digest-notifier.ts';
import { describeError } from '../errors.ts';
import type { AlertRunSummary, StoredItem } from '../store/records.ts';
import type { Storyline } from '../storyline/storyline-schema.ts';
import type { AlertRecord, PublishedAlertRecord } from './alert-record.ts';
import { renderAlert } from './alert-renderer.ts';
import { type AlertRule, passesAlertRule } from './alert-rule.ts';

/** Where alerts are claimed and their delivery recorded; every write is conditional. */
export interface AlertLedger {
  /** Takes the storyline's alert scan for `leaseMs`; undefined while another run holds it. */
  acquireScan(
    storylineId: string,
    holder: string,
    now: Date,
    leaseMs: number,
  ): Promise<{ position: string | undefined } | undefined>;
  /** Gives the scan up, moving its position when one is given. */
  releaseScan(storylineId: string, holder: string, position: string | undefined): Promise<void>;
  /** Writes a new record for its lead report; false when that report already has one. */
  create(record: AlertRecord): Promise<boolean>;
  /** Each transition below applies only to the record's `attempt` in the state it expects. */
  markSent(
    storylineId: string,
    itemKey: string,
    attempt: number,
    sentAt: Date,
    messageId: string,
  ): Promise<boolean>;
  markFailed(
    storylineId: string,
    itemKey: string,
    attempt: number,
    failedAt: Date,
    error: string,
  ): Promise<boolean>;
  markUnknown(storylineId: string, itemKey: string, attempt: number, since: Date): Promise<boolean>;
  /** failed -> claimed, as attempt + 1. */
  reclaim(storylineId: string, itemKey: string, attempt: number, now: Date): Promise<boolean>;
  /** Alerts decided since a time, oldest first. */
  listAlertsSince(storylineId: string, since: Date): Promise<AlertRecord[]>;
}

/**
 * The stored matches alerts are chosen from (DynamoStore has these). A position begins with the
 * item's first-seen time (ISO 8601), so positions and ISO times order together: an ISO time is a
 * valid `afterPosition`, and the scan keeps one as its own position.
 */
export interface AlertItemSource {
  listItemsSeenBetween(
    storylineId: string,
    afterPosition: string | undefined,
    until: Date,
  ): Promise<Array<StoredItem & { position: string }>>;
  getDigestCursor(storylineId: string): Promise<{ position: string } | undefined>;
}

export interface AlertDependencies {
  items: AlertItemSource;
  ledger: AlertLedger;
  /** The digests' notifier: SNS in AWS (with `kind` = `alert`), files under the data directory locally. */
  notifier: DigestNotifier;
  clock: () => Date;
}

/** What happened to one alert in this run, for logs and the terminal. */
export interface AlertEvent {
  storylineId: string;
  title: string;
  /** `sent`, `failed` (retried next run), `capped` (waits for the digest), `unknown` (maybe sent; never resent). */
  state: 'sent' | 'failed' | 'capped' | 'unknown';
  /** A retry of an alert whose earlier publish failed. */
  retry: boolean;
  subject?: string | undefined;
  text?: string | undefined;
  messageId?: string | undefined;
  error?: string | undefined;
}

/**
 * A claim older than this belongs to a run that stopped between publishing and recording the
 * outcome (the poll function's timeout is 5 minutes): its alert may have gone out.
 */
export const CLAIM_LEASE_MS = 15 * 60_000;
/** How long one run may hold a storyline's alert scan. */
const SCAN_LEASE_MS = 5 * 60_000;
/**
 * Reports first seen this recently are looked at again by the next run: a concurrent run may
 * still be storing reports of this time. Looking again is harmless, the records decide.
 */
const SETTLE_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;

/**
 * The poll cycle's alert step for every storyline with an alert rule, or undefined when none has
 * one. Each storyline's failure is contained and reported in the summary; it never throws.
 */
export function createAlertStep(
  storylines: readonly Storyline[],
  deps: AlertDependencies,
  onEvent: (event: AlertEvent) => void = () => {},
): (() => Promise<AlertRunSummary>) | undefined {
  const alerting = storylines.filter((s) => s.alerts !== undefined);
  if (alerting.length === 0) return undefined;
  return async () => {
    const summary: AlertRunSummary = { sent: 0, failed: 0, capped: 0, unknown: 0 };
    const errors: string[] = [];
    for (const storyline of alerting) {
      try {
        for (const event of await runAlerts(storyline, deps)) {
          summary[event.state]++;
          onEvent(event);
        }
      } catch (error) {
        errors.push(`${storyline.id}: ${describeError(error)}`);
      }
    }
    return errors.length === 0 ? summary : { ...summary, error: errors.join('; ') };
  };
}

/**
 * One storyline's alerts, in four steps under the storyline's scan lease:
 * 1. a claim left by a run that died while publishing becomes `unknown` and is never resent;
 * 2. an alert whose publish failed is published again (the same message);
 * 3. the new reports that pass the rule's bar are grouped into developments with every report of
 *    the window (the digest's clustering); a development with an alert record already (sent,
 *    failed, capped...) gets no other; the rest, best first, get one alert each while the hourly
 *    cap allows, and a `capped` record after that;
 * 4. each alert is claimed (a conditional write of its record with the message) before it is
 *    published, then marked sent, or failed for the next run to retry.
 * Store errors propagate and leave the scan where it was, so the next run looks again.
 */
export async function runAlerts(storyline: Storyline, deps: AlertDependencies): Promise<AlertEvent[]> {
  const rule = storyline.alerts;
  if (!rule) return [];
  const holder = randomUUID();
  const now = deps.clock();
  const scan = await deps.ledger.acquireScan(storyline.id, holder, now, SCAN_LEASE_MS);
  if (!scan) return [];
  let position: string | undefined;
  try {
    const since = new Date(now.getTime() - rule.windowHours * HOUR_MS);
    const [items, records, cursor] = await Promise.all([
      deps.items.listItemsSeenBetween(storyline.id, since.toISOString(), now),
      deps.ledger.listAlertsSince(storyline.id, since),
      deps.items.getDigestCursor(storyline.id),
    ]);
    const events = [
      ...(await settleEarlierAlerts(records, deps)),
      ...(await alertNewDevelopments(storyline, rule, { items, records, scan, cursor, now }, deps)),
    ];
    const settled = new Date(now.getTime() - SETTLE_MS).toISOString();
    position = scan.position !== undefined && scan.position > settled ? scan.position : settled;
    return events;
  } finally {
    await deps.ledger.releaseScan(storyline.id, holder, position);
  }
}

async function settleEarlierAlerts(
  records: readonly AlertRecord[],
  deps: AlertDependencies,
): Promise<AlertEvent[]> {
  const now = deps.clock();
  const events: AlertEvent[] = [];
  for (const record of records) {
    if (record.state === 'claimed' && now.getTime() - Date.parse(record.attemptAt) > CLAIM_LEASE_MS) {
      // At most once: the run may have published before it stopped, so never publish this again.
      if (await deps.ledger.markUnknown(record.storylineId, record.itemKey, record.attempts, now)) {
        events.push({ ...describe(record), state: 'unknown', retry: false });
      }
    } else if (record.state === 'failed') {
      const attempt = record.attempts + 1;
      if (await deps.ledger.reclaim(record.storylineId, record.itemKey, record.attempts, now)) {
        events.push(await deliver({ ...record, attempts: attempt }, deps, true));
      }
    }
  }
  return events;
}

interface ScanView {
  items: ReadonlyArray<StoredItem & { position: string }>;
  records: readonly AlertRecord[];
  scan: { position: string | undefined };
  cursor: { position: string } | undefined;
  now: Date;
}

async function alertNewDevelopments(
  storyline: Storyline,
  rule: AlertRule,
  view: ScanView,
  deps: AlertDependencies,
): Promise<AlertEvent[]> {
  const { items, records, scan, cursor, now } = view;
  const alerted = new Set(records.flatMap((r) => r.itemKeys));
  const positions = new Map(items.map((i) => [i.itemKey, i.position]));
  // New since the last scan, not yet in a sent digest, and past the rule's bar.
  const isCandidate = (item: StoredItem) => {
    const position = positions.get(item.itemKey) ?? '';
    return (
      (scan.position === undefined || position > scan.position) &&
      (cursor === undefined || position > cursor.position) &&
      passesAlertRule(rule, item)
    );
  };
  const developments = clusterItems(items, rule.windowHours)
    .filter((entry) => !reportsOf(entry).some((item) => alerted.has(item.itemKey)))
    .flatMap((entry) => {
      const lead = reportsOf(entry)
        .filter(isCandidate)
        .sort((a, b) => b.score - a.score)[0];
      return lead ? [withLead(entry, lead)] : [];
    })
    .sort((a, b) => b.lead.score - a.lead.score || a.lead.firstSeenAt.localeCompare(b.lead.firstSeenAt));

  const lastHour = now.getTime() - HOUR_MS;
  let slots =
    rule.maxPerHour -
    records.filter((r) => r.state !== 'capped' && Date.parse(r.decidedAt) > lastHour).length;
  const events: AlertEvent[] = [];
  for (const entry of developments) {
    const base = {
      storylineId: storyline.id,
      alertId: randomUUID(),
      itemKey: entry.lead.itemKey,
      itemKeys: reportsOf(entry).map((i) => i.itemKey),
      title: entry.lead.title,
      url: entry.lead.url,
      sources: entry.sources,
      score: entry.lead.score,
      why: entry.lead.why,
      decidedAt: deps.clock().toISOString(),
    };
    if (slots <= 0) {
      if (await deps.ledger.create({ ...base, state: 'capped' })) {
        events.push({ storylineId: storyline.id, title: base.title, state: 'capped', retry: false });
      }
      continue;
    }
    const record: PublishedAlertRecord = {
      ...base,
      message: renderAlert(storyline, rule, entry),
      attempts: 1,
      state: 'claimed',
      attemptAt: base.decidedAt,
    };
    // The claim is written before publishing: whatever happens next, this report is never alerted twice.
    if (!(await deps.ledger.create(record))) continue;
    slots--;
    events.push(await deliver(record, deps, false));
  }
  return events;
}

/** Publishes a claimed alert and records the outcome; a failed publish is kept for the next run. */
async function deliver(
  record: PublishedAlertRecord,
  deps: AlertDependencies,
  retry: boolean,
): Promise<AlertEvent> {
  const { storylineId, itemKey, attempts, message } = record;
  let messageId: string;
  try {
    ({ messageId } = await deps.notifier.publish({
      kind: 'alert',
      storylineId,
      subject: message.subject,
      text: message.text,
      itemCount: message.itemCount,
    }));
  } catch (error) {
    const reason = describeError(error);
    await deps.ledger.markFailed(storylineId, itemKey, attempts, deps.clock(), reason);
    return { ...describe(record), state: 'failed', retry, error: reason };
  }
  await deps.ledger.markSent(storylineId, itemKey, attempts, deps.clock(), messageId);
  return { ...describe(record), state: 'sent', retry, messageId };
}

function describe(record: PublishedAlertRecord) {
  return {
    storylineId: record.storylineId,
    title: record.title,
    subject: record.message.subject,
    text: record.message.text,
  };
}

function reportsOf(entry: DigestEntry): StoredItem[] {
  return [entry.lead, ...entry.others];
}

/** The development led by the report that passed the bar, its outlet first. */
function withLead(entry: DigestEntry, lead: StoredItem): DigestEntry {
  const others = reportsOf(entry).filter((item) => item !== lead);
  const first = lead.sources.length > 0 ? lead.sources : lead.feeds;
  return { lead, others, sources: [...new Set([...first, ...entry.sources])] };
}

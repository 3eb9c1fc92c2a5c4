import { formatUtc } from '../digest/render-digest.ts';
import type { Storyline } from '../storyline/storyline-schema.ts';
import type { AlertRecord } from './alert-record.ts';

/** What a digest says about alerts: a line under its header, and a line under each alerted entry. */
export interface DigestAlertNotes {
  header: string | undefined;
  /** By item key: every report of an alerted (or held back) development carries its alert's line. */
  byItem: ReadonlyMap<string, string>;
}

/**
 * Notes for the digest from the alerts of its window: which entries went out as alerts, which
 * waited because of the hourly cap (the digest says so), and which may not have reached readers.
 */
export function digestAlertNotes(storyline: Storyline, records: readonly AlertRecord[]): DigestAlertNotes {
  const byItem = new Map<string, string>();
  for (const record of records) {
    const line = noteFor(record);
    for (const key of record.itemKeys) byItem.set(key, line);
  }
  const sent = records.filter((r) => r.state === 'sent').length;
  const capped = records.filter((r) => r.state === 'capped').length;
  const parts = [
    ...(sent > 0
      ? [sent === 1 ? '1 development was sent as an alert' : `${sent} developments were sent as alerts`]
      : []),
    ...(capped > 0
      ? [
          `alerts were capped at ${storyline.alerts?.maxPerHour ?? '?'} an hour, so ${capped} development${capped === 1 ? '' : 's'} that passed the alert bar waited for this digest`,
        ]
      : []),
  ];
  const header = parts.length > 0 ? `Alerts: ${parts.join('; ')}.` : undefined;
  return { header, byItem };
}

function noteFor(record: AlertRecord): string {
  switch (record.state) {
    case 'sent':
      return `Alerted ${formatUtc(record.sentAt)}`;
    case 'capped':
      return 'Not alerted: the hourly cap of alerts was reached';
    case 'failed':
      return `Alert not delivered yet (${record.error}); retried at the next poll`;
    case 'claimed':
      return 'Alert being sent';
    case 'unknown':
      return 'Alert may not have gone out (a run stopped while sending it)';
  }
}

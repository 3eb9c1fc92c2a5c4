import type { DigestEntry } from '../digest/cluster-items.ts';
import { MAX_MESSAGE_BYTES, namesOf, renderEntry, toSubject } from '../digest/render-digest.ts';
import type { Storyline } from '../storyline/storyline-schema.ts';
import type { AlertMessage } from './alert-record.ts';
import type { AlertRule } from './alert-rule.ts';

/** Other reports listed under an alert's headline; the digest lists them all. */
const MAX_OTHER_REPORTS = 10;

/**
 * The email of one alert: an ASCII subject of at most 99 characters with the headline, and a
 * plain-text body with the development as the digest shows it (outlets, time, link, why it
 * matched, the other reports) and what happens to later reports.
 */
export function renderAlert(storyline: Storyline, rule: AlertRule, entry: DigestEntry): AlertMessage {
  const shown = { ...entry, others: entry.others.slice(0, MAX_OTHER_REPORTS) };
  const hidden = entry.others.length - shown.others.length;
  const text = [
    `ALERT - ${storyline.title}`,
    '',
    renderEntry(shown, namesOf(storyline)).trimEnd(),
    ...(hidden > 0 ? [`   ... and ${hidden} more reports`] : []),
    '',
    `Sent as it happened: its score passed the alert bar of ${rule.minScore}. Later reports of this`,
    `development go to the next digest; at most ${rule.maxPerHour} alert${rule.maxPerHour === 1 ? '' : 's'} an hour for this storyline.`,
  ].join('\n');
  return {
    subject: toSubject(`Alert: ${entry.lead.title}`),
    text: fitBytes(text, MAX_MESSAGE_BYTES),
    itemCount: 1 + entry.others.length,
  };
}

/** Cuts text to a byte budget on a character boundary (a feed's title may be anything). */
function fitBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const marker = '\n... (cut to fit)';
  let cut = Buffer.from(text)
    .subarray(0, maxBytes - Buffer.byteLength(marker))
    .toString('utf8');
  // A multi-byte character split at the cut decodes as U+FFFD: drop it.
  cut = cut.replace(/\uFFFD+$/, '');
  return `${cut}${marker}`;
}

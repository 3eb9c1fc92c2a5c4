import type { Storyline } from '../storyline/storyline-schema.ts';
import type { DigestEntry } from './cluster-items.ts';

export interface RenderedDigest {
  subject: string;
  text: string;
  /** Stored items the digest covers (every report, not only each entry's lead). */
  itemCount: number;
}

/** SNS email limits: subject is ASCII, at most 100 characters; we keep one in reserve. */
export const MAX_SUBJECT_LENGTH = 99;
export const MAX_MESSAGE_BYTES = 256 * 1024;

export function renderDigest(
  storyline: Storyline,
  entries: readonly DigestEntry[],
  windowEnd: Date,
): RenderedDigest {
  const itemCount = entries.reduce((n, e) => n + 1 + e.others.length, 0);
  const top = entries[0]?.lead.title;
  const subject = toSubject(
    `${storyline.title}: ${itemCount} new item${itemCount === 1 ? '' : 's'}${top ? ` - ${top}` : ''}`,
  );
  const names = new Map<string, string>([
    ...storyline.actors.map((a) => [a.id, a.name] as const),
    ...storyline.themes.map((t) => [t.id, t.label] as const),
  ]);
  const header = [
    `${storyline.title}`,
    `${itemCount} new item${itemCount === 1 ? '' : 's'} in ${entries.length} development${entries.length === 1 ? '' : 's'}, up to ${formatUtc(windowEnd.toISOString())}`,
    '',
  ].join('\n');
  const blocks = entries.map((entry, i) => renderEntry(entry, i + 1, names));
  return { subject, text: fitMessage(header, blocks), itemCount };
}

function renderEntry(entry: DigestEntry, position: number, names: Map<string, string>): string {
  const { lead } = entry;
  const lines = [`${position}. ${lead.title}`];
  lines.push(
    `   ${entry.sources.join(', ') || 'unknown source'} | ${formatUtc(lead.publishedAt ?? lead.firstSeenAt)}`,
  );
  if (lead.url) lines.push(`   ${lead.url}`);
  const why = [...lead.actors, ...lead.themes].map((id) => names.get(id) ?? id).join(', ');
  lines.push(`   Why: ${why} (score ${lead.score})`);
  if (entry.others.length > 0) {
    lines.push(`   Also reported: ${entry.others.map((o) => o.url ?? o.title).join(' ; ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Adds entries while they fit, then says how many were left out, instead of failing. */
function fitMessage(header: string, blocks: string[]): string {
  let text = `${header}\n`;
  let bytes = Buffer.byteLength(text);
  for (let i = 0; i < blocks.length; i++) {
    const block = `${blocks[i]}\n`;
    const remaining = blocks.length - i;
    const footer = `... and ${remaining} more\n`;
    if (bytes + Buffer.byteLength(block) + Buffer.byteLength(footer) > MAX_MESSAGE_BYTES) {
      return `${text}${footer}`;
    }
    text += block;
    bytes += Buffer.byteLength(block);
  }
  return text.trimEnd();
}

/** One line of printable ASCII: accents transliterated, anything else dropped, cut on a word. */
export function toSubject(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (ascii.length <= MAX_SUBJECT_LENGTH) return ascii;
  const cut = ascii.slice(0, MAX_SUBJECT_LENGTH - 3);
  const space = cut.lastIndexOf(' ');
  return `${(space > 40 ? cut.slice(0, space) : cut).trimEnd()}...`;
}

function formatUtc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

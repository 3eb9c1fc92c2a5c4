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

/** Lines about alerts (shared/alerts/digest-alert-notes.ts): one under the header, one per alerted entry. */
export interface DigestNotes {
  header: string | undefined;
  byItem: ReadonlyMap<string, string>;
}

export function renderDigest(
  storyline: Storyline,
  entries: readonly DigestEntry[],
  windowEnd: Date,
  notes?: DigestNotes,
): RenderedDigest {
  const itemCount = entries.reduce((n, e) => n + 1 + e.others.length, 0);
  const top = entries[0]?.lead.title;
  const subject = toSubject(`${storyline.title}: ${plural(itemCount, 'new item')}${top ? ` - ${top}` : ''}`);
  const names = namesOf(storyline);
  const header = [
    storyline.title,
    `${plural(itemCount, 'new item')} in ${plural(entries.length, 'development')}, first seen up to ${formatUtc(windowEnd.toISOString())}`,
    ...(notes?.header ? [notes.header] : []),
    '',
  ].join('\n');
  return { subject, text: fitMessage(header, groupByTheme(storyline, entries, names, notes)), itemCount };
}

/** Actor and theme names by id, so "gustavo-petro" reads "Gustavo Petro". */
export function namesOf(storyline: Storyline): Map<string, string> {
  return new Map<string, string>([
    ...storyline.actors.map((a) => [a.id, a.name] as const),
    ...storyline.themes.map((t) => [t.id, t.label] as const),
  ]);
}

interface Section {
  heading: string;
  entries: string[];
}

/**
 * Sections by the storyline's themes, in the order of each section's best entry (entries arrive
 * ranked), so the reader scans "Intelligence sharing", "Decertification"... rather than a flat list.
 */
function groupByTheme(
  storyline: Storyline,
  entries: readonly DigestEntry[],
  names: Map<string, string>,
  notes: DigestNotes | undefined,
): Section[] {
  const themeOrder = storyline.themes.map((t) => t.id);
  const sections = new Map<string, { heading: string; entries: DigestEntry[] }>();
  for (const entry of entries) {
    const theme = themeOrder.find((id) => entry.lead.themes.includes(id));
    const heading = theme ? (names.get(theme) ?? theme) : 'Other developments';
    let section = sections.get(heading);
    if (!section) {
      section = { heading, entries: [] };
      sections.set(heading, section);
    }
    section.entries.push(entry);
  }
  // Numbered in the order the reader meets them.
  let position = 0;
  return [...sections.values()].map((s) => ({
    heading: s.heading,
    entries: s.entries.map((entry) => renderEntry(entry, names, ++position, noteOf(entry, notes))),
  }));
}

/** One development: headline (numbered when `position` is given), outlets and time, link, why, other reports. */
export function renderEntry(
  entry: DigestEntry,
  names: ReadonlyMap<string, string>,
  position?: number,
  note?: string,
): string {
  const { lead, others } = entry;
  const [first, ...more] = entry.sources;
  const outlets = `${first ?? 'unknown source'}${more.length > 0 ? `; also reported by ${more.join(', ')}` : ''}`;
  const lines = [
    position === undefined ? lead.title : `${position}. ${lead.title}`,
    `   ${outlets} | ${formatUtc(lead.publishedAt ?? lead.firstSeenAt)}`,
  ];
  if (lead.url) lines.push(`   ${lead.url}`);
  const why = lead.why ?? [...lead.actors, ...lead.themes].map((id) => names.get(id) ?? id).join(', ');
  lines.push(`   Why: ${why} (score ${lead.score})`);
  if (lead.foundBy === 'storyline-change') {
    lines.push('   Found by the changed storyline, in items seen before the change');
  }
  if (note) lines.push(`   ${note}`);
  for (const other of others) {
    const from = other.sources[0] ?? other.feeds[0] ?? '';
    lines.push(`   Also: ${other.title}${from ? ` (${from})` : ''}${other.url ? ` ${other.url}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function noteOf(entry: DigestEntry, notes: DigestNotes | undefined): string | undefined {
  if (!notes) return undefined;
  for (const item of [entry.lead, ...entry.others]) {
    const note = notes.byItem.get(item.itemKey);
    if (note) return note;
  }
  return undefined;
}

/** Adds sections and entries while they fit, then says how many entries were left out, instead of failing. */
function fitMessage(header: string, sections: readonly Section[]): string {
  const total = sections.reduce((n, s) => n + s.entries.length, 0);
  let text = `${header}\n`;
  let bytes = Buffer.byteLength(text);
  let shown = 0;
  for (const section of sections) {
    let heading = `== ${section.heading} (${section.entries.length}) ==\n\n`;
    for (const entry of section.entries) {
      const block = `${heading}${entry}\n`;
      const footer = `... and ${total - shown} more\n`;
      if (bytes + Buffer.byteLength(block) + Buffer.byteLength(footer) > MAX_MESSAGE_BYTES) {
        return `${text}${footer}`.trimEnd();
      }
      text += block;
      bytes += Buffer.byteLength(block);
      heading = '';
      shown++;
    }
  }
  return text.trimEnd();
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
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

export function formatUtc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

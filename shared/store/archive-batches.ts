import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ArchivedItem } from './records.ts';

/**
 * How the archive stores what the monitor saw. Items are packed many to a table record (a
 * gzipped JSON array) rather than one record each: a backtest reads a month of items, and
 * reading 100,000 records one by one is what made it slow; packed, it is a few hundred records.
 */

/** The most one archived item may take, as JSON before compression. */
export const MAX_ARCHIVED_ITEM_BYTES = 2048;

/** Each text field's budget in UTF-8 bytes; together they stay under MAX_ARCHIVED_ITEM_BYTES. */
const BUDGET = {
  title: 400,
  summary: 600,
  /** A link cut short no longer leads anywhere, so a longer one is dropped instead. */
  url: 600,
  feedId: 100,
  source: 100,
  lang: 16,
  publishedAt: 40,
} as const;

/** Uncompressed JSON per record; gzip never grows it past DynamoDB's 400 KB item limit. */
const MAX_BATCH_JSON_BYTES = 300 * 1024;

/** The compact form inside a batch: short keys, absent fields left out. */
interface PackedItem {
  k: string;
  t: string;
  s?: string;
  u?: string;
  f: string;
  o?: string;
  l?: string;
  p?: string;
  n: string;
}

/** Cuts each field to its budget: every archived item fits in MAX_ARCHIVED_ITEM_BYTES. */
export function boundArchivedItem(item: ArchivedItem): ArchivedItem {
  return {
    itemKey: item.itemKey,
    title: cutUtf8(item.title, BUDGET.title),
    summary: cutUtf8(item.summary, BUDGET.summary),
    url: item.url !== undefined && jsonBytes(item.url) <= BUDGET.url ? item.url : undefined,
    feedId: cutUtf8(item.feedId, BUDGET.feedId),
    source: item.source === undefined ? undefined : cutUtf8(item.source, BUDGET.source),
    lang: item.lang === undefined ? undefined : cutUtf8(item.lang, BUDGET.lang),
    publishedAt: item.publishedAt === undefined ? undefined : cutUtf8(item.publishedAt, BUDGET.publishedAt),
    firstSeenAt: item.firstSeenAt,
  };
}

/** The archived item as packed JSON, for checking the bound. */
export function packedSize(item: ArchivedItem): number {
  return Buffer.byteLength(JSON.stringify(pack(item)));
}

export interface PackedBatch {
  /** Deterministic from the items it holds, so writing the same batch twice is one record. */
  sequence: string;
  firstSeenAt: string;
  count: number;
  body: Uint8Array;
}

/** Bounded items (oldest first) into gzipped batches of at most MAX_BATCH_JSON_BYTES each. */
export function packBatches(items: readonly ArchivedItem[]): PackedBatch[] {
  const batches: PackedBatch[] = [];
  let current: string[] = [];
  let keys: string[] = [];
  let bytes = 2;
  let firstSeenAt = '';
  const close = () => {
    if (current.length === 0) return;
    batches.push({
      sequence: createHash('sha256').update(keys.join(',')).digest('base64url').slice(0, 12),
      firstSeenAt,
      count: current.length,
      body: gzipSync(`[${current.join(',')}]`),
    });
    current = [];
    keys = [];
    bytes = 2;
  };
  for (const item of items) {
    const json = JSON.stringify(pack(item));
    const size = Buffer.byteLength(json) + 1;
    if (bytes + size > MAX_BATCH_JSON_BYTES) close();
    if (current.length === 0) firstSeenAt = item.firstSeenAt;
    current.push(json);
    keys.push(item.itemKey);
    bytes += size;
  }
  close();
  return batches;
}

export function unpackBatch(body: Uint8Array): ArchivedItem[] {
  const packed = JSON.parse(gunzipSync(body).toString('utf8')) as PackedItem[];
  return packed.map((p) => ({
    itemKey: p.k,
    title: p.t,
    summary: p.s ?? '',
    url: p.u,
    feedId: p.f,
    source: p.o,
    lang: p.l,
    publishedAt: p.p,
    firstSeenAt: p.n,
  }));
}

function pack(item: ArchivedItem): PackedItem {
  const packed: PackedItem = { k: item.itemKey, t: item.title, f: item.feedId, n: item.firstSeenAt };
  if (item.summary) packed.s = item.summary;
  if (item.url !== undefined) packed.u = item.url;
  if (item.source !== undefined) packed.o = item.source;
  if (item.lang !== undefined) packed.l = item.lang;
  if (item.publishedAt !== undefined) packed.p = item.publishedAt;
  return packed;
}

/** Bytes of a string inside JSON: UTF-8, with quotes and control characters escaped. */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/** At most `maxBytes` once in JSON, cut between characters, with an ellipsis when cut. */
function cutUtf8(text: string, maxBytes: number): string {
  // No character takes more than 6 bytes in JSON (\u001f), so short text needs no counting.
  if (text.length * 6 <= maxBytes || jsonBytes(text) <= maxBytes) return text;
  const room = maxBytes - 3;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = jsonBytes(char);
    if (bytes + size > room) break;
    bytes += size;
    end += char.length;
  }
  return `${text.slice(0, end).trimEnd()}…`;
}

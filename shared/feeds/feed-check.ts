import { describeError } from '../errors.ts';
import { LANGUAGES, type Language } from '../storyline/storyline-schema.ts';
import { advertisedFeeds, looksLikeHtml } from './discover-feeds.ts';
import type { FeedSource } from './feed-list.ts';
import { DEFAULT_FETCH_LIMITS, type FetchLimits, fetchFeed, resolveFinalUrl } from './fetch-feed.ts';
import { canonicaliseUrl } from './normalise-item.ts';
import { type ReadFeed, readFeedBytes } from './read-feed.ts';

/** A feed fetched once and read: what `feeds add` and `feeds check` report. */
export interface CheckedFeed {
  url: string;
  /** Where the last redirect led. */
  finalUrl: string;
  title: string | undefined;
  language: string | undefined;
  items: number;
  /** The newest date an item gives, when any does. */
  newestItemAt: string | undefined;
  partial: boolean;
}

export type FetchedDocument =
  | { kind: 'feed'; feed: CheckedFeed }
  | { kind: 'page'; finalUrl: string; feeds: string[] }
  | { kind: 'failed'; reason: string };

/** Fetches a URL once: a feed is read, a web page gives the feeds it advertises, anything else fails. */
export async function fetchDocument(
  url: string,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): Promise<FetchedDocument> {
  let fetched: Awaited<ReturnType<typeof fetchFeed>>;
  try {
    fetched = await fetchFeed(url, {}, limits);
  } catch (error) {
    return { kind: 'failed', reason: describeError(error) };
  }
  if (fetched.kind !== 'fetched') return { kind: 'failed', reason: 'the server answered 304 to a plain GET' };
  const head = new TextDecoder('latin1').decode(fetched.body.subarray(0, 1024));
  if (looksLikeHtml(head, fetched.contentType)) {
    const html = new TextDecoder('utf-8').decode(fetched.body);
    return { kind: 'page', finalUrl: fetched.finalUrl, feeds: advertisedFeeds(html, fetched.finalUrl) };
  }
  try {
    const read = await readFeedBytes(fetched.body, fetched.contentType, { url: fetched.baseUrl });
    return { kind: 'feed', feed: summarise(url, fetched.finalUrl, read) };
  } catch (error) {
    return { kind: 'failed', reason: describeError(error) };
  }
}

function summarise(url: string, finalUrl: string, read: ReadFeed): CheckedFeed {
  const dates = read.items.map((i) => i.publishedAt).filter((d): d is string => d !== undefined);
  return {
    url,
    finalUrl,
    title: read.title,
    language: read.language ?? read.items.find((i) => i.lang)?.lang,
    items: read.items.length,
    newestItemAt: dates.sort().at(-1),
    partial: read.partial,
  };
}

export interface AddResult {
  added: FeedSource[];
  rejected: Array<{ url: string; reason: string }>;
}

/** The form two URLs of one feed share: canonical, without "www.", trailing slash or scheme. */
export function feedUrlKey(url: string): string {
  try {
    const canonical = new URL(canonicaliseUrl(url));
    canonical.hostname = canonical.hostname.replace(/^www\./, '');
    const path = canonical.pathname.replace(/\/+$/, '');
    return `${canonical.host}${path}${canonical.search}`;
  } catch {
    return url.trim();
  }
}

/**
 * Adds a feed, or the feeds a web page advertises, to a feed list. Each candidate is fetched and
 * read first; a duplicate of a listed feed (the same URL once normalised, or the same feed behind
 * a redirect, either the candidate's or a listed URL's) is refused naming the listed id. Returns
 * the new list and what was added or refused.
 */
export async function addFeeds(
  url: string,
  list: readonly FeedSource[],
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): Promise<AddResult & { list: FeedSource[] }> {
  const result: AddResult & { list: FeedSource[] } = { added: [], rejected: [], list: [...list] };
  const duplicateOf = (candidate: string) =>
    result.list.find((f) => feedUrlKey(f.url) === feedUrlKey(candidate));
  const refuse = (candidate: string, reason: string) => result.rejected.push({ url: candidate, reason });
  // Where the listed feeds lead now: fetched only once a candidate matches no listed URL as written.
  let listedFinals: Promise<Map<string, FeedSource>> | undefined;
  const addedFinals = new Map<string, FeedSource>();
  const behindRedirect = async (urls: string[]) => {
    listedFinals ??= finalUrlKeys(list, limits);
    const finals = await listedFinals;
    for (const u of urls) {
      const found = finals.get(feedUrlKey(u)) ?? addedFinals.get(feedUrlKey(u));
      if (found) return found;
    }
    return undefined;
  };

  const consider = async (candidate: string, document: FetchedDocument) => {
    if (document.kind === 'failed') return refuse(candidate, document.reason);
    if (document.kind === 'page') return refuse(candidate, 'a web page, not a feed');
    const existing =
      duplicateOf(candidate) ??
      duplicateOf(document.feed.finalUrl) ??
      (await behindRedirect([candidate, document.feed.finalUrl]));
    if (existing) return refuse(candidate, `already listed as "${existing.id}"`);
    const source = sourceFor(candidate, document.feed, result.list);
    result.list.push(source);
    result.added.push(source);
    addedFinals.set(feedUrlKey(document.feed.finalUrl), source);
  };

  const listed = duplicateOf(url);
  if (listed) {
    refuse(url, `already listed as "${listed.id}"`);
    return result;
  }
  const first = await fetchDocument(url, limits);
  if (first.kind !== 'page') {
    await consider(url, first);
    return result;
  }
  if (first.feeds.length === 0) {
    refuse(url, 'a web page that advertises no feed (no <link rel="alternate"> to RSS, Atom or JSON Feed)');
    return result;
  }
  for (const feedUrl of first.feeds) {
    const listedFeed = duplicateOf(feedUrl);
    if (listedFeed) refuse(feedUrl, `already listed as "${listedFeed.id}"`);
    else await consider(feedUrl, await fetchDocument(feedUrl, limits));
  }
  return result;
}

/**
 * The listed feeds by where their URLs lead after redirects (as feedUrlKey), fetched `concurrency`
 * at a time without reading the bodies. A feed that cannot be reached now is left out.
 */
async function finalUrlKeys(
  list: readonly FeedSource[],
  limits: FetchLimits,
  concurrency = 8,
): Promise<Map<string, FeedSource>> {
  const finals = await mapConcurrently(list, concurrency, (feed) =>
    resolveFinalUrl(feed.url, limits).catch(() => undefined),
  );
  const keys = new Map<string, FeedSource>();
  list.forEach((feed, i) => {
    const final = finals[i];
    if (final !== undefined && !keys.has(feedUrlKey(final))) keys.set(feedUrlKey(final), feed);
  });
  return keys;
}

/** `task` over every item, at most `concurrency` at once; the results in the items' order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

function sourceFor(url: string, feed: CheckedFeed, list: readonly FeedSource[]): FeedSource {
  const name = feed.title?.trim() || new URL(feed.finalUrl).hostname;
  const base = slug(name) || slug(new URL(feed.finalUrl).hostname) || 'feed';
  let id = base;
  for (let n = 2; list.some((f) => f.id === id); n++) id = `${base}-${n}`;
  const lang = toLanguage(feed.language);
  return { id, url, name, ...(lang ? { lang } : {}) };
}

/** Lower-case ASCII letters and digits joined by "-", at most 48 characters. */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

function toLanguage(tag: string | undefined): Language | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l === primary);
}

/** Every listed feed fetched once, `concurrency` at a time, in list order. */
export function checkFeeds(
  list: readonly FeedSource[],
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
  concurrency = 8,
): Promise<Array<{ source: FeedSource; document: FetchedDocument }>> {
  return mapConcurrently(list, concurrency, async (source) => ({
    source,
    document: await fetchDocument(source.url, limits),
  }));
}

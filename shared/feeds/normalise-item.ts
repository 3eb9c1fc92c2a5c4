import { createHash } from 'node:crypto';
import { load } from 'cheerio/slim';
import { LANGUAGES, type Language } from '../storyline/storyline-schema.ts';
import { parseFeedDate } from './parse-date.ts';
import type { RawFeed, RawFeedItem } from './raw-feed.ts';

/** A feed entry cleaned for matching and storage. */
export interface FeedItem {
  /** Stable id: the GUID, else the canonical URL, else a hash of title and date. */
  id: string;
  /** The headline as the feed wrote it; empty for an entry without one (social posts). */
  title: string;
  /** What to show for the entry: its title, else the first words of its summary. */
  headline: string;
  /** The feed typed the title as HTML (Atom type="html" or "xhtml") rather than as text. */
  titleWasHtml: boolean;
  url: string | undefined;
  canonicalUrl: string | undefined;
  summary: string;
  /** ISO 8601; undefined when the feed gave no usable date (the first-seen time stands in). */
  publishedAt: string | undefined;
  source: string | undefined;
  lang: Language | undefined;
}

export interface FeedContext {
  /**
   * The document's URL, which relative links and ids resolve against: the response's
   * Content-Location, else where the feed was fetched from after redirects.
   */
  feedUrl?: string | undefined;
  lang?: Language | undefined;
  /** A name for the feed, used as the source when items carry none. */
  name?: string | undefined;
}

const MAX_TITLE = 300;
const MAX_SUMMARY = 1000;
const TRACKING_PARAMETER = /^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|ocid|cmpid)$/i;

export function normaliseFeed(
  feed: RawFeed,
  context: FeedContext,
  now = Date.now(),
  checkTime: () => void = () => {},
): FeedItem[] {
  // Relative references resolve against xml:base, itself relative to the document's URL.
  const documentBase = resolveUrl(feed.base, context.feedUrl) ?? context.feedUrl;
  // A document read without its URL still has links made absolute against the feed's own link.
  const linkBase = documentBase ?? resolveUrl(feed.link, undefined);
  const feedLanguage = toLanguage(feed.language);
  const items: FeedItem[] = [];
  for (const raw of feed.items) {
    checkTime();
    const bases = {
      link: resolveUrl(raw.base, linkBase) ?? linkBase,
      id: resolveUrl(raw.base, documentBase) ?? documentBase,
    };
    const lang = context.lang ?? toLanguage(raw.language) ?? feedLanguage;
    const item = normaliseItem(raw, bases, context, lang, now);
    if (item) items.push(item);
  }
  return items;
}

/** "es-CO", "pt_BR", "EN" -> es, pt, en; other languages are not tracked. */
function toLanguage(tag: string | undefined): Language | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l === primary);
}

function normaliseItem(
  raw: RawFeedItem,
  base: { link: string | undefined; id: string | undefined },
  context: FeedContext,
  lang: Language | undefined,
  now: number,
): FeedItem | undefined {
  let title = truncate(plainText(raw.title), MAX_TITLE);
  const source = plainText(raw.source) || undefined;
  // News-search feeds write "Headline - Outlet"; keep the headline and the outlet apart.
  if (source && title.endsWith(` - ${source}`)) title = title.slice(0, -(source.length + 3)).trimEnd();
  const summary = truncate(plainText(raw.summary), MAX_SUMMARY);
  const url = articleLink(raw.link, base.link);
  const written = raw.guid?.trim() || undefined;
  const guid = raw.guidIsUri ? resolveReference(written, base.id) : written;
  // An entry without a title is kept (social feeds carry none) if anything else identifies it.
  if (!title && !summary && !url && !guid) return undefined;
  const canonicalUrl = url ? canonicaliseUrl(url) : undefined;
  const publishedAt = parseFeedDate(raw.date, now);
  return {
    id: guid ?? canonicalUrl ?? hashOf(`${title || summary}\n${publishedAt ?? ''}`),
    title,
    headline: title || firstWords(summary) || url || guid || '',
    titleWasHtml: raw.titleWasHtml === true,
    url,
    canonicalUrl,
    summary,
    publishedAt,
    source: source ?? context.name,
    lang,
  };
}

/** Markup stripped, entities decoded, whitespace collapsed. */
export function plainText(html: string | undefined): string {
  if (!html) return '';
  const text = /[<&]/.test(html) ? load(`<body>${html}</body>`).root().text() : html;
  return text.replace(/\s+/g, ' ').trim();
}

const HEADLINE_WORDS = 12;
const HEADLINE_LENGTH = 100;

/** The opening words of a text, cut at a word boundary, as a stand-in headline. */
export function firstWords(text: string): string {
  const words = text.split(' ').slice(0, HEADLINE_WORDS);
  let headline = '';
  for (const word of words) {
    const next = headline ? `${headline} ${word}` : word;
    if (next.length > HEADLINE_LENGTH) break;
    headline = next;
  }
  if (!headline) headline = text.slice(0, HEADLINE_LENGTH - 1);
  return headline.length < text.length ? `${headline.replace(/[\s,;:.-]+$/, '')}…` : headline;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** A link made absolute against a base; undefined unless it ends up http or https. */
export function resolveUrl(link: string | undefined, base: string | undefined): string | undefined {
  const trimmed = link?.trim();
  if (!trimmed) return undefined;
  try {
    const url = new URL(trimmed, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    // An absolute link is kept as the feed wrote it; the canonical URL is the normalised one.
    return /^https?:\/\/[^\s]+$/i.test(trimmed) ? trimmed : url.toString();
  } catch {
    return undefined;
  }
}

/**
 * A URI reference that is also an identifier (Atom's id): one with a scheme is kept exactly as
 * written, so the id never changes form; a relative one is resolved against an http(s) base.
 */
export function resolveReference(
  reference: string | undefined,
  base: string | undefined,
): string | undefined {
  const trimmed = reference?.trim();
  if (!trimmed || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || !base || /\s/.test(trimmed)) return trimmed;
  try {
    return new URL(trimmed, base).toString();
  } catch {
    return trimmed;
  }
}

/**
 * An item's link made absolute. Credentials in the feed's URL authorise fetching the feed, not
 * reading an article, and a relative link would inherit them: a link never keeps any. A link that
 * is only a fragment points back at the feed itself (and would inherit its query): no link.
 */
function articleLink(link: string | undefined, base: string | undefined): string | undefined {
  if (link?.trim().startsWith('#')) return undefined;
  const resolved = resolveUrl(link, base);
  if (resolved === undefined) return undefined;
  const url = new URL(resolved);
  if (!url.username && !url.password) return resolved;
  url.username = '';
  url.password = '';
  return url.toString();
}

/** Tracking parameters and the fragment removed; the host is lower-cased by URL itself. */
export function canonicaliseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  for (const key of [...parsed.searchParams.keys()]) {
    if (TRACKING_PARAMETER.test(key)) parsed.searchParams.delete(key);
  }
  return parsed.toString();
}

function hashOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

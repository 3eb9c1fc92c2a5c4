import { load } from 'cheerio/slim';

/** Types a page uses to advertise a feed in <link rel="alternate">. */
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'application/rdf+xml',
]);

/** Whether fetched bytes look like an HTML page rather than a feed. */
export function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  if (/text\/html|application\/xhtml/i.test(contentType ?? '')) return true;
  return /^\s*(?:<!doctype html|<html[\s>])/i.test(text.slice(0, 1024).replace(/^\uFEFF/, ''));
}

/**
 * The feeds a page advertises (<link rel="alternate"> with an RSS, Atom or JSON Feed type), made
 * absolute against the page's <base href> or its own URL, without repeats, in page order.
 */
export function advertisedFeeds(html: string, pageUrl: string): string[] {
  const $ = load(html);
  let base = pageUrl;
  const baseHref = $('base[href]').first().attr('href');
  if (baseHref) {
    try {
      base = new URL(baseHref, pageUrl).toString();
    } catch {
      // An unusable <base> is ignored; links resolve against the page itself.
    }
  }
  const found: string[] = [];
  $('link[href]').each((_, element) => {
    const rel = ($(element).attr('rel') ?? '').toLowerCase().split(/\s+/);
    const type = ($(element).attr('type') ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    if (!rel.includes('alternate') || !FEED_TYPES.has(type)) return;
    try {
      const url = new URL($(element).attr('href') ?? '', base);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !found.includes(url.toString()))
        found.push(url.toString());
    } catch {
      // A link that is not a URL advertises nothing.
    }
  });
  return found;
}

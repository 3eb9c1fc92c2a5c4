import { decodeFeedBytes } from './decode-feed.ts';
import type { FeedSource } from './feed-list.ts';
import { type FeedItem, normaliseFeed, plainText, resolveReference, resolveUrl } from './normalise-item.ts';
import { ParseDeadline } from './parse-deadline.ts';
import { parseFeedText } from './parse-feed.ts';

export interface ReadFeed {
  title: string | undefined;
  /** The feed typed its title as HTML (Atom type="html" or "xhtml") rather than as text. */
  titleWasHtml: boolean;
  link: string | undefined;
  /** The feed's own id (Atom), when it has one. */
  id: string | undefined;
  language: string | undefined;
  /** The document was cut short or damaged; `items` holds what came before the damage. */
  partial: boolean;
  items: FeedItem[];
}

export interface ReadOptions {
  /** Time allowed to read the feed (decode, repair, parse, normalise); FeedParseTimeoutError after. */
  timeLimitMs?: number | undefined;
}

/** Bytes of a feed to clean items: decode once, parse, normalise. Throws FeedParseError. */
export async function readFeedBytes(
  bytes: Uint8Array,
  contentType: string | undefined,
  /** `url`: the document's URL (Content-Location, else the final URL), for relative references. */
  feed: Pick<FeedSource, 'lang' | 'name'> & { url?: string | undefined },
  options: ReadOptions = {},
): Promise<ReadFeed> {
  const deadline = new ParseDeadline(options.timeLimitMs);
  const text = decodeFeedBytes(bytes, contentType);
  deadline.check();
  const raw = await parseFeedText(text, deadline);
  const title = plainText(raw.title) || undefined;
  const base = resolveUrl(raw.base, feed.url) ?? feed.url;
  return {
    title,
    titleWasHtml: raw.titleWasHtml === true,
    link: resolveUrl(raw.link, base) ?? raw.link,
    id: resolveReference(raw.id, base) || undefined,
    language: raw.language?.trim() || undefined,
    partial: raw.partial === true,
    items: normaliseFeed(
      raw,
      { feedUrl: feed.url, lang: feed.lang, name: feed.name ?? title },
      Date.now(),
      deadline.check,
    ),
  };
}

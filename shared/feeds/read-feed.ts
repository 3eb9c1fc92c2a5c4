import { decodeFeedBytes } from './decode-feed.ts';
import type { FeedSource } from './feed-list.ts';
import { type FeedItem, normaliseFeed, plainText, resolveUrl } from './normalise-item.ts';
import { parseFeedText } from './parse-feed.ts';

export interface ReadFeed {
  title: string | undefined;
  link: string | undefined;
  items: FeedItem[];
}

/** Bytes of a feed to clean items: decode once, parse, normalise. Throws FeedParseError. */
export async function readFeedBytes(
  bytes: Uint8Array,
  contentType: string | undefined,
  feed: Pick<FeedSource, 'lang' | 'name'> & { url?: string | undefined },
): Promise<ReadFeed> {
  const raw = await parseFeedText(decodeFeedBytes(bytes, contentType));
  const title = plainText(raw.title) || undefined;
  return {
    title,
    link: resolveUrl(raw.link, resolveUrl(raw.base, feed.url) ?? feed.url) ?? raw.link,
    items: normaliseFeed(raw, { feedUrl: feed.url, lang: feed.lang, name: feed.name ?? title }),
  };
}

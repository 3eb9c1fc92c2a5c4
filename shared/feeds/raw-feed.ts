/** An entry as the feed wrote it, before any cleaning. */
export interface RawFeedItem {
  title?: string | undefined;
  link?: string | undefined;
  guid?: string | undefined;
  summary?: string | undefined;
  date?: string | undefined;
  source?: string | undefined;
  /** xml:base in force for the entry, to resolve its relative links. */
  base?: string | undefined;
  language?: string | undefined;
}

export interface RawFeed {
  title?: string | undefined;
  link?: string | undefined;
  base?: string | undefined;
  language?: string | undefined;
  items: RawFeedItem[];
}

export class FeedParseError extends Error {
  override name = 'FeedParseError';
}

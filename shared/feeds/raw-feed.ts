/** An entry as the feed wrote it, before any cleaning. */
export interface RawFeedItem {
  /** HTML: text-typed titles arrive escaped. */
  title?: string | undefined;
  /** The feed typed the title as HTML (Atom type="html" or "xhtml") rather than as text. */
  titleWasHtml?: boolean | undefined;
  link?: string | undefined;
  guid?: string | undefined;
  /**
   * The GUID is Atom's id, a URI reference: a relative one resolves against the base as a link
   * does. RSS GUIDs are kept as written, whatever they look like.
   */
  guidIsUri?: boolean | undefined;
  summary?: string | undefined;
  date?: string | undefined;
  source?: string | undefined;
  /** xml:base in force for the entry, to resolve its relative links. */
  base?: string | undefined;
  language?: string | undefined;
}

export interface RawFeed {
  /** The document was cut short or damaged; this is what it held before the damage. */
  partial?: boolean | undefined;
  title?: string | undefined;
  titleWasHtml?: boolean | undefined;
  link?: string | undefined;
  /** The feed's own identifier (Atom's id), a URI reference: a relative one resolves like a link. */
  id?: string | undefined;
  base?: string | undefined;
  language?: string | undefined;
  items: RawFeedItem[];
}

export class FeedParseError extends Error {
  override name = 'FeedParseError';
}

/** Reading the feed took longer than its time limit; recorded as the feed's failure like any other. */
export class FeedParseTimeoutError extends FeedParseError {
  override name = 'FeedParseTimeoutError';
}

import Parser from 'rss-parser';

/** An entry as the feed wrote it, before any cleaning. */
export interface RawFeedItem {
  title?: string | undefined;
  link?: string | undefined;
  guid?: string | undefined;
  summary?: string | undefined;
  date?: string | undefined;
  source?: string | undefined;
}

export interface RawFeed {
  title?: string | undefined;
  link?: string | undefined;
  items: RawFeedItem[];
}

export class FeedParseError extends Error {
  override name = 'FeedParseError';
}

type CustomItem = { source?: string | { _?: string }; id?: string; description?: string };

// One parser for the process: rss-parser compiles its options once.
const parser: Parser<Record<string, never>, CustomItem> = new Parser({
  customFields: { item: ['source', 'id', 'description'] },
});

/**
 * Parses RSS 0.9x/1.0/2.0 and Atom text. A document type declaration is removed first, so entities
 * a document declares for itself are never expanded.
 */
export async function parseFeedText(text: string): Promise<RawFeed> {
  const xml = stripDoctype(text.replace(/^\uFEFF/, '').trimStart());
  if (!xml.startsWith('<')) throw new FeedParseError('not a feed: the document does not start with XML');
  let output: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    output = await parser.parseString(xml);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new FeedParseError(`not a valid RSS or Atom feed: ${reason}`);
  }
  return {
    title: output.title,
    link: output.link,
    items: output.items.map((item) => ({
      title: item.title,
      link: item.link,
      guid: item.guid ?? item.id,
      summary: item.content ?? item.summary ?? item.description,
      date: item.isoDate ?? item.pubDate,
      source: typeof item.source === 'string' ? item.source : item.source?._,
    })),
  };
}

export function stripDoctype(xml: string): string {
  return xml.replace(/<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/i, '');
}

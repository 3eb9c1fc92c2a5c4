import Parser from 'rss-parser';
import { parseJsonFeed } from './json-feed.ts';
import { FeedParseError, type RawFeed } from './raw-feed.ts';
import { repairXml } from './repair-xml.ts';

/** xml2js nodes: text in `_`, attributes in `$`, children as arrays. */
type XmlNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown };
type XmlChildren = Record<string, unknown> & { $?: Record<string, string> };

/**
 * rss-parser, taught what it leaves out: xml:base and xml:lang, Atom links by rel, Atom 0.3
 * dates, titles written as XHTML, RSS permalink GUIDs, and the news-search <source> element.
 * Its build methods call these overrides through `this`, so the extra fields ride along.
 */
class FeedParser extends Parser<ExtraFeed, ExtraItem> {
  buildAtomFeed(xml: { feed: XmlChildren }) {
    const feed = (Parser.prototype as unknown as ParserInternals).buildAtomFeed.call(this, xml);
    const attributes = xml.feed.$ ?? {};
    feed.base = attributes['xml:base'];
    feed.language = attributes['xml:lang'];
    feed.title = nodeText(first(xml.feed.title)) || undefined;
    feed.link = atomLink(xml.feed.link) ?? feed.link;
    return feed;
  }

  parseItemAtom(entry: XmlChildren) {
    const item = (Parser.prototype as unknown as ParserInternals).parseItemAtom.call(this, entry);
    item.title = nodeText(first(entry.title)) || undefined;
    item.link = atomLink(entry.link);
    item.base = entry.$?.['xml:base'];
    item.language = entry.$?.['xml:lang'];
    item.date =
      text(first(entry.published)) ??
      text(first(entry.issued)) ??
      text(first(entry.updated)) ??
      text(first(entry.modified)) ??
      text(first(entry.created));
    return item;
  }

  parseItemRss(entry: XmlChildren, fields: unknown) {
    const item = (Parser.prototype as unknown as ParserInternals).parseItemRss.call(this, entry, fields);
    const guid = first(entry.guid);
    const permalink = typeof guid === 'object' && guid?.$?.isPermaLink !== 'false';
    if (!item.link && permalink && /^https?:\/\//i.test(text(guid) ?? '')) item.link = text(guid);
    item.title = nodeText(first(entry.title)) || item.title;
    item.date = text(first(entry.pubDate)) ?? text(first(entry['dc:date']));
    item.base = entry.$?.['xml:base'];
    return item;
  }
}

interface ExtraFeed {
  base?: string;
  language?: string;
}
interface ExtraItem {
  base?: string;
  language?: string;
  date?: string;
  source?: XmlNode;
  description?: string;
  id?: string;
  'dc:language'?: string;
  'rdf:about'?: string;
}
type BuiltFeed = Parser.Output<ExtraItem> & ExtraFeed;
type BuiltItem = Parser.Item & ExtraItem;
interface ParserInternals {
  buildAtomFeed(this: FeedParser, xml: unknown): BuiltFeed;
  parseItemAtom(this: FeedParser, entry: unknown): BuiltItem;
  parseItemRss(this: FeedParser, entry: unknown, fields: unknown): BuiltItem;
}

// One parser for the process: rss-parser compiles its options once.
const parser = new FeedParser({
  // <rss> without a version attribute is read as RSS 2.0 rather than refused.
  defaultRSS: 2,
  customFields: {
    feed: ['language'],
    item: ['source', 'id', 'description', 'dc:language'],
  },
});

/**
 * Parses feed text: JSON Feed 1.x, or RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 after repairing the usual
 * malformations. Throws FeedParseError with a one-line reason when nothing can be recovered.
 */
export async function parseFeedText(text: string): Promise<RawFeed> {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) return parseJsonFeed(trimmed);
  if (!/<[a-zA-Z?!]/.test(trimmed.slice(0, 4096))) {
    throw new FeedParseError('not a feed: neither XML nor JSON Feed');
  }
  let output: BuiltFeed;
  try {
    output = (await parser.parseString(xhtmlAsHtml(repairXml(trimmed)))) as BuiltFeed;
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new FeedParseError(`not a valid RSS or Atom feed: ${reason}`);
  }
  return {
    title: stringOrUndefined(output.title),
    link: stringOrUndefined(output.link),
    base: output.base,
    language: output.language ?? stringOrUndefined((output as { language?: unknown }).language),
    items: output.items.map((item) => ({
      title: stringOrUndefined(item.title),
      link: stringOrUndefined(item.link),
      guid:
        stringOrUndefined(item.guid) ?? stringOrUndefined(item.id) ?? stringOrUndefined(item['rdf:about']),
      summary:
        stringOrUndefined(item.content) ??
        stringOrUndefined(item.summary) ??
        stringOrUndefined(item.description),
      date: item.date ?? item.isoDate ?? item.pubDate,
      source: nodeText(item.source) || undefined,
      base: item.base,
      language: item.language ?? stringOrUndefined(item['dc:language']),
    })),
  };
}

const XHTML_CONSTRUCT =
  /<(title|subtitle|summary|content)(\s[^>]*?)type=(["'])xhtml\3([^>]*)>([\s\S]*?)<\/\1>/g;

/**
 * Atom text constructs written as XHTML become escaped HTML: the XML reader would otherwise split
 * their words from their inline elements and lose the order ("Hegseth confirms <b>new strike</b> ...").
 */
function xhtmlAsHtml(xml: string): string {
  if (!xml.includes('xhtml')) return xml;
  return xml.replace(
    XHTML_CONSTRUCT,
    (_m, name: string, before: string, _q: string, after: string, inner: string) => {
      const escaped = inner.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return `<${name}${before}type="html"${after}>${escaped}</${name}>`;
    },
  );
}

/** Atom links: rel="alternate" (or no rel) first, preferring an HTML type, else the first link. */
function atomLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return typeof links === 'string' ? links : undefined;
  const candidates = links
    .map((l) =>
      typeof l === 'object' && l !== null
        ? ((l as { $?: Record<string, string> }).$ ?? {})
        : { href: String(l) },
    )
    .filter((a) => a.href);
  const alternates = candidates.filter((a) => !a.rel || a.rel === 'alternate');
  const html = alternates.find((a) => !a.type || /html/i.test(a.type));
  return (html ?? alternates[0] ?? candidates[0])?.href?.trim();
}

/** All the text of a node and its children (XHTML titles arrive as element trees). */
function nodeText(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(nodeText).join(' ');
  if (typeof node !== 'object') return String(node);
  const record = node as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof record._ === 'string') parts.push(record._);
  for (const [key, value] of Object.entries(record))
    if (key !== '_' && key !== '$') parts.push(nodeText(value));
  return parts.filter(Boolean).join(' ');
}

function first(value: unknown): XmlNode | undefined {
  return Array.isArray(value) ? (value[0] as XmlNode) : (value as XmlNode | undefined);
}

function text(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  const value = typeof node === 'string' ? node : node._;
  return value?.trim() || undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { _?: unknown })._ === 'string') {
    return (value as { _: string })._;
  }
  return undefined;
}

import Parser from 'rss-parser';
import { parseJsonFeed } from './json-feed.ts';
import { ParseDeadline } from './parse-deadline.ts';
import { FeedParseError, type RawFeed } from './raw-feed.ts';
import { repairXml } from './repair-xml.ts';

/** xml2js nodes: text in `_`, attributes in `$`, children as arrays. */
type XmlNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown };
type XmlChildren = Record<string, unknown> & { $?: Record<string, string> };

/**
 * rss-parser, taught what it leaves out: xml:base and xml:lang, Atom links by rel, Atom 0.3
 * dates, Atom text constructs by their type (text, HTML, XHTML, base64), feed ids, RSS permalink
 * GUIDs, and the news-search <source> element. Its build methods call these overrides through
 * `this`, so the extra fields ride along.
 */
class FeedParser extends Parser<ExtraFeed, ExtraItem> {
  buildAtomFeed(xml: { feed: XmlChildren }) {
    const feed = (Parser.prototype as unknown as ParserInternals).buildAtomFeed.call(this, xml);
    const attributes = xml.feed.$ ?? {};
    feed.base = attributes['xml:base'];
    feed.language = attributes['xml:lang'];
    feed.title = atomText(first(xml.feed.title)) || undefined;
    feed.titleWasHtml = isHtmlText(first(xml.feed.title));
    feed.link = atomLink(xml.feed.link) ?? feed.link;
    feed.id = text(first(xml.feed.id));
    return feed;
  }

  parseItemAtom(entry: XmlChildren) {
    // Dates are read below; rss-parser's own reading throws on a date it cannot parse.
    const { published: _published, updated: _updated, ...rest } = entry;
    const item = (Parser.prototype as unknown as ParserInternals).parseItemAtom.call(this, rest);
    item.title = atomText(first(entry.title)) || undefined;
    item.titleWasHtml = isHtmlText(first(entry.title));
    item.content = atomText(first(entry.content)) || undefined;
    item.summary = atomText(first(entry.summary)) || undefined;
    item.link = atomLink(entry.link);
    item.id = text(first(entry.id));
    item.idIsUri = item.id !== undefined;
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
    // A GUID is a permalink unless it says otherwise.
    const permalink =
      typeof guid === 'string' || (typeof guid === 'object' && guid?.$?.isPermaLink !== 'false');
    if (!item.link && permalink && /^https?:\/\//i.test(text(guid) ?? '')) item.link = text(guid);
    item.title = nodeText(first(entry.title)) || nodeText(first(entry['dc:title'])) || undefined;
    item.date = text(first(entry.pubDate)) ?? text(first(entry['dc:date']));
    item.base = entry.$?.['xml:base'];
    return item;
  }

  /** The document's root to a feed: Atom, RSS 0.9x/2.0 (with or without a channel), RSS 1.0, CDF. */
  buildFeed(document: Record<string, unknown> | null): BuiltFeed {
    const internals = Parser.prototype as unknown as ParserInternals;
    const root = Object.keys(document ?? {})[0];
    if (!document || root === undefined) throw new FeedParseError('not a feed: the document is empty');
    const value = document[root];
    const node = (typeof value === 'object' && value !== null ? value : {}) as XmlChildren;
    if (root === 'feed') return this.buildAtomFeed({ feed: node });
    if (root === 'rss' || root === 'rdf:RDF') {
      // A channel with nothing in it, or none at all, is a feed with no items.
      const found = first(node.channel);
      const channel = (typeof found === 'object' ? found : {}) as XmlChildren;
      const items = root === 'rss' ? channel.item : (node.item ?? channel.item);
      return internals.buildRSS.call(this, channel, items);
    }
    if (root.toLowerCase() === 'channel') return cdfFeed(node);
    if (root.toLowerCase() === 'html')
      throw new FeedParseError(
        'not a valid RSS or Atom feed: a web page; "feeds add URL" finds the feeds a page advertises',
      );
    throw new FeedParseError(`not a valid RSS or Atom feed: its root element is <${root}>`);
  }
}

interface ExtraFeed {
  titleWasHtml?: boolean;
  base?: string;
  language?: string;
  id?: string;
}
interface ExtraItem {
  titleWasHtml?: boolean;
  base?: string;
  language?: string;
  date?: string;
  source?: XmlNode;
  description?: string;
  id?: string;
  /** The id is Atom's, a URI reference. */
  idIsUri?: boolean;
  'dc:language'?: string;
  'rdf:about'?: string;
}
type BuiltFeed = Parser.Output<ExtraItem> & ExtraFeed;
type BuiltItem = Parser.Item & ExtraItem;
interface ParserInternals {
  buildAtomFeed(this: FeedParser, xml: unknown): BuiltFeed;
  buildRSS(this: FeedParser, channel: unknown, items: unknown): BuiltFeed;
  parseItemAtom(this: FeedParser, entry: unknown): BuiltItem;
  parseItemRss(this: FeedParser, entry: unknown, fields: unknown): BuiltItem;
}

/** Microsoft's Channel Definition Format: <CHANNEL HREF> with <TITLE>, <ABSTRACT> and <ITEM HREF>. */
function cdfFeed(channel: XmlChildren): BuiltFeed {
  const child = (node: XmlChildren, name: string) =>
    Object.entries(node).find(([key]) => key.toLowerCase() === name)?.[1];
  const attribute = (node: XmlChildren, name: string) =>
    Object.entries(node.$ ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
  const entries = child(channel, 'item');
  const items = (Array.isArray(entries) ? entries : []).map((entry) => {
    const node = (typeof entry === 'object' && entry !== null ? entry : {}) as XmlChildren;
    return {
      title: nodeText(first(child(node, 'title'))) || undefined,
      link: attribute(node, 'href'),
      content: nodeText(first(child(node, 'abstract'))) || undefined,
      date: attribute(node, 'lastmod'),
    } as BuiltItem;
  });
  return {
    title: nodeText(first(child(channel, 'title'))) || undefined,
    link: attribute(channel, 'href'),
    items,
  } as BuiltFeed;
}

/** The part of xml2js's parser that feeds sax one chunk at a time in async mode. */
interface ChunkedXmlParser {
  processAsync: () => void;
  saxParser: { errThrown?: boolean };
  emit(event: 'error', error: Error): boolean;
  parseString(xml: string, done: (error: Error | null, result: Record<string, unknown> | null) => void): void;
}

/**
 * A parser per document: in async mode xml2js reads the text in chunks, one per turn of the event
 * loop, so other feeds progress meanwhile and the deadline is checked between chunks.
 */
function parserFor(): FeedParser {
  return new FeedParser({
    // <rss> without a version attribute is read as RSS 2.0 rather than refused.
    defaultRSS: 2,
    customFields: {
      feed: ['language'],
      item: ['source', 'id', 'description', 'dc:language'],
    },
    xml2js: { async: true, chunkSize: 64 * 1024 },
  });
}

/** The document as xml2js objects, or the deadline's error if they do not come in time. */
function readXml(parser: FeedParser, xml: string, deadline: ParseDeadline) {
  const reader = (parser as unknown as { xmlParser: ChunkedXmlParser }).xmlParser;
  const step = reader.processAsync;
  reader.processAsync = () => {
    if (deadline.remainingMs() > 0) return step();
    reader.saxParser.errThrown = true;
    reader.emit('error', deadline.error());
  };
  return new Promise<Record<string, unknown> | null>((resolve, reject) => {
    // xml2js can stay silent on some broken input; the deadline answers then.
    const timer = setTimeout(() => reject(deadline.error()), deadline.remainingMs());
    reader.parseString(xml, (error, result) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    });
  });
}

/**
 * Parses feed text: JSON Feed 1.x, or RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and CDF after repairing the
 * usual malformations. Throws FeedParseError with a one-line reason when nothing can be recovered,
 * FeedParseTimeoutError when the deadline passes first.
 */
export async function parseFeedText(text: string, deadline = new ParseDeadline()): Promise<RawFeed> {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) return parseJsonFeed(trimmed);
  if (!/<[a-zA-Z?!]/.test(trimmed.slice(0, 4096))) {
    throw new FeedParseError('not a feed: neither XML nor JSON Feed');
  }
  const repaired = repairXml(trimmed, deadline.check);
  // xml2js never answers for a document without an element, so none is asked.
  if (!repaired.hasRoot)
    throw new FeedParseError('not a feed: no XML element before the end of the document');
  const parser = parserFor();
  let output: BuiltFeed;
  try {
    output = parser.buildFeed(await readXml(parser, repaired.xml, deadline));
  } catch (error) {
    if (error instanceof FeedParseError) throw error;
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new FeedParseError(`not a valid RSS or Atom feed: ${reason}`);
  }
  return {
    partial: repaired.partial,
    title: stringOrUndefined(output.title),
    titleWasHtml: output.titleWasHtml === true,
    link: stringOrUndefined(output.link),
    id: output.id,
    base: output.base,
    language: output.language ?? stringOrUndefined((output as { language?: unknown }).language),
    items: output.items.map((item) => ({
      title: stringOrUndefined(item.title),
      titleWasHtml: item.titleWasHtml === true,
      link: stringOrUndefined(item.link),
      guid:
        stringOrUndefined(item.guid) ?? stringOrUndefined(item.id) ?? stringOrUndefined(item['rdf:about']),
      guidIsUri: stringOrUndefined(item.guid) === undefined && item.idIsUri === true,
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

const HTML_TYPES = new Set(['html', 'text/html']);
const TEXT_TYPES = new Set(['text', 'text/plain']);

/**
 * An Atom text construct as HTML: text (the default) is escaped so a headline about the <blink>
 * tag keeps its words; HTML is as written; base64 (Atom 0.3) is decoded first. XHTML arrives here
 * as HTML already (the repair step escapes it).
 */
function atomText(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return escapeHtml(node);
  const attributes = node.$ ?? {};
  const type = attributes.type?.trim().toLowerCase() ?? 'text';
  const mode = attributes.mode?.trim().toLowerCase();
  if (typeof node._ !== 'string') return nodeText(node);
  // Atom 1.0 carries any type that is not text or XML in base64; Atom 0.3 says so with mode.
  const binary = type.includes('/') && !/^text\/|[+/]xml$/.test(type);
  const value =
    mode === 'base64' || binary ? Buffer.from(node._.replace(/\s+/g, ''), 'base64').toString('utf8') : node._;
  if (HTML_TYPES.has(type) || mode === 'escaped') return value;
  return TEXT_TYPES.has(type) ? escapeHtml(value) : value;
}

/** Whether atomText read a construct as HTML (any type but text) rather than as escaped text. */
function isHtmlText(node: XmlNode | undefined): boolean {
  if (node === undefined || typeof node === 'string') return false;
  const type = node.$?.type?.trim().toLowerCase() ?? 'text';
  return !TEXT_TYPES.has(type) || node.$?.mode?.trim().toLowerCase() === 'escaped';
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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

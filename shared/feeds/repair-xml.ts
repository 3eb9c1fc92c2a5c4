import { decodeHTMLStrict } from 'entities';

/** The mended document, and whether it was cut short (its open elements closed by the repair). */
export interface RepairedXml {
  xml: string;
  partial: boolean;
  /** Whether any element survived: without one there is no document to parse. */
  hasRoot: boolean;
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// Characters XML 1.0 forbids: C0 controls other than tab, newline and carriage return; U+FFFE, U+FFFF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding these control characters is the point.
const ILLEGAL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// Bounded repetitions only: every "&" is looked at over at most 34 characters.
const ENTITY_OR_AMPERSAND = /&(?:([A-Za-z][A-Za-z0-9]{0,31});|#([0-9]{1,7});|#[xX]([0-9A-Fa-f]{1,6});)?/g;
const NAME = /[\p{L}_][-\p{L}\p{N}_.:\u00b7]*/uy;
const ATTRIBUTE_NAME = /[^\s=/>"'<]+/y;
const UNQUOTED_VALUE = /[^\s>"'<]*/y;
const SPACE = /\s*/y;
const VALID_NAME = /^[\p{L}_:][-\p{L}\p{N}_.:\u00b7]*$/u;

/** Namespaces of the formats rss-parser reads by their unprefixed element names. */
const RSS_NAMESPACES = new Set([
  'http://purl.org/rss/1.0/',
  'http://my.netscape.com/rdf/simple/0.9/',
  'http://backend.userland.com/rss2',
  'http://backend.userland.com/rss',
  'http://blogs.law.harvard.edu/tech/rss',
]);
const ATOM_NAMESPACES = new Set(['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#']);
/** Text constructs: written as XHTML, or with elements inside, they are carried on as escaped HTML. */
const TEXT_CONSTRUCTS = new Set(['title', 'subtitle', 'summary', 'content', 'tagline', 'info', 'rights']);
const ENTRY_ELEMENTS = new Set(['item', 'entry']);

/** Checked now and then by long loops; throws to stop work that has run out of time. */
export type TimeCheck = () => void;

/**
 * indexOf that remembers, per pattern, the last answer: a search from a later point that lands
 * before it has the same answer. Repeated unclosed constructs then cost one scan, not one each.
 */
class Finder {
  private readonly memo = new Map<string, { from: number; at: number }>();
  constructor(private readonly text: string) {}

  find(pattern: string, from: number): number {
    const known = this.memo.get(pattern);
    if (known && known.from <= from && (known.at < 0 || known.at >= from)) return known.at;
    const at = this.text.indexOf(pattern, from);
    this.memo.set(pattern, { from, at });
    return at;
  }
}

/** An open text construct whose content may turn out to be markup to carry on as escaped HTML. */
interface Capture {
  depth: number;
  /** Where its content starts in the output. */
  from: number;
  /** Where its start tag is in the output, and the tag rewritten to say type="html". */
  tagAt: number;
  htmlTag: string;
  /** Declared XHTML, or elements found inside: either way the content is markup. */
  markup: boolean;
}

interface OpenElement {
  name: string;
  /** Where its start tag begins in the output, to drop an entry the cut left half-written. */
  at: number;
}

/**
 * Mends the malformations real feeds are full of, so a strict XML parser can read them, in one
 * pass over the text (no backtracking pattern ever sees the document): junk or a byte-order mark
 * before the document, a DOCTYPE (dropped, so the document's own entities are never expanded),
 * HTML entities XML does not know (&nbsp; &eacute; ...), bare ampersands, numeric references to
 * forbidden characters, stray "<" in text, unquoted or repeated attributes, control characters,
 * end tags that do not match, RSS and Atom elements written with a namespace prefix, Atom text
 * written as XHTML (kept as escaped HTML, so words stay in order) and a document cut short: its
 * half-written entry is dropped and what was open is closed.
 */
export function repairXml(text: string, checkTime: TimeCheck = () => {}): RepairedXml {
  const start = text.search(/<[?!a-zA-Z]/);
  const source = (start > 0 ? text.slice(start) : text).replace(ILLEGAL_CHARACTERS, '');
  return new XmlRepair(source, checkTime).run();
}

class XmlRepair {
  private readonly out: string[] = [];
  private readonly open: OpenElement[] = [];
  /** How many elements of each name are open, so an end tag that closes nothing costs nothing. */
  private readonly openCount = new Map<string, number>();
  private readonly prefixes = new Map<string, string>();
  private readonly finder: Finder;
  private rootNamespace: string | undefined;
  private rootSeen = false;
  private rootClosed = false;
  private partial = false;
  /** While an XHTML text construct is open: its depth in `open` and where its content starts. */
  private capture: Capture | undefined;
  private steps = 0;
  private elements = 0;

  constructor(
    private readonly text: string,
    private readonly checkTime: TimeCheck,
  ) {
    this.finder = new Finder(text);
  }

  run(): RepairedXml {
    const { text } = this;
    let i = 0;
    while (i < text.length && !this.rootClosed) {
      if ((++this.steps & 0xfff) === 0) this.checkTime();
      // Scanning only moves forward, so a plain search for "<" never repeats work.
      const lt = text.indexOf('<', i);
      if (lt < 0) {
        this.emitText(text.slice(i));
        break;
      }
      if (lt > i) this.emitText(text.slice(i, lt));
      i = this.markup(lt);
    }
    this.finish();
    return { xml: this.out.join(''), partial: this.partial, hasRoot: this.elements > 0 };
  }

  /** Handles the markup starting at `lt`; returns where scanning resumes. */
  private markup(lt: number): number {
    const { text } = this;
    if (text.startsWith('<!--', lt)) return this.literal(lt, '-->', '<!--');
    if (text.startsWith('<![CDATA[', lt)) return this.literal(lt, ']]>', '<![CDATA[');
    if (text.startsWith('<!', lt)) return this.declaration(lt);
    if (text.startsWith('<?', lt)) return this.instruction(lt);
    if (text.startsWith('</', lt)) return this.endTag(lt);
    NAME.lastIndex = lt + 1;
    if (NAME.test(text)) return this.startTag(lt);
    if (this.open.length > 0) this.out.push('&lt;');
    return lt + 1;
  }

  /** A comment or CDATA section, copied as it is; one the cut left open is closed. */
  private literal(lt: number, close: string, open: string): number {
    const end = this.finder.find(close, lt + open.length);
    if (end < 0) {
      this.partial = true;
      // An unclosed comment holds nothing worth keeping; an unclosed CDATA section holds text.
      if (open === '<![CDATA[' && this.open.length > 0) this.out.push(`${this.text.slice(lt)}]]>`);
      return this.text.length;
    }
    if (this.open.length > 0 || open === '<!--') this.out.push(this.text.slice(lt, end + close.length));
    return end + close.length;
  }

  /** <!DOCTYPE ...> (with its internal subset) and other declarations are dropped. */
  private declaration(lt: number): number {
    const { text } = this;
    if (!this.rootSeen && /^<!DOCTYPE/i.test(text.slice(lt, lt + 9))) {
      // Brackets and quotes are followed to the end of the internal subset, in one pass.
      let depth = 0;
      let quote = '';
      for (let i = lt + 9; i < text.length; i++) {
        const c = text[i];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '[') depth++;
        else if (c === ']') depth = Math.max(0, depth - 1);
        else if (c === '>' && depth === 0) return i + 1;
      }
      // Brackets or quotes that never close: the doctype ends at its first ">" instead.
      this.rootSeen = true;
    }
    const gt = this.finder.find('>', lt);
    if (gt < 0) this.partial = true;
    return gt < 0 ? text.length : gt + 1;
  }

  /** Processing instructions are kept, but an XML declaration only at the very start. */
  private instruction(lt: number): number {
    const end = this.finder.find('?>', lt + 2);
    if (end < 0) {
      this.partial = true;
      return this.text.length;
    }
    const isDeclaration = /^<\?xml\s/i.test(this.text.slice(lt, lt + 6));
    if (!isDeclaration || this.out.length === 0) this.out.push(this.text.slice(lt, end + 2));
    return end + 2;
  }

  private startTag(lt: number): number {
    const { text } = this;
    NAME.lastIndex = lt + 1;
    const rawName = NAME.exec(text)?.[0] ?? '';
    const attributes: Array<[string, string, string]> = [];
    const seen = new Set<string>();
    let i = lt + 1 + rawName.length;
    let selfClosing = false;
    for (;;) {
      SPACE.lastIndex = i;
      SPACE.test(text);
      i = SPACE.lastIndex;
      const c = text[i];
      if (c === undefined) {
        // The cut fell inside this tag: it is dropped.
        this.partial = true;
        return text.length;
      }
      if (c === '>') {
        i++;
        break;
      }
      if (c === '<') break;
      if (c === '/') {
        if (text[i + 1] === '>') {
          selfClosing = true;
          i += 2;
          break;
        }
        i++;
        continue;
      }
      ATTRIBUTE_NAME.lastIndex = i;
      const name = ATTRIBUTE_NAME.exec(text)?.[0];
      if (!name) {
        i++;
        continue;
      }
      i += name.length;
      SPACE.lastIndex = i;
      SPACE.test(text);
      let value = name;
      let quote = '"';
      if (text[SPACE.lastIndex] === '=') {
        SPACE.lastIndex += 1;
        SPACE.test(text);
        i = SPACE.lastIndex;
        const q = text[i];
        if (q === '"' || q === "'") {
          // A value runs to its closing quote; a "<" first means the quote was never closed.
          let end = i + 1;
          while (end < text.length && text[end] !== q && text[end] !== '<') end++;
          value = text.slice(i + 1, end);
          quote = q;
          i = text[end] === q ? end + 1 : end;
        } else {
          UNQUOTED_VALUE.lastIndex = i;
          value = UNQUOTED_VALUE.exec(text)?.[0] ?? '';
          i += value.length;
        }
      }
      if (VALID_NAME.test(name) && !seen.has(name)) {
        seen.add(name);
        attributes.push([name, value, quote]);
      }
    }
    this.openElement(rawName, attributes, selfClosing);
    return i;
  }

  private openElement(rawName: string, attributes: Array<[string, string, string]>, selfClosing: boolean) {
    for (const [name, value] of attributes) {
      if (name.startsWith('xmlns:')) this.prefixes.set(name.slice(6), value.trim());
    }
    if (!this.rootSeen || this.open.length === 0) {
      this.rootSeen = true;
      const colon = rawName.indexOf(':');
      this.rootNamespace =
        colon >= 0
          ? this.prefixes.get(rawName.slice(0, colon))
          : attributes.find(([n]) => n === 'xmlns')?.[1].trim();
    }
    const name = this.localName(rawName);
    const type = attributes.find(([n]) => n === 'type')?.[1].toLowerCase();
    const mode = attributes.find(([n]) => n === 'mode')?.[1].toLowerCase();
    if (this.capture) this.capture.markup = true;
    // A text construct (title, summary...) holding elements, or declared XHTML, is watched.
    const watched =
      !selfClosing &&
      this.capture === undefined &&
      TEXT_CONSTRUCTS.has(name) &&
      (mode === undefined || mode === 'xml');
    const tag = (asHtml: boolean) => {
      const written = attributes
        .filter(([n]) => !(asHtml && n === 'type'))
        .map(([n, v, q]) => {
          const value = mendText(v).replace(q === '"' ? /"/g : /'/g, q === '"' ? '&quot;' : '&apos;');
          return ` ${n}=${q}${value}${q}`;
        });
      return `<${name}${asHtml ? ' type="html"' : ''}${written.join('')}${selfClosing ? '/>' : '>'}`;
    };
    const at = this.out.length;
    this.elements++;
    this.out.push(tag(false));
    if (selfClosing) {
      if (this.open.length === 0) this.rootClosed = true;
      return;
    }
    this.open.push({ name, at });
    this.count(name, 1);
    if (watched) {
      this.capture = {
        depth: this.open.length,
        from: this.out.length,
        tagAt: at,
        htmlTag: tag(true),
        markup: type === 'xhtml' || type === 'application/xhtml+xml',
      };
    }
  }

  private endTag(lt: number): number {
    const { text } = this;
    // "</name" runs to its ">"; cut off, or broken by another "<", it still closes "name".
    let stop = lt + 2;
    while (stop < text.length && text[stop] !== '>' && text[stop] !== '<') stop++;
    if (stop >= text.length) this.partial = true;
    NAME.lastIndex = lt + 2;
    const name = this.localName(NAME.exec(text)?.[0] ?? '');
    const depth = this.depthOf(name);
    // An end tag that closes nothing open is dropped; one that skips open elements closes them too.
    if (depth >= 0) this.closeTo(depth);
    return text[stop] === '>' ? stop + 1 : stop;
  }

  /** Where the innermost open element of that name is (any case as a fallback); -1 if none. */
  private depthOf(name: string): number {
    const top = this.open.length - 1;
    if (this.open[top]?.name === name) return top;
    const lower = name.toLowerCase();
    if ((this.openCount.get(lower) ?? 0) === 0) return -1;
    let loose = -1;
    for (let depth = top; depth >= 0; depth--) {
      const open = this.open[depth]?.name ?? '';
      if (open === name) return depth;
      if (loose < 0 && open.toLowerCase() === lower) loose = depth;
    }
    return loose;
  }

  /** Open elements are counted by lower-cased name. */
  private count(name: string, delta: number): void {
    const key = name.toLowerCase();
    this.openCount.set(key, (this.openCount.get(key) ?? 0) + delta);
  }

  /** Closes the open elements down to and including the one at `depth`. */
  private closeTo(depth: number): void {
    while (this.open.length > depth) {
      const element = this.open.pop() as OpenElement;
      this.count(element.name, -1);
      if (this.capture && this.open.length < this.capture.depth) this.endCapture();
      this.out.push(`</${element.name}>`);
    }
    if (this.open.length === 0) this.rootClosed = true;
  }

  /** The XHTML written so far inside a text construct becomes one escaped text node. */
  private endCapture(): void {
    const capture = this.capture;
    if (!capture) return;
    this.capture = undefined;
    if (!capture.markup) return;
    const inner = this.out.splice(capture.from).join('');
    this.out[capture.tagAt] = capture.htmlTag;
    this.out.push(inner.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  }

  private finish(): void {
    if (this.open.length === 0) return;
    this.partial = true;
    // An entry the cut fell inside is dropped: its end, and perhaps its id, are missing.
    const entry = this.open.findIndex((e, depth) => depth > 0 && ENTRY_ELEMENTS.has(e.name));
    if (entry > 0) {
      const element = this.open[entry] as OpenElement;
      if (this.capture && this.capture.from > element.at) this.capture = undefined;
      this.out.length = element.at;
      while (this.open.length > entry) this.count((this.open.pop() as OpenElement).name, -1);
    }
    this.closeTo(0);
  }

  private emitText(text: string): void {
    if (this.open.length === 0) return;
    const mended = mendText(text);
    this.out.push(mended.includes('>') ? mended.replace(/>/g, '&gt;') : mended);
  }

  /**
   * A name without its prefix when the prefix stands for the document's own format: RSS elements
   * under a prefix (rss:item, r:channel), or Atom ones when the root is Atom (atom:entry).
   */
  private localName(name: string): string {
    const colon = name.indexOf(':');
    if (colon < 0) return name;
    const namespace = this.prefixes.get(name.slice(0, colon));
    if (namespace === undefined) return name;
    const ownFormat =
      RSS_NAMESPACES.has(namespace) || (ATOM_NAMESPACES.has(namespace) && namespace === this.rootNamespace);
    return ownFormat ? name.slice(colon + 1) : name;
  }
}

/** Entities and ampersands mended in text or an attribute value; "<" escaped. */
function mendText(text: string): string {
  const mended = text.includes('&') ? text.replace(ENTITY_OR_AMPERSAND, fixEntity) : text;
  return mended.includes('<') ? mended.replace(/</g, '&lt;') : mended;
}

function fixEntity(match: string, name?: string, decimal?: string, hex?: string): string {
  if (name !== undefined) {
    if (XML_ENTITIES.has(name)) return match;
    const decoded = decodeHTMLStrict(match);
    // An HTML entity becomes its character; anything unknown becomes literal text.
    return decoded !== match ? escapeText(decoded) : `&amp;${name};`;
  }
  if (decimal !== undefined || hex !== undefined) {
    const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
    if (!isAllowedCodePoint(code)) return '';
    // XML spells the hexadecimal form with a lower-case x only.
    return hex !== undefined ? `&#x${hex};` : match;
  }
  return '&amp;';
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function isAllowedCodePoint(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

import { decodeHTMLStrict } from 'entities';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// Characters XML 1.0 forbids: C0 controls other than tab, newline and carriage return; U+FFFE, U+FFFF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding these control characters is the point.
const ILLEGAL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const ENTITY_OR_AMPERSAND = /&(?:([A-Za-z][A-Za-z0-9]{0,31});|#([0-9]{1,7});|#[xX]([0-9A-Fa-f]{1,6});)?/g;
const DOCTYPE = /<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/i;
const STRAY_LESS_THAN = /<(?=[\s\d=<]|$)/g;
const LITERAL_SECTIONS = /(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/;

/**
 * Mends the malformations real feeds are full of, so a strict XML parser can read them:
 * junk or a byte-order mark before the document, a DOCTYPE (dropped, so the document's own
 * entities are never expanded), HTML entities XML does not know (&nbsp; &eacute; ...), bare
 * ampersands, numeric references to forbidden characters, stray "<" in text, and control characters.
 */
export function repairXml(text: string): string {
  let xml = text.replace(/^\uFEFF/, '');
  const start = xml.search(/<[?!a-zA-Z]/);
  if (start > 0) xml = xml.slice(start);
  xml = xml.replace(DOCTYPE, '');
  // A declaration is only allowed at the very start; a second one (concatenated feeds) is dropped.
  xml = xml.replace(/(?!^)<\?xml[^>]*\?>/g, '');
  xml = xml.replace(ILLEGAL_CHARACTERS, '');
  // CDATA sections and comments are literal: only the text between them is mended.
  return xml
    .split(LITERAL_SECTIONS)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(ENTITY_OR_AMPERSAND, fixEntity).replace(STRAY_LESS_THAN, '&lt;'),
    )
    .join('');
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
    return isAllowedCodePoint(code) ? match : '';
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

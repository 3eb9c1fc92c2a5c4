import type { MatchInput } from '#shared/storyline/storyline-matcher.ts';
import { UsageError } from './cli-io.ts';

/** One item of `match`'s stdin. */
export interface MatchItem extends MatchInput {
  id: string | number;
  url?: string | undefined;
  lang?: string | undefined;
}

/**
 * The item on stdin line `lineNumber`, which is `text` from `start` to `end`; undefined for a
 * blank line. The common line (an object of the item's own fields, strings without escapes) is
 * read by hand in one pass; any other line goes through JSON.parse and the checks below, so
 * both ways give the same item and the same errors.
 */
export function readItemLine(
  text: string,
  start: number,
  end: number,
  lineNumber: number,
): MatchItem | undefined {
  return readPlainItem(text, start, end) ?? parseItemLine(text.slice(start, end), lineNumber);
}

const OPTIONAL_TEXT = ['summary', 'url', 'lang', 'publishedAt'] as const;

/**
 * One stdin line as an item, checked by hand (a schema library costs more than the matching at
 * hundreds of thousands of lines a second). Blank lines give undefined.
 */
export function parseItemLine(raw: string, lineNumber: number): MatchItem | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    if (line.trim() === '') return undefined;
    throw new UsageError(`match: stdin line ${lineNumber} is not JSON; give one JSON object per line`);
  }
  const where = `match: stdin line ${lineNumber}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: must be a JSON object like {"id": "1", "title": "..."}`);
  }
  const item = value as Record<string, unknown>;
  if (typeof item.id !== 'string' && typeof item.id !== 'number') {
    throw new UsageError(`${where}: id must be a string or a number`);
  }
  if (typeof item.title !== 'string') throw new UsageError(`${where}: title must be a string`);
  for (const key of OPTIONAL_TEXT) {
    if (item[key] !== undefined && typeof item[key] !== 'string') {
      throw new UsageError(`${where}: ${key} must be a string when given`);
    }
  }
  if (item.publishedAt !== undefined && Number.isNaN(Date.parse(item.publishedAt as string))) {
    throw new UsageError(`${where}: publishedAt must be an ISO 8601 date, e.g. "2025-11-12T08:00:00Z"`);
  }
  return item as unknown as MatchItem;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * The item of a line that is a JSON object whose keys are the item's fields, whose values are
 * strings without escapes (an id may be a number) and whose item is valid; otherwise undefined,
 * and the line is left to JSON.parse.
 */
function readPlainItem(text: string, start: number, end: number): MatchItem | undefined {
  let id: string | number | undefined;
  let title: string | undefined;
  let summary: string | undefined;
  let url: string | undefined;
  let lang: string | undefined;
  let publishedAt: string | undefined;
  let i = skipSpace(text, start, end);
  if (i === end || text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i = skipSpace(text, i + 1, end);
  for (;;) {
    if (i === end || text.charCodeAt(i) !== QUOTE) return undefined;
    const keyStart = i + 1;
    const keyEnd = plainStringEnd(text, keyStart, end);
    if (keyEnd < 0) return undefined;
    i = skipSpace(text, keyEnd + 1, end);
    if (i === end || text.charCodeAt(i) !== COLON) return undefined;
    i = skipSpace(text, i + 1, end);
    if (i === end) return undefined;
    let value: string | number;
    if (text.charCodeAt(i) === QUOTE) {
      const valueEnd = plainStringEnd(text, i + 1, end);
      if (valueEnd < 0) return undefined;
      value = text.slice(i + 1, valueEnd);
      i = valueEnd + 1;
    } else {
      const numberEnd = jsonNumberEnd(text, i, end);
      if (numberEnd < 0) return undefined;
      value = Number(text.slice(i, numberEnd));
      i = numberEnd;
    }
    const field = fieldAt(text, keyStart, keyEnd - keyStart);
    if (field === 'id') id = value;
    else if (typeof value !== 'string') return undefined;
    else if (field === 'title') title = value;
    else if (field === 'summary') summary = value;
    else if (field === 'url') url = value;
    else if (field === 'lang') lang = value;
    else if (field === 'publishedAt') publishedAt = value;
    else return undefined;
    i = skipSpace(text, i, end);
    const c = i < end ? text.charCodeAt(i) : -1;
    if (c === COMMA) {
      i = skipSpace(text, i + 1, end);
      continue;
    }
    if (c !== CLOSE_BRACE || skipSpace(text, i + 1, end) !== end) return undefined;
    break;
  }
  if (id === undefined || title === undefined) return undefined;
  if (publishedAt !== undefined && Number.isNaN(Date.parse(publishedAt))) return undefined;
  return { id, title, summary, url, lang, publishedAt };
}

type Field = 'id' | 'title' | 'summary' | 'url' | 'lang' | 'publishedAt';

/** Item fields by the length of their names. */
const FIELDS_BY_LENGTH: ReadonlyArray<Field | undefined> = (() => {
  const fields: Array<Field | undefined> = [];
  for (const field of ['id', 'title', 'summary', 'url', 'lang', 'publishedAt'] as const)
    fields[field.length] = field;
  return Array.from(fields);
})();

/** Which item field the key `text[start, start + length)` names, without making a string of it. */
function fieldAt(text: string, start: number, length: number): Field | undefined {
  const field = FIELDS_BY_LENGTH[length];
  return field !== undefined && text.startsWith(field, start) ? field : undefined;
}

/** Past JSON whitespace; `end` at most. */
function skipSpace(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return i;
    i++;
  }
  return end;
}

/**
 * Where a string's closing quote is, when the string needs no unescaping: -1 at a backslash, a
 * control character (JSON.parse refuses those), half of a surrogate pair or the end of the line.
 */
function plainStringEnd(text: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) return -1;
  }
  return -1;
}

/** The end of a JSON number starting at i, or -1 when there is none. */
function jsonNumberEnd(text: string, i: number, end: number): number {
  const code = (at: number) => (at < end ? text.charCodeAt(at) : -1);
  if (code(i) === MINUS) i++;
  if (code(i) === ZERO) i++;
  else {
    const digitsFrom = i;
    i = digitsEnd(text, i, end);
    if (i === digitsFrom) return -1;
  }
  if (code(i) === DOT) {
    const digitsFrom = ++i;
    i = digitsEnd(text, i, end);
    if (i === digitsFrom) return -1;
  }
  if (code(i) === 0x65 || code(i) === 0x45) {
    i++;
    if (code(i) === PLUS || code(i) === MINUS) i++;
    const digitsFrom = i;
    i = digitsEnd(text, i, end);
    if (i === digitsFrom) return -1;
  }
  return i;
}

function digitsEnd(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return i;
    i++;
  }
  return end;
}

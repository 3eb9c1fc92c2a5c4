import type * as z from 'zod';
import { findJsonErrorOffset } from './json-error-position.ts';

/** Formats a zod issue path as it would be written in the file: `actors[3].aliases.es[0]`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** One line per problem, each naming where in the document it is. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Parses JSON and, on failure, reports the line and column where it goes wrong. A leading
 * byte-order mark (some editors write one) is not part of the document.
 */
export function parseJsonText(withMark: string): JsonParseResult {
  const text = withMark.charCodeAt(0) === 0xfeff ? withMark.slice(1) : withMark;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const offset = Math.max(0, findJsonErrorOffset(text));
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const found =
      offset >= text.length ? 'the end of the file' : JSON.stringify(text.slice(offset, offset + 12));
    return { ok: false, error: `invalid JSON at line ${line} column ${column}, near ${found}` };
  }
}

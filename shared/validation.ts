import type { z } from 'zod';

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

/** Parses JSON and, on failure, reports the line and column rather than a raw offset. */
export function parseJsonText(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    if (position === undefined || /line \d+/.test(message)) return { ok: false, error: `invalid JSON: ${message}` };
    const before = text.slice(0, Number(position));
    const line = before.split('\n').length;
    const column = Number(position) - before.lastIndexOf('\n');
    return { ok: false, error: `invalid JSON at line ${line} column ${column}: ${message}` };
  }
}

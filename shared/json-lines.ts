import type * as z from 'zod';
import { formatIssues } from './validation.ts';

/**
 * Parses JSON Lines against a schema, skipping blank lines. A bad line is reported through
 * `problem`, given the line's number and what is wrong with it, written to follow "line N"
 * (" is not JSON; ..." or ": title: must be a string"), so the caller words the error for its users.
 */
export function parseJsonLines<S extends z.ZodType>(
  text: string,
  schema: S,
  problem: (lineNumber: number, whatIsWrong: string) => Error,
): Array<z.infer<S>> {
  const records: Array<z.infer<S>> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw problem(i + 1, ' is not JSON; give one JSON object per line');
    }
    const result = schema.safeParse(value);
    if (!result.success) throw problem(i + 1, `: ${formatIssues(result.error).join('; ')}`);
    records.push(result.data);
  }
  return records;
}

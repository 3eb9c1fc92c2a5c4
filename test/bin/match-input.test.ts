import { describe, expect, it } from 'vitest';
import { parseItemLine, readItemLine } from '../../bin/match-input.ts';

/** What a line gives, the fast way and through JSON.parse: the item's fields, or the error. */
function outcome(read: () => unknown): unknown {
  try {
    const item = read() as Record<string, unknown> | undefined;
    if (item === undefined) return undefined;
    const { id, title, summary, url, lang, publishedAt } = item;
    return { id, title, summary, url, lang, publishedAt };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const LINES = [
  '{"id":"1","title":"US strikes boat"}',
  '{"id": 2, "title": "Petro", "summary": "EE.UU.", "lang": "es", "url": "https://x", "publishedAt": "2025-11-12"}',
  ' { "title" : "x" , "id" : -0 } \r',
  '{"id":1e3,"title":"x"}',
  '{"id":1.5E-7,"title":"x"}',
  '{"id":0.5,"title":"x"}',
  '{"id":01,"title":"x"}',
  '{"id":-,"title":"x"}',
  '{"id":1.,"title":"x"}',
  '{"id":1e,"title":"x"}',
  '{"id":"1","title":"x","title":"US strikes"}',
  '{"id":"1","title":"tab\there"}',
  '{"id":"1","title":"quote \\" and \\u00e9"}',
  '{"id":"1","title":"Bogotá “x” \u2028 😀"}',
  '{"id":"1","title":"\ud800"}',
  '{"id":"1","title":"x","extra":{"a":[1]}}',
  '{"id":"1","title":"x","__proto__":{"title":5}}',
  '{"id":"1","title":"x","summary":null}',
  '{"id":"1","title":"x","lang":5}',
  '{"id":"1","title":"x","publishedAt":"yesterday"}',
  '{"id":true,"title":"x"}',
  '{"title":"x"}',
  '{"id":"1"}',
  '{"id":"1","title":5}',
  '{"id":"1","title":"x"',
  '{"id":"1","title":"x"} trailing',
  '{"id":"1","title":"x",}',
  '{}',
  '[1,2]',
  'null',
  '"string"',
  'not json',
  '',
  '   ',
  '\r',
];

describe('readItemLine', () => {
  it.each(LINES)('reads %j as JSON.parse and the checks do', (line) => {
    const text = `{"id":"before"}\n${line}\n{"id":"after"}`;
    const start = text.indexOf('\n') + 1;
    const end = text.lastIndexOf('\n');
    expect(outcome(() => readItemLine(text, start, end, 7))).toEqual(outcome(() => parseItemLine(line, 7)));
  });

  it('reads a last line that has no newline after it', () => {
    const line = '{"id":3,"title":"x"}';
    expect(outcome(() => readItemLine(line, 0, line.length, 1))).toEqual(
      outcome(() => parseItemLine(line, 1)),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseItemLine, readItemLine } from '../../bin/match-input.ts';

/** The hand reader must give exactly what JSON.parse and the checks give, or leave the line to them. */
const lines = [
  '{"id":"1","title":"Petro responds to Trump"}',
  '{ "id" : 7 , "title" : "Ataque a lancha en el Caribe" , "lang" : "es" }',
  '{"id":"2","title":"EUA atacam barco","summary":"Três mortos","url":"https://x.example/a","publishedAt":"2025-11-12T08:00:00Z"}',
  '{"id":"3","title":"first","title":"second"}',
  '{"id":"4","title":"with \\"escaped\\" quotes \\u00e9"}',
  '{"id":"5","title":"unknown keys go to JSON.parse","extra":[1,2]}',
  '{"id":-1.5e2,"title":"a number id"}',
  '{"id":"6","title":"crlf line"}\r',
];

describe('readItemLine', () => {
  it('reads every valid line as JSON.parse and the checks do', () => {
    lines.forEach((line, k) => {
      expect(readItemLine(line, 0, line.length, k + 1)).toEqual(parseItemLine(line, k + 1));
    });
  });

  it('reads a line in the middle of a chunk by its bounds', () => {
    const chunk = `${lines[0]}\n${lines[1]}\n`;
    const start = chunk.indexOf('\n') + 1;
    expect(readItemLine(chunk, start, chunk.length - 1, 2)).toEqual(parseItemLine(lines[1] as string, 2));
  });

  it('gives the same one-line errors for lines it cannot take', () => {
    for (const line of [
      '{"id":"1"}',
      '{"id":true,"title":"x"}',
      '{"id":"1","title":"x","publishedAt":"yesterday"}',
      '{"id":"1","title":2}',
      'not json',
    ]) {
      expect(() => readItemLine(line, 0, line.length, 9)).toThrow(/^match: stdin line 9/);
    }
    expect(readItemLine('   ', 0, 3, 1)).toBeUndefined();
  });
});

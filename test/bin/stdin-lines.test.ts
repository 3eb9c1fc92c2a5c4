import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../bin/stdin-lines.ts';

async function collect(chunks: Array<string | Buffer>, maxLineBytes = 1024): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(Readable.from(chunks), { maxLineBytes, name: 'stdin' }))
    lines.push(line);
  return lines;
}

describe('readLines', () => {
  it('splits on LF and CRLF, keeps empty lines, and reads a last line without a newline', async () => {
    expect(await collect(['a\r\nb', '\n\nc'])).toEqual(['a', 'b', '', 'c']);
    expect(await collect(['a\n'])).toEqual(['a']);
    expect(await collect([])).toEqual([]);
  });

  it('keeps a character whose bytes arrive in two chunks', async () => {
    const bytes = Buffer.from('Bogotá\nPetro\n');
    expect(await collect([bytes.subarray(0, 6), bytes.subarray(6)])).toEqual(['Bogotá', 'Petro']);
  });

  it('stops at a line longer than the limit, naming its number, before reading it all', async () => {
    let served = 0;
    const endless = Readable.from(
      (function* () {
        yield 'short\n';
        for (;;) {
          served++;
          yield 'x'.repeat(100);
        }
      })(),
    );
    const lines: string[] = [];
    const reading = (async () => {
      for await (const line of readLines(endless, { maxLineBytes: 1_000, name: 'stdin' })) lines.push(line);
    })();
    await expect(reading).rejects.toThrow(
      'stdin line 2 is longer than 1,000 bytes; give one item per line, each under 1,000 bytes',
    );
    expect(lines).toEqual(['short']);
    expect(served).toBeLessThan(20);
  });
});

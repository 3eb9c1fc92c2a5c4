import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../bin/byte-writer.ts';

/** A pipe whose reader is slow: takes each chunk on the next turn of the event loop. */
class SlowSink extends Writable {
  readonly chunks: Buffer[] = [];
  maxHeld = 0;

  constructor() {
    super({ highWaterMark: 16 * 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.maxHeld = Math.max(this.maxHeld, this.writableLength);
    this.chunks.push(Buffer.from(chunk));
    setImmediate(done);
  }
}

const TEXTS = [
  'plain ASCII',
  'quote " backslash \\ slash /',
  'Bogotá, São Paulo, “quoted” — dash \u2028 \u007f',
  '中文 日本語',
  'emoji 😀 pair',
  'lone \ud800 high, lone \udc00 low',
  'control \u0000 \t \n \r \u001f',
  '',
];

describe('ByteWriter', () => {
  it('encodes text as UTF-8 and strings as JSON.stringify does', async () => {
    const sink = new SlowSink();
    const out = new ByteWriter(sink);
    let expected = '';
    for (const text of TEXTS) {
      out.text(text);
      out.jsonString(text);
      out.bytes(Buffer.from('|'));
      out.byte(0x0a);
      expected += `${text}${JSON.stringify(text)}|\n`;
    }
    await out.end();
    expect(Buffer.concat(sink.chunks).equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('writes everything in order through a slow reader, holding a bounded amount', async () => {
    const sink = new SlowSink();
    const out = new ByteWriter(sink);
    const lines: string[] = [];
    for (let batch = 0; batch < 200; batch++) {
      for (let i = 0; i < 500; i++) {
        const line = `{"batch":${batch},"line":${i},"text":"${'x'.repeat(i % 300)}"}\n`;
        lines.push(line);
        out.text(line);
      }
      await out.flushIfFull();
    }
    await out.end();
    expect(Buffer.concat(sink.chunks).toString('utf8')).toBe(lines.join(''));
    expect(sink.writableLength).toBe(0);
    expect(sink.maxHeld).toBeLessThan(8 * 1024 * 1024);
  });
});

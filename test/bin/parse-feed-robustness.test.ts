import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../helpers/cli.ts';

/** A small deterministic generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('parse-feed on damaged input', () => {
  it('gives every file a line and never crashes, whatever the bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parse-feed-fuzz-'));
    const fixtures = join('test', 'fixtures', 'feeds', 'formats');
    const originals = await Promise.all(
      (await readdir(fixtures)).map(async (name) => readFile(join(fixtures, name))),
    );
    const next = random(42);
    const files: string[] = [];
    for (let i = 0; i < 240; i++) {
      const source = originals[i % originals.length] as Buffer;
      let bytes: Buffer;
      if (i % 3 === 0) bytes = source.subarray(0, Math.floor(next() * source.length));
      else if (i % 3 === 1) {
        bytes = Buffer.from(source);
        for (let k = 0; k < 8; k++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      } else
        bytes = Buffer.from(
          Array.from({ length: 1 + Math.floor(next() * 2048) }, () => Math.floor(next() * 256)),
        );
      const file = join(dir, `case-${i}.xml`);
      await writeFile(file, bytes);
      files.push(file);
    }

    const result = await runCli(['parse-feed', ...files, '--json']);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    const lines = jsonLines(result.stdout);
    expect(lines.map((l) => l.file)).toEqual(files);
    for (const line of lines) {
      expect(typeof line.ok).toBe('boolean');
      if (!line.ok) expect(line.error).toMatch(/\S/);
      expect(Array.isArray(line.items)).toBe(true);
    }
  });
});

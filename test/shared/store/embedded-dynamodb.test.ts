import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { DataDirectoryError, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { sampleMatch } from '../../helpers/sample-match.ts';

const newDataDir = () => mkdtemp(join(tmpdir(), 'news-monitor-lock-'));

describe('the data directory lock', () => {
  it('refuses, in one line, a directory whose lock file was emptied while its database is open', async () => {
    const dataDir = await newDataDir();
    const first = await startEmbeddedDynamoDb(dataDir);
    try {
      await writeFile(join(dataDir, 'news-monitor.lock'), '');
      const second = startEmbeddedDynamoDb(dataDir);
      await expect(second).rejects.toThrow(DataDirectoryError);
      await expect(second).rejects.toThrow(
        `data directory ${dataDir} is in use by another news-monitor process; stop it or pass another --data-dir`,
      );
      // The first is undisturbed.
      const store = new DynamoStore(first.client, first.tableName);
      expect(await store.saveMatch(sampleMatch(), new Date())).toBe('stored');
    } finally {
      await first.close();
    }
  });

  it.each([
    ['empty', ''],
    ['not a pid', 'garbage'],
    ['of a process that is gone', '2147483646'],
  ])('takes over a stale lock file (%s) and works', async (_kind, content) => {
    const dataDir = await newDataDir();
    const before = await startEmbeddedDynamoDb(dataDir);
    await before.close();
    await writeFile(join(dataDir, 'news-monitor.lock'), content);
    const db = await startEmbeddedDynamoDb(dataDir);
    try {
      expect((await readFile(join(dataDir, 'news-monitor.lock'), 'utf8')).trim()).toBe(String(process.pid));
      const store = new DynamoStore(db.client, db.tableName);
      expect(await store.saveMatch(sampleMatch(), new Date())).toBe('stored');
    } finally {
      await db.close();
    }
  });
});

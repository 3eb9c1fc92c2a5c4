import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { DataDirectoryError, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { repairLocalIndex } from '#shared/store/local-index-repair.ts';
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

describe('after a process was killed mid-write', () => {
  /**
   * dynalite writes an item's index entry before the item itself. kill -9 between the two leaves
   * an index entry with no item, as this does to the stopped database, with the lock file the
   * killed process left behind.
   */
  async function killedBetweenIndexAndItem(dataDir: string): Promise<void> {
    const level = new ClassicLevel<string, unknown>(join(dataDir, 'dynamodb'), { valueEncoding: 'json' });
    await level.open();
    const items: string[] = [];
    // The match itself, not the storyline's counter record stored beside it.
    // The match (its sort key starts ITEM#, hex-encoded by dynalite), not the counter stored beside it.
    const matchKey = Buffer.from('ITEM#').toString('hex');
    for await (const key of level.keys({ gte: 'item-', lt: 'item.' }))
      if (key.includes(`/${matchKey}`)) items.push(key);
    expect(items).toHaveLength(1);
    await level.del(items[0] as string);
    await level.close();
    await writeFile(join(dataDir, 'news-monitor.lock'), '2147483646');
  }

  it('lists the item once when the next run stores it again', async () => {
    const dataDir = await newDataDir();
    const before = await startEmbeddedDynamoDb(dataDir);
    const match = sampleMatch({ storylineId: 'story' });
    await new DynamoStore(before.client, before.tableName).saveMatch(match, new Date('2025-11-11T10:00:00Z'));
    await before.close();
    await killedBetweenIndexAndItem(dataDir);

    const after = await startEmbeddedDynamoDb(dataDir);
    try {
      const store = new DynamoStore(after.client, after.tableName);
      await store.saveMatch(match, new Date('2025-11-11T10:15:00Z'));
      const page = await store.listRecentItems('story', 10);
      expect(page.items.map((i) => i.title)).toEqual([match.title]);
      expect(page.items[0]?.firstSeenAt).toBe('2025-11-11T10:00:00.000Z');
      const forDigest = await store.listItemsSeenBetween(
        'story',
        undefined,
        new Date('2025-11-12T00:00:00Z'),
      );
      expect(forDigest).toHaveLength(1);
    } finally {
      await after.close();
    }
  });

  it('removes the stray entry when the item was already stored twice (an older version did not repair)', async () => {
    const dataDir = await newDataDir();
    const before = await startEmbeddedDynamoDb(dataDir);
    const match = sampleMatch({ storylineId: 'story' });
    await new DynamoStore(before.client, before.tableName).saveMatch(match, new Date('2025-11-11T10:00:00Z'));
    await before.close();
    await killedBetweenIndexAndItem(dataDir);
    await rm(join(dataDir, 'news-monitor.lock'));

    const after = await startEmbeddedDynamoDb(dataDir);
    try {
      const store = new DynamoStore(after.client, after.tableName);
      expect(await store.saveMatch(match, new Date('2025-11-11T10:15:00Z'))).toBe('stored');
      expect((await store.listRecentItems('story', 10)).items).toHaveLength(2);

      expect(await repairLocalIndex(after.client, after.tableName)).toBe(1);
      const page = await store.listRecentItems('story', 10);
      expect(page.items.map((i) => i.firstSeenAt)).toEqual(['2025-11-11T10:15:00.000Z']);
      expect(await repairLocalIndex(after.client, after.tableName)).toBe(0);
    } finally {
      await after.close();
    }
  });
});

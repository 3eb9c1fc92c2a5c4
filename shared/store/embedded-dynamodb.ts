import { access, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { ClassicLevel } from 'classic-level';
import dynalite from 'dynalite';
import { UserInputError } from '../errors.ts';
import { repairLocalIndex } from './local-index-repair.ts';
import { createTableInput } from './table-design.ts';

export const LOCAL_TABLE_NAME = 'news-monitor';

interface IteratorPrototype {
  close(): Promise<void>;
  return?: () => Promise<{ done: true; value: undefined }>;
}

/**
 * dynalite 4 ends the level iterator behind each query's stream with `iterator.return()`, as an
 * async iterator is ended, but abstract-level 3 iterators only have close(): every query left its
 * iterator open, attached to the database with the entries it had read ahead (7 to 20 KB each,
 * never given back; a long-running `serve` grew by a gigabyte). Giving the iterators `return()`
 * lets dynalite's own clean-up close them.
 */
function letDynaliteCloseIterators(): void {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const level = fromDynalite('abstract-level') as Record<
    string,
    { prototype: IteratorPrototype } | undefined
  >;
  for (const name of ['AbstractIterator', 'AbstractKeyIterator', 'AbstractValueIterator']) {
    const prototype = level[name]?.prototype;
    if (!prototype || prototype.return) continue;
    prototype.return = async function (this: IteratorPrototype) {
      await this.close();
      return { done: true, value: undefined };
    };
  }
}
letDynaliteCloseIterators();

/** The layout of a local data directory; raise it when that layout changes incompatibly. */
export const DATA_FORMAT = 1;
const FORMAT_FILE = 'news-monitor.json';
const LOCK_FILE = 'news-monitor.lock';

/** DynamoDB served from this process (dynalite), persisted under the data directory. */
export interface EmbeddedDynamoDb {
  client: DynamoDBClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

export class DataDirectoryError extends UserInputError {
  override name = 'DataDirectoryError';
}

/**
 * Starts dynalite on a loopback port and makes sure the table exists. With no `dataDir` the
 * database lives in memory (tests); otherwise it is kept in `<dataDir>/dynamodb`.
 */
export async function startEmbeddedDynamoDb(dataDir?: string): Promise<EmbeddedDynamoDb> {
  const path = dataDir === undefined ? undefined : join(dataDir, 'dynamodb');
  if (path !== undefined) {
    try {
      await mkdir(path, { recursive: true });
    } catch (error) {
      throw new DataDirectoryError(
        `data directory ${dataDir} cannot be created; choose another with --data-dir`,
        {
          cause: error,
        },
      );
    }
  }
  if (dataDir !== undefined) await checkDataFormat(dataDir);
  const lock = dataDir === undefined ? { release: async () => {}, stale: false } : await lockDataDir(dataDir);
  const server = dynalite({ ...(path === undefined ? {} : { path }), createTableMs: 0, updateTableMs: 0 });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const close = async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await lock.release();
  };
  try {
    await ensureTable(client, LOCAL_TABLE_NAME);
    // A stale lock means the last process did not shut down: it may have died mid-write.
    if (lock.stale) await repairLocalIndex(client, LOCAL_TABLE_NAME);
  } catch (error) {
    await close();
    throw error;
  }
  return { client, tableName: LOCAL_TABLE_NAME, endpoint, close };
}

/**
 * Creates the table if it is missing and waits until it (and its index) is ACTIVE: CreateTable
 * returns before the table can be used, and a query in between fails with "resource not found".
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 30_000,
): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const ready =
      table?.TableStatus === 'ACTIVE' &&
      (table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (ready) return;
    if (Date.now() > deadline)
      throw new Error(`table ${tableName} did not become active within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * A data directory written by another version of news-monitor is refused with a message saying
 * what to do, rather than read into confusing errors. A new directory is marked with this format.
 */
async function checkDataFormat(dataDir: string): Promise<void> {
  const file = join(dataDir, FORMAT_FILE);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    await writeFile(file, `${JSON.stringify({ format: DATA_FORMAT, note: 'news-monitor local data' })}\n`);
    return;
  }
  let format: unknown;
  try {
    format = (JSON.parse(text) as { format?: unknown }).format;
  } catch {
    format = undefined;
  }
  if (format === DATA_FORMAT) return;
  const which =
    typeof format === 'number' && format < DATA_FORMAT
      ? 'an older'
      : typeof format === 'number'
        ? 'a newer'
        : 'an unknown';
  throw new DataDirectoryError(
    `data directory ${dataDir} was written by ${which} version of news-monitor (data format ${String(format)}, this version reads ${DATA_FORMAT}); move it aside (e.g. mv ${dataDir} ${dataDir}.old) or pass another --data-dir`,
  );
}

/**
 * LevelDB allows one process per directory, and holds its own lock (released by the system when
 * a process dies, even by kill -9). A lock file holding our pid turns that into a clear message;
 * the database's lock decides: a lock file that is empty, unreadable, or left by a process that is
 * gone is stale only if the database can be opened, and a database held by another process is
 * refused in one line however the lock file looks.
 */
async function lockDataDir(dataDir: string): Promise<{ release: () => Promise<void>; stale: boolean }> {
  const lockFile = join(dataDir, LOCK_FILE);
  const inUse = (pid?: number) => dataDirInUseError(dataDir, pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createLockFile(lockFile)) {
      const release = () => rm(lockFile, { force: true });
      if ((await databaseLock(join(dataDir, 'dynamodb'))) === 'held') {
        await release();
        throw inUse();
      }
      return { release, stale: attempt > 0 };
    }
    const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw inUse(pid);
    if ((await databaseLock(join(dataDir, 'dynamodb'))) === 'held') throw inUse();
    await rm(lockFile, { force: true });
  }
  throw new DataDirectoryError(`data directory ${dataDir} could not be locked; remove ${lockFile} and retry`);
}

function dataDirInUseError(dataDir: string, pid?: number): DataDirectoryError {
  return new DataDirectoryError(
    `data directory ${dataDir} is in use by another news-monitor process${pid ? ` (pid ${pid})` : ''}; stop it or pass another --data-dir`,
  );
}

/**
 * Refuses a data directory another process has open, before a caller empties it (the demo starts
 * afresh): deleting a database under a running process would let it write into the new one.
 */
export async function refuseDataDirInUse(dataDir: string): Promise<void> {
  const database = join(dataDir, 'dynamodb');
  try {
    await access(database);
  } catch {
    return;
  }
  if ((await databaseLock(database)) === 'free') return;
  const pid = Number((await readFile(join(dataDir, LOCK_FILE), 'utf8').catch(() => '')).trim());
  throw dataDirInUseError(dataDir, Number.isInteger(pid) && pid > 0 ? pid : undefined);
}

/**
 * Creates the lock file with our pid in one step (written aside, then linked into place), so no
 * other process ever reads it empty. False if it exists already.
 */
async function createLockFile(lockFile: string): Promise<boolean> {
  const draft = `${lockFile}.${process.pid}`;
  await writeFile(draft, String(process.pid));
  try {
    await link(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await rm(draft, { force: true });
  }
}

/** Whether another process (or this one) has the LevelDB database open. */
async function databaseLock(path: string): Promise<'free' | 'held'> {
  const probe = new ClassicLevel(path);
  try {
    await probe.open();
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'LEVEL_LOCKED') return 'held';
    throw error;
  }
  await probe.close();
  return 'free';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

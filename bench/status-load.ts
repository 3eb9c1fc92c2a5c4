import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import type { BenchResult } from './bench-result.ts';

const STORYLINE = 'us-colombia-counternarcotics';
const ITEMS = 30_000;
const REQUESTS = 2_000;
const CONCURRENCY = 50;
const WARM_UP = 500;
const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Memory {
  rss: number;
  heapUsed: number;
}

/**
 * 2,000 requests, 50 at a time, against `news-monitor serve` (its own process, as a user runs it)
 * over a data directory holding 30,000 stored items: latency percentiles, and the server's memory
 * after a warm-up and after the run (after a full collection), which must stay flat.
 */
export async function benchStatusLoad(): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'news-monitor-load-'));
  let server: ChildProcess | undefined;
  try {
    const seedSeconds = await seededCopy(dataDir);
    const started = await startServe(dataDir);
    server = started.child;
    const paths = requestPaths(started.url);
    // A warm-up fills what a running server keeps anyway (compiled code, sockets, caches).
    await load(paths.slice(0, WARM_UP), CONCURRENCY);
    const before = await memoryOf(server);
    const latencies = await load(paths, CONCURRENCY);
    const after = await memoryOf(server);
    // A second run shows whether what the first one added is kept for good or was a plateau.
    await load(paths, CONCURRENCY);
    const afterSecond = await memoryOf(server);
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      Number((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0).toFixed(1));
    const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));
    const details = {
      items: ITEMS,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      seedSeconds: seedSeconds || 'reused',
      p50Ms: pct(0.5),
      p95Ms: pct(0.95),
      p99Ms: pct(0.99),
      rssBeforeMb: mb(before.rss),
      rssAfterMb: mb(after.rss),
      heapBeforeMb: mb(before.heapUsed),
      heapAfterMb: mb(after.heapUsed),
      rssAfterSecondRunMb: mb(afterSecond.rss),
      heapAfterSecondRunMb: mb(afterSecond.heapUsed),
    };
    return [
      { name: 'status-load-p50', value: details.p50Ms, unit: 'ms', details },
      { name: 'status-load-p95', value: details.p95Ms, unit: 'ms' },
      { name: 'status-load-p99', value: details.p99Ms, unit: 'ms' },
      {
        name: 'status-load-heap-growth',
        value: Number(
          (Math.max(details.heapAfterMb, details.heapAfterSecondRunMb) - details.heapBeforeMb).toFixed(1),
        ),
        unit: 'MB at most, over two runs of 2,000 requests',
        target: { atMost: 5 },
      },
      {
        name: 'status-load-rss-growth',
        value: Number(
          (Math.max(details.rssAfterMb, details.rssAfterSecondRunMb) - details.rssBeforeMb).toFixed(1),
        ),
        unit: 'MB at most, over two runs of 2,000 requests',
        target: { atMost: 50 },
      },
    ];
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Copies a data directory of stored items into `dataDir`, seeding it first if needed. Seeding takes
 * minutes, so the seeded directory is kept in the temporary directory, named after the code that
 * writes the table: a change there seeds afresh. Returns the seconds seeding took (0 when reused).
 */
async function seededCopy(dataDir: string): Promise<number> {
  const writers = ['dynamo-store.ts', 'table-design.ts', 'item-counts.ts'];
  const hash = createHash('sha256');
  for (const file of writers) hash.update(await readFile(join(ROOT, 'shared', 'store', file)));
  const cached = join(tmpdir(), `news-monitor-load-seed-${ITEMS}-${hash.digest('hex').slice(0, 12)}`);
  let seconds = 0;
  if (!(await stat(cached).catch(() => undefined))) {
    const fresh = `${cached}.${process.pid}`;
    seconds = await seed(fresh);
    await rename(fresh, cached);
  }
  await cp(cached, dataDir, { recursive: true });
  return seconds;
}

/** Stores the items as the poll cycle does (conditional put, then the counters), 32 at a time. */
async function seed(dataDir: string): Promise<number> {
  const startedAt = performance.now();
  const db = await startEmbeddedDynamoDb(dataDir);
  try {
    const store = new DynamoStore(db.client, db.tableName);
    await store.ensureItemCounts([STORYLINE], new Date());
    const now = Date.now();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < ITEMS; i = next++) {
        await store.saveMatch(
          {
            storylineId: STORYLINE,
            id: `load-${i}`,
            canonicalUrl: `https://load.example/${i}`,
            title: `Petro and the US trade words over boat strikes, report ${i}`,
            url: `https://load.example/${i}`,
            summary: 'A summary of the kind a news feed carries, some two hundred characters long. '.repeat(
              3,
            ),
            publishedAt: new Date(now - i * 60_000).toISOString(),
            lang: 'en',
            feedId: `feed-${i % 40}`,
            source: `Outlet ${i % 40}`,
            score: 6 + (i % 5),
            actors: ['gustavo-petro', 'united-states'],
            themes: ['boat-strikes'],
            why: 'Gustavo Petro +2.2, boat strikes +1.8',
          },
          new Date(now - i * 60_000),
        );
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
  } finally {
    await db.close();
  }
  return Number(((performance.now() - startedAt) / 1000).toFixed(1));
}

async function startServe(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      '--import',
      join(ROOT, 'bench', 'memory-reporter.ts'),
      join(ROOT, 'bin', 'news-monitor.ts'),
      'serve',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--json',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const url = (JSON.parse(line) as { url?: string }).url;
    if (url) return { child, url: url.replace(/\/status$/, '') };
  }
  throw new Error(`serve exited (code ${child.exitCode}) before printing its URL`);
}

/** What people and scripts ask for: the status as JSON and as a page, and pages of items. */
function requestPaths(base: string): Array<{ url: string; accept: string }> {
  const since = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  const kinds = [
    { url: `${base}/status`, accept: 'application/json' },
    { url: `${base}/status`, accept: 'text/html' },
    { url: `${base}/storylines/${STORYLINE}/items?limit=20`, accept: 'application/json' },
    { url: `${base}/storylines/${STORYLINE}/items?limit=100`, accept: 'text/html' },
    { url: `${base}/storylines/${STORYLINE}/items?limit=50&since=${since}`, accept: 'application/json' },
  ];
  return Array.from({ length: REQUESTS }, (_, i) => kinds[i % kinds.length] as (typeof kinds)[number]);
}

/** Sends every request, `concurrency` at a time; each one's latency in milliseconds. */
async function load(
  requests: ReadonlyArray<{ url: string; accept: string }>,
  concurrency: number,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const { url, accept } = requests[i] as { url: string; accept: string };
      const startedAt = performance.now();
      const response = await fetch(url, { headers: { accept } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      latencies.push(performance.now() - startedAt);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

function memoryOf(child: ChildProcess): Promise<Memory> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not report its memory')), 10_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as Memory);
    });
    child.send('memory');
  });
}

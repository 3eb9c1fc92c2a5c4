import { Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { runPollCycle } from '#shared/feeds/poll-cycle.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { ensureTable } from '#shared/store/embedded-dynamodb.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import type { BenchResult } from './bench-result.ts';

const FEEDS = 500;
const LATENCY_MS = 100;

// The feed server runs in its own thread, so serving does not steal time from the poller.
const SERVER = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const relevant = ['Petro suspends intelligence sharing with the US', 'US strike on alleged drug boat kills three',
  'EE. UU. descertifica a Colombia'];
const other = ['Coffee harvest beats forecasts', 'Central bank holds rates', 'Local elections tomorrow',
  'Storm warning for the coast', 'Museum reopens after renovation'];
const bodies = new Map();
function feed(n) {
  const items = [];
  for (let i = 0; i < 20; i++) {
    const pick = (n + i) % workerData.matchEvery === 0 ? relevant[(n + i) % relevant.length] : other[(n + i) % other.length];
    const title = pick + ' (' + n + '-' + i + ')';
    items.push('<item><title>' + title + '</title><link>https://bench.example/' + n + '/' + i + '</link><guid>b-' + n + '-' + i +
      '</guid><pubDate>Tue, 11 Nov 2025 14:05:00 GMT</pubDate><description>&lt;p&gt;Summary of ' + title + '&lt;/p&gt;</description></item>');
  }
  return '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench ' + n + '</title><link>https://bench.example/</link>' + items.join('') + '</channel></rss>';
}
const server = createServer((req, res) => {
  const n = Number(req.url.slice(1));
  setTimeout(() => {
    if (req.headers['if-none-match'] === '"v' + n + '"') { res.writeHead(304, { etag: '"v' + n + '"' }); res.end(); return; }
    let body = bodies.get(n); if (!body) { body = feed(n); bodies.set(n, body); }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v' + n + '"' });
    res.end(body);
  }, workerData.latency);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

// The embedded DynamoDB also gets its own thread, as a real table lives outside the poller.
const DATABASE = `
const { parentPort } = require('node:worker_threads');
const dynalite = require('dynalite');
const server = dynalite({ createTableMs: 0 });
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

async function measure<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const start = process.hrtime.bigint();
  try {
    const result = await work();
    return {
      result,
      seconds: Number(process.hrtime.bigint() - start) / 1e9,
      peakRssMb: Math.round(peak / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * A poll cycle over 500 local feeds (20 items each) answering after 100 ms, then a second cycle in
 * which every feed answers 304; with the default concurrency of 16, over dynalite in its own thread.
 * In the main run a tenth of the items match (news feeds carry other news too); a second run where
 * half of them match shows the cost of writing many new items in one cycle.
 */
export async function benchPollCycle(): Promise<BenchResult[]> {
  return [...(await pollTwice(10, '')), ...(await pollTwice(2, '-half-matching')).slice(0, 1)];
}

/** Two cycles over feeds in which one item in `matchEvery` belongs to the storyline. */
async function pollTwice(matchEvery: number, suffix: string): Promise<BenchResult[]> {
  const worker = new Worker(SERVER, { eval: true, workerData: { latency: LATENCY_MS, matchEvery } });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const dbWorker = new Worker(DATABASE, { eval: true });
  const dbPort = await new Promise<number>((resolve) => dbWorker.once('message', resolve));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${dbPort}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, 'bench');
  try {
    const store = new DynamoStore(client, 'bench');
    const matchers = (await loadStorylines('seeds/storylines')).map((s) => new StorylineMatcher(s));
    const feeds = Array.from({ length: FEEDS }, (_, i) => ({
      id: `bench-${i}`,
      url: `http://127.0.0.1:${port}/${i}`,
    }));
    const deps = { store, matchers, clock: () => new Date() };
    const options = {
      concurrency: 16,
      limits: { ...DEFAULT_FETCH_LIMITS, privateAddresses: 'allow' as const },
    };

    const first = await measure(() => runPollCycle(feeds, deps, options));
    const second = await measure(() => runPollCycle(feeds, deps, options));
    const summary = (r: typeof first) => ({
      fetched: r.result.run.fetched,
      notModified: r.result.run.notModified,
      failed: r.result.run.failed,
      itemsSeen: r.result.run.itemsSeen,
      stored: r.result.run.stored,
      peakRssMb: r.peakRssMb,
    });
    return [
      {
        name: `poll-cycle-500-feeds${suffix}`,
        value: Number(first.seconds.toFixed(2)),
        unit: 's wall time',
        ...(suffix === '' ? { target: { atMost: 5 } } : {}),
        details: {
          feeds: FEEDS,
          latencyMs: LATENCY_MS,
          concurrency: 16,
          matchingShare: 1 / matchEvery,
          ...summary(first),
        },
      },
      {
        name: 'poll-cycle-500-feeds-all-304',
        value: Number(second.seconds.toFixed(2)),
        unit: 's wall time',
        details: { feeds: FEEDS, latencyMs: LATENCY_MS, concurrency: 16, ...summary(second) },
      },
    ];
  } finally {
    client.destroy();
    await dbWorker.terminate();
    await worker.terminate();
  }
}

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import type { ArchivedItem } from '#shared/store/records.ts';
import { backtestStoryline } from '#shared/storyline/backtest-storyline.ts';
import { loadStorylineFile } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import type { Storyline } from '#shared/storyline/storyline-schema.ts';
import type { BenchResult } from './bench-result.ts';

const ITEMS = 99_990;
/** Days of items in the archive (ITEMS / DAYS a day). */
const DAYS = 30;

/**
 * `storyline test` as a whole process over an archive of 100,000 items seen in the last 30 days,
 * in a local data directory: the time from start to exit, tsx's start-up included. The items are
 * headlines of the labelled sets spliced two by two (first half of one, second half of another),
 * one in twenty from the story's own, with a summary spliced the same way: real vocabulary,
 * texts that do not repeat.
 */
export async function benchBacktest(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'news-monitor-backtest-'));
  try {
    await fillArchive(dir);
    const seed = JSON.parse(await readFile('seeds/storylines/us-colombia-counternarcotics.json', 'utf8'));
    // A changed version: a higher threshold loses items the live one keeps.
    seed.decision.threshold = (seed.decision.threshold ?? 0) + 2;
    const changed = join(dir, 'changed.json');
    await writeFile(changed, JSON.stringify(seed));
    const started = performance.now();
    const { code, stdout, stderr } = await runCli([
      'storyline',
      'test',
      changed,
      '--data-dir',
      join(dir, 'data'),
      '--days',
      String(DAYS),
      '--json',
    ]);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`storyline test failed: ${stderr}`);
    const summary = JSON.parse(stdout.split('\n')[0] as string);
    const inProcess = await backtestInProcess(join(dir, 'data'), seed);
    return {
      name: 'backtest',
      value: Math.round(seconds * 100) / 100,
      unit: `s for storyline test over ${ITEMS.toLocaleString('en')} archived items (whole process)`,
      target: { atMost: 5 },
      details: {
        ...summary,
        readMs: Number(stderr.match(/read in (\d+) ms/)?.[1]),
        matchMs: Number(stderr.match(/matched in (\d+) ms/)?.[1]),
        inProcess,
        loadAverage: loadavg()[0],
        cpus: availableParallelism(),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same read and backtest inside this process, with its CPU time: the machine may be busy. */
async function backtestInProcess(dataDir: string, changed: Storyline) {
  const database = await startEmbeddedDynamoDb(dataDir);
  try {
    const store = new DynamoStore(database.client, database.tableName);
    const live = await loadStorylineFile('seeds/storylines/us-colombia-counternarcotics.json');
    const cpu = process.cpuUsage();
    const started = performance.now();
    const now = new Date();
    const items = await store.listArchivedItems(new Date(now.getTime() - DAYS * 86_400_000), now);
    const report = backtestStoryline(new StorylineMatcher(changed), new StorylineMatcher(live), items);
    const used = process.cpuUsage(cpu);
    return {
      seen: report.seen,
      wallMs: Math.round(performance.now() - started),
      cpuMs: Math.round((used.user + used.system) / 1000),
    };
  } finally {
    await database.close();
  }
}

async function fillArchive(dir: string): Promise<void> {
  const onTopic: string[] = [];
  const offTopic: string[] = [];
  for (const file of ['dev-set.jsonl', 'holdout-set.jsonl', 'second-holdout-set.jsonl']) {
    const text = await readFile(`test/fixtures/matching/${file}`, 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const { title, relevant } = JSON.parse(line);
      (relevant ? onTopic : offTopic).push(title);
    }
  }
  const database = await startEmbeddedDynamoDb(join(dir, 'data'));
  try {
    const store = new DynamoStore(database.client, database.tableName);
    const now = Date.now();
    const perDay = ITEMS / DAYS;
    for (let day = 0; day < DAYS; day++) {
      const seenAt = new Date(now - (day + 0.5) * 86_400_000);
      const items: ArchivedItem[] = [];
      for (let i = 0; i < perDay; i++) {
        const n = day * perDay + i;
        // One item in twenty is about the story, as in a busy archive of general news.
        const title = splice(n % 20 === 0 ? onTopic : offTopic, n);
        items.push({
          itemKey: `bench-${n}`,
          title,
          summary: `${splice(offTopic, n * 13 + 5)}. ${splice(offTopic, n * 31 + 1)}.`,
          url: `https://news.example/${n}`,
          feedId: `feed-${n % 100}`,
          source: `Outlet ${n % 100}`,
          lang: 'en',
          publishedAt: seenAt.toISOString(),
          firstSeenAt: seenAt.toISOString(),
        });
      }
      await store.archiveItems(items, seenAt);
    }
  } finally {
    await database.close();
  }
}

function splice(titles: readonly string[], n: number): string {
  const a = (titles[n % titles.length] as string).split(' ');
  const b = (titles[(n * 7 + 3) % titles.length] as string).split(' ');
  return [...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.ceil(b.length / 2))].join(' ');
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/news-monitor.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, jsonLines, REPO_ROOT, runCli } from '../helpers/cli.ts';
import { fixtureFeedRoute } from '../helpers/fixture-feeds.ts';
import { startTestServer, type TestServer } from '../helpers/http-server.ts';

describe('run and private addresses', () => {
  let server: TestServer;
  let dir: string;
  let feedsFile: string;

  beforeAll(async () => {
    server = await startTestServer({
      '/andes.xml': await fixtureFeedRoute('test/fixtures/feeds/andes-wire.xml', 'application/rss+xml'),
    });
    dir = await mkdtemp(join(tmpdir(), 'news-monitor-run-'));
    feedsFile = join(dir, 'feeds.json');
    await writeFile(feedsFile, JSON.stringify([{ id: 'andes', url: server.url('/andes.xml') }]));
  });
  afterAll(() => server.close());

  it('fetches a feed on 127.0.0.1 by default: a local feed generator is legitimate', async () => {
    const dataDir = join(dir, 'allowed');
    const result = await runCli(['run', '--once', '--feeds', feedsFile, '--data-dir', dataDir, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ fetched: 1, failed: 0 });
  });

  it('refuses it with --refuse-private-addresses, recorded on the feed state as a one-line error', async () => {
    const dataDir = join(dir, 'refused');
    const args = ['--feeds', feedsFile, '--data-dir', dataDir, '--json'];
    const result = await runCli(['run', '--once', '--refuse-private-addresses', ...args]);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ feeds: 1, fetched: 0, failed: 1 });
    expect(server.requests).toHaveLength(1);

    const status = await runCli(['status', ...args]);
    const [report] = jsonLines(status.stdout) as Array<{ feeds: Array<Record<string, unknown>> }>;
    expect(report?.feeds[0]).toMatchObject({
      id: 'andes',
      consecutiveFailures: 1,
      lastError: 'address 127.0.0.1 is loopback; this monitor does not fetch private addresses',
    });
  });
});

describe('run asked to stop', () => {
  let server: TestServer;
  let dir: string;
  const held: Array<import('node:http').ServerResponse> = [];

  beforeAll(async () => {
    server = await startTestServer({
      '/andes.xml': await fixtureFeedRoute('test/fixtures/feeds/andes-wire.xml', 'application/rss+xml'),
      // Answers only when the test ends: a feed slower than anyone wants to wait for.
      '/slow': (_req, res) => void held.push(res),
    });
    dir = await mkdtemp(join(tmpdir(), 'news-monitor-stop-'));
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    await server.close();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops at %s during a cycle, keeping the feed states, the matches and the run record',
    async (signal) => {
      const feedsFile = join(dir, `feeds-${signal}.json`);
      const dataDir = join(dir, `data-${signal}`);
      await writeFile(
        feedsFile,
        JSON.stringify([
          { id: 'andes', url: server.url('/andes.xml') },
          ...[1, 2, 3].map((n) => ({ id: `slow-${n}`, url: server.url('/slow') })),
        ]),
      );
      const args = ['--feeds', feedsFile, '--data-dir', dataDir, '--json'];
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CLI_ENTRY, 'run', '--once', '--timeout-ms', '600000', ...args],
        { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Once the quick feed is done and the slow ones are waiting, ask the run to stop.
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (/ok\s+andes/.test(stderr) && held.length >= 3) {
            clearInterval(poll);
            resolve();
          }
        }, 50);
      });
      child.kill(signal);
      const code = await Promise.race([
        exited,
        new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000)),
      ]);
      if (code === 'still running') child.kill('SIGKILL');
      expect(code, stderr).toBe(0);
      expect(jsonLines(stdout).at(-1)).toMatchObject({ feeds: 4, fetched: 1, failed: 0, stored: 2 });

      const status = await runCli(['status', ...args]);
      const [report] = jsonLines(status.stdout) as Array<{
        lastRun: Record<string, unknown> | null;
        feeds: Array<Record<string, unknown>>;
        storylines: Array<Record<string, unknown>>;
      }>;
      expect(report?.lastRun).toMatchObject({ feeds: 4, fetched: 1, stored: 2, skipped: 3 });
      expect(report?.feeds.find((f) => f.id === 'andes')).toMatchObject({ polled: true });
      // A feed cut off by the stop is not the feed's failure.
      expect(report?.feeds.find((f) => f.id === 'slow-1')).toMatchObject({ polled: false });
      expect(report?.storylines[0]).toMatchObject({ items: 2 });
    },
    60_000,
  );
});

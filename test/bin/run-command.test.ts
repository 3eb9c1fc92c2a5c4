import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../helpers/cli.ts';
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

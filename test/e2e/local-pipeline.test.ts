import { spawn } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, REPO_ROOT, runCli } from '../helpers/cli.ts';
import { fixtureFeedRoute } from '../helpers/fixture-feeds.ts';
import { startTestServer, type TestServer } from '../helpers/http-server.ts';

/**
 * The whole local pipeline through the CLI, as a user runs it: poll fixture feeds served on
 * 127.0.0.1, store matches in the embedded DynamoDB, preview the digest, read the status.
 */
describe('local pipeline end to end', () => {
  let server: TestServer;
  let dataDir: string;
  let feedsFile: string;

  beforeAll(async () => {
    server = await startTestServer({
      '/andes.xml': await fixtureFeedRoute(
        'test/fixtures/feeds/andes-wire.xml',
        'application/rss+xml; charset=utf-8',
      ),
      '/caribe.atom': await fixtureFeedRoute('test/fixtures/feeds/caribe-hoy.atom', 'application/atom+xml'),
      '/broken': (_req, res) => void res.writeHead(500).end('oops'),
    });
    const dir = await mkdtemp(join(tmpdir(), 'news-monitor-e2e-'));
    dataDir = join(dir, 'data');
    feedsFile = join(dir, 'feeds.json');
    await writeFile(
      feedsFile,
      JSON.stringify([
        { id: 'andes', url: server.url('/andes.xml'), lang: 'en' },
        { id: 'caribe', url: server.url('/caribe.atom'), lang: 'es' },
        { id: 'broken', url: server.url('/broken') },
      ]),
    );
  });
  afterAll(() => server.close());

  it('stores only the matching items, once, and reports the counts of the contract', async () => {
    const first = await runCli(['run', '--once', '--feeds', feedsFile, '--data-dir', dataDir, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(jsonLines(first.stdout).at(-1)).toEqual({
      feeds: 3,
      fetched: 2,
      notModified: 0,
      failed: 1,
      itemsSeen: 7,
      matched: 4,
      // The intelligence story arrives from both feeds under one canonical URL: stored once.
      stored: 3,
    });
    expect(first.stderr).toContain('broken: HTTP 500');
    expect(first.stderr).toContain('Digest preview');

    const second = await runCli(['run', '--once', '--feeds', feedsFile, '--data-dir', dataDir, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(jsonLines(second.stdout).at(-1)).toMatchObject({
      fetched: 0,
      notModified: 2,
      failed: 1,
      stored: 0,
    });
  });

  it('previews a digest listing exactly the stored items, without moving the cursor', async () => {
    const args = [
      'digest',
      '--storyline',
      'us-colombia-counternarcotics',
      '--preview',
      '--data-dir',
      dataDir,
      '--json',
    ];
    const preview = await runCli(args);
    expect(preview.code, preview.stderr).toBe(0);
    const [digest] = jsonLines(preview.stdout);
    expect(digest).toMatchObject({ itemCount: 3 });
    const text = String(digest?.text);
    expect(text).toContain('US strike on alleged drug boat in the eastern Pacific kills three');
    expect(text).toContain('Estados Unidos descertifica a Colombia en la lucha antidrogas');
    expect(text).toMatch(/Petro (orders|ordena)/);
    expect(text).toContain('Andes Wire (test fixture); also reported by Caribe Hoy (fixture de prueba)');
    expect(text).not.toMatch(/Coffee|Petrobras|Selección/);
    expect(String(digest?.subject)).toMatch(/^[\x20-\x7e]{1,99}$/);

    const again = await runCli(args);
    expect(jsonLines(again.stdout)[0]).toMatchObject({ itemCount: 3 });
  });

  it('writes the digest to the data directory and then has nothing new', async () => {
    const sent = await runCli([
      'digest',
      '--storyline',
      'us-colombia-counternarcotics',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(jsonLines(sent.stdout)[0]).toMatchObject({ itemCount: 3 });
    expect(await readdir(join(dataDir, 'digests'))).toHaveLength(1);
    const after = await runCli([
      'digest',
      '--storyline',
      'us-colombia-counternarcotics',
      '--preview',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(jsonLines(after.stdout)[0]).toMatchObject({ itemCount: 0 });
  });

  it('reports every feed and the storyline count in the status', async () => {
    const status = await runCli(['status', '--feeds', feedsFile, '--data-dir', dataDir, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const [report] = jsonLines(status.stdout) as Array<{
      health: { state: string };
      feeds: Array<{ id: string; consecutiveFailures: number; lastError: string | null }>;
      storylines: Array<{ id: string; items: number; lastDigest: { itemCount: number } | null }>;
    }>;
    expect(report?.health.state).toBe('degraded');
    expect(report?.feeds.map((f) => f.id)).toEqual(['andes', 'caribe', 'broken']);
    expect(report?.feeds[2]).toMatchObject({
      consecutiveFailures: 2,
      lastError: 'HTTP 500 Internal Server Error',
    });
    expect(report?.storylines).toEqual([
      expect.objectContaining({
        id: 'us-colombia-counternarcotics',
        items: 3,
        lastDigest: expect.objectContaining({ itemCount: 3 }),
      }),
    ]);
  });

  it('serves the same status over HTTP with serve', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bin/news-monitor.ts',
        'serve',
        '--port',
        '0',
        '--feeds',
        feedsFile,
        '--data-dir',
        dataDir,
        '--json',
      ],
      { cwd: REPO_ROOT },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const line = out.split('\n')[0];
          if (out.includes('\n') && line) resolve(JSON.parse(line).url);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { feeds: unknown[]; storylines: Array<{ items: number }> };
      expect(body.feeds).toHaveLength(3);
      expect(body.storylines[0]?.items).toBe(3);
      const items = await fetch(
        url.replace('/status', '/storylines/us-colombia-counternarcotics/items?limit=2'),
      );
      expect(((await items.json()) as { items: unknown[] }).items).toHaveLength(2);
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });
});

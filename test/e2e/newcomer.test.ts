import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, startCli } from '../helpers/cli.ts';
import { startTestServer } from '../helpers/http-server.ts';

describe('npm run demo, offline', () => {
  it('shows matches, a digest preview and a status page that answers, then stops cleanly on Ctrl-C', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'demo-'));
    const demo = await startCli(
      ['demo', '--port', '0', '--data-dir', dataDir],
      /Status page: (http:\/\/127\.0\.0\.1:\d+)\/status/,
    );
    try {
      const { stdout, stderr } = demo.output();
      expect(stdout).toMatch(
        /Polled 5 feeds in [\d.]+ s: 4 fetched, 0 not modified, 1 failed; 29 items seen, 21 matched, 21 new stored, 29 archived; 1 alert sent\./,
      );
      // One alert for the suspension of intelligence sharing, reported by three outlets in two languages.
      expect(stderr).toMatch(/ALERT sent for us-colombia-counternarcotics \(written to .*alerts.*\.txt\)/);
      expect(stderr).toMatch(/Subject: Alert: Petro .*intelligence sharing/);
      expect(stderr).toContain('Also: Petro suspende el intercambio de inteligencia con Estados Unidos');
      expect(await readdir(join(dataDir, 'alerts'))).toHaveLength(1);
      expect(stderr).toContain('Digest preview for us-colombia-counternarcotics');
      expect(stderr).toMatch(/also reported by/);
      expect(stderr).toContain('FAILED   not-a-feed: not a valid RSS or Atom feed');

      const base = demo.match[1] as string;
      const status = (await (await fetch(`${base}/status`)).json()) as {
        health: { state: string };
        feeds: Array<{ id: string; lastError: string | null }>;
        storylines: Array<{ items: number; lastAlerts: Array<{ title: string; state: string }> }>;
      };
      expect(status.health.state).toBe('degraded');
      expect(status.feeds).toHaveLength(5);
      expect(status.feeds.find((f) => f.id === 'not-a-feed')?.lastError).toMatch(
        /not a valid RSS or Atom feed/,
      );
      expect(status.storylines[0]?.items).toBe(21);
      expect(status.storylines[0]?.lastAlerts).toEqual([
        expect.objectContaining({ title: expect.stringMatching(/intelligence sharing/), state: 'sent' }),
      ]);
      const page = await fetch(`${base}/status`, { headers: { accept: 'text/html' } });
      expect(await page.text()).toContain('Trump and Petro meet at the White House');
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  });
});

describe('alerts under --json', () => {
  it('go to stderr and the data directory; stdout keeps only the run summary', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'demo-json-'));
    const result = await runCli(['demo', '--once', '--json', '--data-dir', dataDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([
      { feeds: 5, fetched: 4, notModified: 0, failed: 1, itemsSeen: 29, matched: 21, stored: 21 },
    ]);
    expect(result.stderr).toMatch(/ALERT sent for us-colombia-counternarcotics/);
    expect(await readdir(join(dataDir, 'alerts'))).toHaveLength(1);
  });
});

describe('errors a newcomer can cause, each one line naming the thing and what to do', () => {
  it('a typo in a storyline', async () => {
    const seeds = await mkdtemp(join(tmpdir(), 'seeds-'));
    await cp('seeds', seeds, { recursive: true });
    const file = join(seeds, 'storylines', 'us-colombia-counternarcotics.json');
    const storyline = JSON.parse(await readFile(file, 'utf8'));
    storyline.actors[0].kind = 'persn';
    await writeFile(file, JSON.stringify(storyline, null, 2));
    const result = await runCli(['run', '--once', '--data-dir', join(seeds, 'data')], {
      env: { NEWS_MONITOR_SEEDS_DIR: seeds },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /storyline file .*us-colombia-counternarcotics\.json is invalid \(1 problem\(s\)\): actors\[0\]\.kind: .*; run "storyline validate .*" for all/,
    );
  });

  it('a feed URL that is not a feed', async () => {
    const page = await startTestServer({
      '/home': (_req, res) =>
        void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>'),
    });
    try {
      const dir = await mkdtemp(join(tmpdir(), 'not-a-feed-'));
      const feeds = join(dir, 'feeds.json');
      await writeFile(feeds, JSON.stringify([{ id: 'homepage', url: page.url('/home') }]));
      const result = await runCli(['run', '--once', '--feeds', feeds, '--data-dir', join(dir, 'data')]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        'FAILED   homepage: not a valid RSS or Atom feed: a web page; "feeds add URL" finds the feeds a page advertises',
      );
    } finally {
      await page.close();
    }
  });

  it('a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dir = await mkdtemp(join(tmpdir(), 'port-'));
      const result = await runCli(['serve', '--port', String(port), '--data-dir', dir]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(
        `news-monitor: port ${port} is already in use; stop what uses it or choose another with --port`,
      );
    } finally {
      blocker.close();
    }
  });

  it('a data directory from an older version', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'old-data-'));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'news-monitor.json'), JSON.stringify({ format: 0 }));
    const result = await runCli(['status', '--data-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `news-monitor: data directory ${dir} was written by an older version of news-monitor (data format 0, this version reads 1); move it aside (e.g. mv ${dir} ${dir}.old) or pass another --data-dir`,
    );
  });

  it('a demo started while another demo still runs on its data directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'busy-demo-'));
    const serving = await startCli(['serve', '--port', '0', '--data-dir', dir, '--json'], /"url":"([^"]+)"/);
    try {
      const result = await runCli(['demo', '--once', '--data-dir', dir]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toMatch(
        /^news-monitor: data directory .* is in use by another news-monitor process \(pid \d+\); stop it or pass another --data-dir$/,
      );
      // Not emptied under the running process.
      expect(await readdir(join(dir, 'dynamodb'))).not.toHaveLength(0);
    } finally {
      await serving.stop();
    }
  });

  it('a data directory in use by another news-monitor', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'busy-data-'));
    const serving = await startCli(['serve', '--port', '0', '--data-dir', dir, '--json'], /"url":"([^"]+)"/);
    try {
      const result = await runCli(['status', '--data-dir', dir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /data directory .* is in use by another news-monitor process \(pid \d+\); stop it or pass another --data-dir/,
      );
    } finally {
      await serving.stop();
    }
  });
});

describe('storyline draft', () => {
  it('drafts a valid storyline from articles a user has, with names, aliases and themes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'draft-'));
    const out = join(dir, 'my-story.json');
    const result = await runCli([
      'storyline',
      'draft',
      'test/fixtures/articles/visa-row.txt',
      'test/fixtures/articles/intelligence-pause.html',
      '--id',
      'my-story',
      '--title',
      'My story',
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Wrote .*my-story\.json: \d+ actors, \d+ themes/);
    const validated = await runCli(['storyline', 'validate', out, '--json']);
    expect(jsonLines(validated.stdout)).toEqual([{ ok: true, errors: [] }]);
    const storyline = JSON.parse(await readFile(out, 'utf8'));
    expect(storyline.actors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'Gustavo Petro',
          kind: 'person',
          aliases: { en: ['Gustavo Petro', 'Petro'] },
        }),
        expect.objectContaining({ name: 'Bogotá', aliases: { en: ['Bogotá', 'Bogota'] } }),
      ]),
    );
    expect(storyline.themes.map((t: { label: string }) => t.label)).toEqual(
      expect.arrayContaining(['boat strikes', 'intelligence sharing']),
    );
  });

  it('refuses a bad id with a one-line reason', async () => {
    const result = await runCli([
      'storyline',
      'draft',
      'test/fixtures/articles/visa-row.txt',
      '--id',
      'My Story',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'news-monitor: storyline draft: --id must be lower-case words joined by hyphens, e.g. --id my-story',
    );
  });
});

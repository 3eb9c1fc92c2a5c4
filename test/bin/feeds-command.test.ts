import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../helpers/cli.ts';
import { fixtureFeedRoute } from '../helpers/fixture-feeds.ts';
import { startTestServer, type TestServer } from '../helpers/http-server.ts';

const page = (head: string) =>
  `<!doctype html><html><head><title>Outlet</title>${head}</head><body><p>News.</p></body></html>`;

describe('feeds add and feeds check', () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'feeds-command-'));
    const html = (body: string) => (_req: unknown, res: import('node:http').ServerResponse) =>
      void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    server = await startTestServer({
      '/andes.xml': await fixtureFeedRoute('test/fixtures/feeds/andes-wire.xml', 'application/rss+xml'),
      '/caribe.atom': await fixtureFeedRoute('test/fixtures/feeds/caribe-hoy.atom', 'application/atom+xml'),
      '/outlet/': html(
        page(
          '<link rel="alternate" type="application/rss+xml" title="RSS" href="../andes.xml">' +
            '<link rel="alternate" type="application/atom+xml" href="/caribe.atom">' +
            '<link rel="alternate" type="application/rss+xml" href="/missing.xml">' +
            '<link rel="stylesheet" href="/style.css">',
        ),
      ),
      '/plain-page': html(page('<link rel="stylesheet" href="/style.css">')),
      '/old-andes': (_req, res) => void res.writeHead(301, { location: '/andes.xml' }).end(),
      '/not-a-feed.txt': (_req, res) =>
        void res.writeHead(200, { 'content-type': 'text/plain' }).end('just some words'),
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const feedsFile = async (name: string, feeds: unknown[] | undefined) => {
    const file = join(dir, name);
    if (feeds) await writeFile(file, JSON.stringify(feeds));
    return file;
  };

  it('adds the feeds a page advertises, each checked, with id, name and language from the feed', async () => {
    const file = await feedsFile('page.json', undefined);
    const result = await runCli(['feeds', 'add', server.url('/outlet/'), '--feeds', file, '--json']);
    expect(result.code).toBe(0);
    const [report] = jsonLines(result.stdout);
    expect(report?.added).toEqual([
      {
        id: 'andes-wire-test-fixture',
        url: server.url('/andes.xml'),
        name: 'Andes Wire (test fixture)',
      },
      expect.objectContaining({ url: server.url('/caribe.atom'), lang: 'es' }),
    ]);
    expect(report?.rejected).toEqual([{ url: server.url('/missing.xml'), reason: 'HTTP 404 Not Found' }]);
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(written.map((f: { url: string }) => f.url)).toEqual([
      server.url('/andes.xml'),
      server.url('/caribe.atom'),
    ]);
  });

  it('adds a feed URL directly, and refuses it again, and behind a redirect, naming the listed id', async () => {
    const file = await feedsFile('direct.json', [{ id: 'other', url: 'https://other.example/rss' }]);
    const added = await runCli(['feeds', 'add', server.url('/andes.xml'), '--feeds', file, '--json']);
    expect(added.code).toBe(0);
    expect(jsonLines(added.stdout)[0]?.added).toEqual([
      expect.objectContaining({ id: 'andes-wire-test-fixture' }),
    ]);

    const again = await runCli([
      'feeds',
      'add',
      `${server.url('/andes.xml')}#top`,
      '--feeds',
      file,
      '--json',
    ]);
    expect(again.code).toBe(1);
    expect(jsonLines(again.stdout)[0]?.rejected).toEqual([
      { url: `${server.url('/andes.xml')}#top`, reason: 'already listed as "andes-wire-test-fixture"' },
    ]);
    const redirected = await runCli(['feeds', 'add', server.url('/old-andes'), '--feeds', file, '--json']);
    expect(jsonLines(redirected.stdout)[0]?.rejected).toEqual([
      { url: server.url('/old-andes'), reason: 'already listed as "andes-wire-test-fixture"' },
    ]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveLength(2);
  });

  it('refuses a feed that a listed URL redirects to, directly or advertised by a page, naming the listed id', async () => {
    const file = await feedsFile('listed-redirect.json', [
      { id: 'andes-old', url: server.url('/old-andes') },
      { id: 'gone', url: server.url('/missing.xml') },
    ]);
    const direct = await runCli(['feeds', 'add', server.url('/andes.xml'), '--feeds', file, '--json']);
    expect(direct.code).toBe(1);
    expect(jsonLines(direct.stdout)[0]?.rejected).toEqual([
      { url: server.url('/andes.xml'), reason: 'already listed as "andes-old"' },
    ]);
    const viaPage = await runCli(['feeds', 'add', server.url('/outlet/'), '--feeds', file, '--json']);
    expect(viaPage.code).toBe(0);
    const [report] = jsonLines(viaPage.stdout);
    expect(report?.added).toEqual([expect.objectContaining({ url: server.url('/caribe.atom') })]);
    expect(report?.rejected).toEqual([
      { url: server.url('/andes.xml'), reason: 'already listed as "andes-old"' },
      { url: server.url('/missing.xml'), reason: 'already listed as "gone"' },
    ]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveLength(3);
  });

  it('rejects a page that advertises no feed and something that is not a feed, with a reason', async () => {
    const file = await feedsFile('none.json', [{ id: 'other', url: 'https://other.example/rss' }]);
    const plain = await runCli(['feeds', 'add', server.url('/plain-page'), '--feeds', file, '--json']);
    expect(plain.code).toBe(1);
    expect(jsonLines(plain.stdout)[0]?.rejected).toEqual([
      { url: server.url('/plain-page'), reason: expect.stringMatching(/advertises no feed/) },
    ]);
    const text = await runCli(['feeds', 'add', server.url('/not-a-feed.txt'), '--feeds', file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^not added .*not-a-feed\.txt: not a feed: neither XML nor JSON Feed$/m);
    const bad = await runCli(['feeds', 'add', 'ftp://x', '--feeds', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not an http or https URL/);
  });

  it('checks every listed feed once: status, items, newest item, language, error', async () => {
    const file = await feedsFile('check.json', [
      { id: 'andes', url: server.url('/andes.xml') },
      { id: 'gone', url: server.url('/missing.xml') },
    ]);
    const result = await runCli(['feeds', 'check', '--feeds', file, '--json']);
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout)).toEqual([
      {
        id: 'andes',
        url: server.url('/andes.xml'),
        status: 'ok',
        items: 4,
        newestItemAt: '2025-11-11T14:05:00.000Z',
        language: null,
        error: null,
      },
      {
        id: 'gone',
        url: server.url('/missing.xml'),
        status: 'failed',
        items: 0,
        newestItemAt: null,
        language: null,
        error: 'HTTP 404 Not Found',
      },
    ]);
    const table = await runCli(['feeds', 'check', '--feeds', file]);
    expect(table.stdout.split('\n')[0]).toMatch(/^FEED\s+STATUS\s+ITEMS\s+NEWEST ITEM\s+LANG\s+LAST ERROR$/);
    expect(table.stdout).toMatch(/^andes\s+ok\s+4\s+2025-11-11T14:05:00\.000Z\s+-$/m);
    expect(table.stdout).toMatch(/^gone\s+failed\s+0\s+-\s+-\s+HTTP 404 Not Found$/m);
  });
});

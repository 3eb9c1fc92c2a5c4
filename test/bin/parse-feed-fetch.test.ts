import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/http-server.ts';

// Written for these tests: a channel link, an item link and an Atom id, all relative.
const RSS = `<rss version="2.0"><channel><title>Relative Wire</title><link>/about</link>
<item><title>Ports reopen after the strike</title><link>/2025/ports</link><guid isPermaLink="false">p-1</guid></item>
</channel></rss>`;
const ATOM = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Located</title><id>/feeds/located</id>
<entry><title>Strike ends</title><id>/stories/strike-ends</id><link href="stories/strike-ends.html"/></entry>
</feed>`;

describe('parse-feed --fetch: the real fetch-and-read path', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      '/feeds/rss.xml': (_req, res) =>
        void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS),
      '/old-rss': (_req, res) => void res.writeHead(301, { location: '/feeds/rss.xml' }).end(),
      '/located.xml': (_req, res) =>
        void res
          .writeHead(200, {
            'content-type': 'application/atom+xml',
            'content-location': 'https://outlet.example/news/',
          })
          .end(ATOM),
    });
  });
  afterAll(() => server.close());

  it('resolves relative links and ids against the URL after redirects, or the Content-Location', async () => {
    const result = await runCli([
      'parse-feed',
      '--fetch',
      '--json',
      server.url('/old-rss'),
      server.url('/located.xml'),
    ]);
    expect(result.code).toBe(0);
    const [rss, atom] = jsonLines(result.stdout);
    expect(rss).toMatchObject({
      url: server.url('/old-rss'),
      ok: true,
      feed: { title: 'Relative Wire', link: server.url('/about') },
      items: [{ id: 'p-1', url: server.url('/2025/ports') }],
    });
    expect(atom).toMatchObject({
      url: server.url('/located.xml'),
      feed: { link: null, id: 'https://outlet.example/feeds/located' },
      items: [
        {
          id: 'https://outlet.example/stories/strike-ends',
          url: 'https://outlet.example/news/stories/strike-ends.html',
        },
      ],
    });
  });

  it('reports a feed it cannot fetch on its line, and stays off the network without the flag', async () => {
    const missing = await runCli(['parse-feed', '--fetch', '--json', server.url('/missing.xml')]);
    expect(missing.code).toBe(1);
    expect(jsonLines(missing.stdout)).toEqual([
      expect.objectContaining({ url: server.url('/missing.xml'), ok: false, error: 'HTTP 404 Not Found' }),
    ]);
    const notUrl = await runCli(['parse-feed', '--fetch', 'feed.xml']);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toMatch(/"feed\.xml" is not an http or https URL/);
    // Without --fetch an argument is a file name, even one that looks like a URL.
    const dir = await mkdtemp(join(tmpdir(), 'parse-feed-fetch-'));
    await writeFile(join(dir, 'feed.xml'), RSS);
    const requestsBefore = server.requests.length;
    const asFiles = await runCli([
      'parse-feed',
      '--json',
      join(dir, 'feed.xml'),
      server.url('/feeds/rss.xml'),
    ]);
    const [file, url] = jsonLines(asFiles.stdout);
    expect(file).toMatchObject({ ok: true, feed: { link: '/about' }, items: [{ url: null }] });
    expect(url).toMatchObject({ file: server.url('/feeds/rss.xml'), ok: false });
    expect(server.requests).toHaveLength(requestsBefore);
  });
});

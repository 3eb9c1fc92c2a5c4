import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK, type HostResolver, privateRangeOf } from '#shared/feeds/address-policy.ts';
import {
  DEFAULT_FETCH_LIMITS,
  FeedFetchError,
  fetchFeed,
  parseRetryAfter,
  resolveFinalUrl,
} from '#shared/feeds/fetch-feed.ts';
import { readFeedBytes } from '#shared/feeds/read-feed.ts';
import { startTestServer, type TestServer } from '../../helpers/http-server.ts';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';
// The test servers listen on 127.0.0.1, so these tests allow private addresses unless they say otherwise.
const limits = {
  ...DEFAULT_FETCH_LIMITS,
  timeoutMs: 1_000,
  maxBytes: 64 * 1024,
  privateAddresses: 'allow' as const,
};

describe('fetchFeed against a local server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      '/feed': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        res.writeHead(200, {
          'content-type': 'application/rss+xml',
          etag: '"v1"',
          'last-modified': 'Tue, 11 Nov 2025 10:00:00 GMT',
        });
        res.end(RSS);
      },
      '/gzip': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
        res.end(gzipSync(RSS));
      },
      '/moved': (_req, res) => void res.writeHead(301, { location: '/feed' }).end(),
      '/located': (_req, res) =>
        void res.writeHead(200, { 'content-location': 'https://mirror.example/news/' }).end(RSS),
      '/located-relative': (_req, res) =>
        void res.writeHead(200, { 'content-location': '/archive/feed.xml' }).end(RSS),
      '/located-unsafe': (_req, res) =>
        void res.writeHead(200, { 'content-location': "javascript:alert('x')" }).end(RSS),
      '/moved-to-located': (_req, res) =>
        void res.writeHead(302, { location: '/sub/located-relative' }).end(),
      '/sub/located-relative': (_req, res) =>
        void res.writeHead(200, { 'content-location': 'feed.xml' }).end(RSS),
      '/moved-to-missing': (_req, res) => void res.writeHead(301, { location: '/missing' }).end(),
      '/loop': (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
      '/hang': () => {},
      '/huge': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end('x'.repeat(200 * 1024));
      },
      '/busy': (_req, res) => void res.writeHead(429, { 'retry-after': '120' }).end(),
      '/unavailable': (_req, res) =>
        void res.writeHead(503, { 'retry-after': 'Tue, 11 Nov 2099 10:00:00 GMT' }).end(),
      '/deflate': (_req, res) => {
        res.writeHead(200, { 'content-encoding': 'deflate' });
        res.end(deflateSync(RSS));
      },
      '/br': (_req, res) => {
        res.writeHead(200, { 'content-encoding': 'br' });
        res.end(brotliCompressSync(RSS));
      },
      '/gzip-bomb': (_req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)));
      },
      '/corrupt-gzip': (_req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(Buffer.from('this is not gzip at all'));
      },
      '/trickle': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const timer = setInterval(() => res.write('<!-- still here -->'), 50);
        res.on('close', () => clearInterval(timer));
      },
      '/gone': (_req, res) => void res.writeHead(410).end(),
      '/mislabelled': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=ISO-8859-1' });
        res.end(
          '<rss version="2.0"><channel><title>Bogotá</title><item><title>Descertificación</title></item></channel></rss>',
        );
      },
    });
  });
  afterAll(() => server.close());

  it('returns the body and the validators, naming itself in the User-Agent', async () => {
    const outcome = await fetchFeed(server.url('/feed'), {}, limits);
    expect(outcome.kind).toBe('fetched');
    if (outcome.kind !== 'fetched') return;
    expect(Buffer.from(outcome.body).toString()).toBe(RSS);
    expect(outcome.validators).toEqual({ etag: '"v1"', lastModified: 'Tue, 11 Nov 2025 10:00:00 GMT' });
    expect(server.requests.at(-1)?.headers['user-agent']).toMatch(/^news-monitor\//);
  });

  it('sends the stored validators and reports 304 as not modified', async () => {
    const outcome = await fetchFeed(server.url('/feed'), { etag: '"v1"' }, limits);
    expect(outcome).toEqual({ kind: 'not-modified', validators: { etag: '"v1"', lastModified: undefined } });
  });

  it('undoes gzip', async () => {
    const outcome = await fetchFeed(server.url('/gzip'), {}, limits);
    expect(outcome.kind === 'fetched' && Buffer.from(outcome.body).toString()).toBe(RSS);
  });

  it('follows redirects and reports where it ended', async () => {
    const outcome = await fetchFeed(server.url('/moved'), {}, limits);
    expect(outcome.kind === 'fetched' && outcome.finalUrl).toBe(server.url('/feed'));
  });

  it('gives the Content-Location header, made absolute against the final URL, as the base for relative references', async () => {
    const baseOf = async (path: string) => {
      const outcome = await fetchFeed(server.url(path), {}, limits);
      return outcome.kind === 'fetched'
        ? { finalUrl: outcome.finalUrl, baseUrl: outcome.baseUrl }
        : undefined;
    };
    expect(await baseOf('/feed')).toEqual({ finalUrl: server.url('/feed'), baseUrl: server.url('/feed') });
    expect(await baseOf('/moved')).toEqual({ finalUrl: server.url('/feed'), baseUrl: server.url('/feed') });
    expect(await baseOf('/located')).toEqual({
      finalUrl: server.url('/located'),
      baseUrl: 'https://mirror.example/news/',
    });
    expect((await baseOf('/located-relative'))?.baseUrl).toBe(server.url('/archive/feed.xml'));
    // Relative to where the redirect led, not to the URL asked for.
    expect(await baseOf('/moved-to-located')).toEqual({
      finalUrl: server.url('/sub/located-relative'),
      baseUrl: server.url('/sub/feed.xml'),
    });
    // Only an http(s) Content-Location is a base; anything else is ignored.
    expect((await baseOf('/located-unsafe'))?.baseUrl).toBe(server.url('/located-unsafe'));
  });

  it('finds where a URL leads without reading the body there, whatever its status', async () => {
    expect(await resolveFinalUrl(server.url('/moved'), limits)).toBe(server.url('/feed'));
    expect(await resolveFinalUrl(server.url('/huge'), limits)).toBe(server.url('/huge'));
    expect(await resolveFinalUrl(server.url('/moved-to-missing'), limits)).toBe(server.url('/missing'));
    await expect(resolveFinalUrl(server.url('/loop'), limits)).rejects.toThrow(/more than 5 redirects/);
  });

  it('stops a redirect loop at the cap', async () => {
    await expect(fetchFeed(server.url('/loop'), {}, limits)).rejects.toThrow(/more than 5 redirects/);
  });

  it('gives up on a server that never answers', async () => {
    await expect(fetchFeed(server.url('/hang'), {}, { ...limits, timeoutMs: 300 })).rejects.toThrow(
      'timed out after 300 ms',
    );
  });

  it('refuses a body over the size cap', async () => {
    await expect(fetchFeed(server.url('/huge'), {}, limits)).rejects.toThrow(/exceeds the 65536-byte limit/);
  });

  it('reports HTTP errors with the Retry-After the server asked for', async () => {
    const error = await fetchFeed(server.url('/busy'), {}, limits).catch((e) => e);
    expect(error).toBeInstanceOf(FeedFetchError);
    expect(error).toMatchObject({ httpStatus: 429, retryAfterSeconds: 120 });
    await expect(fetchFeed(server.url('/gone'), {}, limits)).rejects.toThrow(/^HTTP 410/);
  });

  it('undoes deflate and brotli', async () => {
    for (const path of ['/deflate', '/br']) {
      const outcome = await fetchFeed(server.url(path), {}, limits);
      expect(outcome.kind === 'fetched' && Buffer.from(outcome.body).toString()).toBe(RSS);
    }
  });

  it('caps the body after decompression, so a small gzip cannot hide a huge body', async () => {
    await expect(fetchFeed(server.url('/gzip-bomb'), {}, limits)).rejects.toThrow(
      /exceeds the 65536-byte limit/,
    );
  });

  it('reports a corrupt compressed body', async () => {
    await expect(fetchFeed(server.url('/corrupt-gzip'), {}, limits)).rejects.toThrow(
      /body could not be read/,
    );
  });

  it('gives up on a body that trickles in past the total timeout', async () => {
    await expect(fetchFeed(server.url('/trickle'), {}, { ...limits, timeoutMs: 400 })).rejects.toThrow(
      'timed out after 400 ms',
    );
  });

  it('reads an HTTP-date Retry-After on 503', async () => {
    const error = await fetchFeed(server.url('/unavailable'), {}, limits).catch((e) => e);
    expect(error).toMatchObject({ httpStatus: 503 });
    expect(error.retryAfterSeconds).toBeGreaterThan(86_400);
  });

  it('reads a UTF-8 body served with a wrong Latin-1 charset header', async () => {
    const outcome = await fetchFeed(server.url('/mislabelled'), {}, limits);
    if (outcome.kind !== 'fetched') throw new Error('expected a body');
    const feed = await readFeedBytes(outcome.body, outcome.contentType, { url: outcome.finalUrl });
    expect(feed.title).toBe('Bogotá');
    expect(feed.items[0]?.title).toBe('Descertificación');
  });

  it('fetches only http and https', async () => {
    await expect(fetchFeed('file:///etc/passwd', {}, limits)).rejects.toThrow(/only http and https/);
    await expect(fetchFeed('ftp://example.org/feed', {}, limits)).rejects.toThrow(/only http and https/);
  });

  it('turns a refused connection into a one-line reason', async () => {
    const closed = await startTestServer({});
    const url = closed.url('/feed');
    await closed.close();
    await expect(fetchFeed(url, {}, limits)).rejects.toThrow(/connection refused.*ECONNREFUSED/);
  });
});

describe('connect timeout', () => {
  let silent: Server;
  let port: number;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts TCP connections and never speaks: a TLS handshake to it never completes.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as AddressInfo).port;
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('fails fast when the connection (TLS included) cannot be set up', async () => {
    const started = Date.now();
    await expect(
      fetchFeed(`https://127.0.0.1:${port}/feed`, {}, { ...limits, connectTimeoutMs: 200, timeoutMs: 5_000 }),
    ).rejects.toThrow('could not connect within 200 ms');
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('Tue, 11 Nov 2025 10:00:00 GMT');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Tue, 11 Nov 2025 10:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('addresses a feed may reach', () => {
  let server: TestServer;
  const refuse = { ...limits, privateAddresses: 'refuse' as const };
  const resolvesTo =
    (address: string, family = 4): HostResolver =>
    async () => [{ address, family }];
  // The test server on 127.0.0.1 stands in for a public host; every other address is judged as usual.
  const serverIsPublic = (address: string) => (address === '127.0.0.1' ? undefined : privateRangeOf(address));
  beforeAll(async () => {
    server = await startTestServer({
      '/feed': (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS),
      '/to-loopback': (_req, res) =>
        void res.writeHead(302, { location: 'http://[::ffff:127.0.0.2]:9001/2018-06-01/runtime' }).end(),
      '/to-metadata': (_req, res) =>
        void res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      '/to-internal-name': (_req, res) =>
        void res.writeHead(302, { location: 'http://internal.example/admin' }).end(),
    });
  });
  afterAll(() => server.close());

  it('refuses a feed URL that is a literal private address, without connecting', async () => {
    await expect(fetchFeed('http://10.0.0.1/feed', {}, refuse)).rejects.toThrow(
      'address 10.0.0.1 is private; this monitor does not fetch private addresses',
    );
    await expect(fetchFeed(server.url('/feed'), {}, refuse)).rejects.toThrow(
      'address 127.0.0.1 is loopback; this monitor does not fetch private addresses',
    );
    await expect(fetchFeed('http://[::1]:9/feed', {}, refuse)).rejects.toThrow(/::1 is loopback/);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a host name that resolves to loopback', async () => {
    const error = await fetchFeed('http://feeds.example/feed', {}, refuse, {
      ...DEFAULT_NETWORK,
      resolve: resolvesTo('127.0.0.1'),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(FeedFetchError);
    expect(error.message).toBe(
      'host feeds.example resolves to 127.0.0.1, which is loopback; this monitor does not fetch private addresses',
    );
  });

  it('refuses a host name when any of its addresses is private', async () => {
    const mixed: HostResolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: 'fd00::5', family: 6 },
    ];
    await expect(
      fetchFeed('http://feeds.example/feed', {}, refuse, { ...DEFAULT_NETWORK, resolve: mixed }),
    ).rejects.toThrow(/resolves to fd00::5, which is private/);
  });

  it('refuses redirects to loopback, link-local and private addresses, by literal or by name', async () => {
    const network = {
      resolve: async (host: string) => [
        { address: host === 'internal.example' ? '10.1.2.3' : '127.0.0.1', family: 4 },
      ],
      refusedRange: serverIsPublic,
    };
    await expect(fetchFeed(server.url('/to-loopback'), {}, refuse, network)).rejects.toThrow(
      'redirect refused: address ::ffff:7f00:2 is loopback; this monitor does not fetch private addresses',
    );
    await expect(fetchFeed(server.url('/to-metadata'), {}, refuse, network)).rejects.toThrow(
      'redirect refused: address 169.254.169.254 is link-local; this monitor does not fetch private addresses',
    );
    await expect(fetchFeed(server.url('/to-internal-name'), {}, refuse, network)).rejects.toThrow(
      'redirect refused: host internal.example resolves to 10.1.2.3, which is private; this monitor does not fetch private addresses',
    );
  });

  it('connects to the address it checked, resolving once per connection', async () => {
    let lookups = 0;
    // A rebinding resolver: public the first time, private after.
    const rebinding: HostResolver = async () => [
      { address: lookups++ === 0 ? '127.0.0.1' : '10.0.0.1', family: 4 },
    ];
    const port = new URL(server.url('/')).port;
    const outcome = await fetchFeed(`http://rebind.example:${port}/feed`, {}, refuse, {
      resolve: rebinding,
      refusedRange: serverIsPublic,
    });
    expect(outcome.kind).toBe('fetched');
    expect(lookups).toBe(1);
  });

  it('fetches private addresses, literal or resolved, when the policy allows them', async () => {
    const allow = { ...limits, privateAddresses: 'allow' as const };
    expect((await fetchFeed(server.url('/feed'), {}, allow)).kind).toBe('fetched');
    const port = new URL(server.url('/')).port;
    const outcome = await fetchFeed(`http://my-generator.example:${port}/feed`, {}, allow, {
      ...DEFAULT_NETWORK,
      resolve: resolvesTo('127.0.0.1'),
    });
    expect(outcome.kind === 'fetched' && Buffer.from(outcome.body).toString()).toBe(RSS);
  });

  it('refuses by default: the library default is the safe one', () => {
    expect(DEFAULT_FETCH_LIMITS.privateAddresses).toBe('refuse');
  });
});

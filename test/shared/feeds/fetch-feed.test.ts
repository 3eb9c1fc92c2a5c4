import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FETCH_LIMITS,
  FeedFetchError,
  fetchFeed,
  parseRetryAfter,
} from '../../../shared/feeds/fetch-feed.ts';
import { startTestServer, type TestServer } from '../../helpers/http-server.ts';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';
const limits = { ...DEFAULT_FETCH_LIMITS, timeoutMs: 1_000, maxBytes: 64 * 1024 };

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
      '/loop': (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
      '/hang': () => {},
      '/huge': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end('x'.repeat(200 * 1024));
      },
      '/busy': (_req, res) => void res.writeHead(429, { 'retry-after': '120' }).end(),
      '/gone': (_req, res) => void res.writeHead(410).end(),
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

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('Tue, 11 Nov 2025 10:00:00 GMT');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Tue, 11 Nov 2025 10:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.xml': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.json': 'application/feed+json',
  '.html': 'text/html; charset=utf-8',
};

/**
 * Answers like a well-behaved feed server: the body with an ETag and Last-Modified, and 304 to a
 * request that already has them.
 */
export function feedFileHandler(body: Buffer, contentType: string) {
  const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  const lastModified = 'Wed, 04 Feb 2026 12:00:00 GMT';
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === lastModified) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType, etag, 'last-modified': lastModified });
    res.end(body);
  };
}

export interface FeedFileServer {
  /** One feed per file, as a feeds list: {id, url}. */
  feeds: Array<{ id: string; url: string }>;
  close(): Promise<void>;
}

/** Serves every file of a directory on 127.0.0.1, each as a feed at /<file name>. */
export async function serveFeedFiles(dir: string): Promise<FeedFileServer> {
  const names = (await readdir(dir)).filter((n) => CONTENT_TYPES[extname(n)]).sort();
  const handlers = new Map<string, ReturnType<typeof feedFileHandler>>();
  for (const name of names) {
    handlers.set(
      `/${name}`,
      feedFileHandler(await readFile(join(dir, name)), CONTENT_TYPES[extname(name)] as string),
    );
  }
  const server = createServer((req, res) => {
    const handler = handlers.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    feeds: names.map((name) => ({
      id: name.replace(/\.[a-z]+$/, ''),
      url: `http://127.0.0.1:${port}/${name}`,
    })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

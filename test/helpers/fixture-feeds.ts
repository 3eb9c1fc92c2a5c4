import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Route } from './http-server.ts';

/**
 * Serves a fixture file the way a well-behaved feed server does: with an ETag and
 * Last-Modified, answering 304 to a matching conditional request.
 */
export async function fixtureFeedRoute(file: string, contentType: string): Promise<Route> {
  const body = await readFile(file);
  const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  const lastModified = 'Wed, 12 Nov 2025 08:00:00 GMT';
  return (req, res) => {
    if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === lastModified) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType, etag, 'last-modified': lastModified });
    res.end(body);
  };
}

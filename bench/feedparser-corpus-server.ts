import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize, sep } from 'node:path';

/** The address feedparser's own test runner serves its corpus at; the expectations name it. */
export const CORPUS_HOST = '127.0.0.1';
export const CORPUS_PORT = 8097;

/** Port 8097 is taken, so the corpus cannot be served where its expectations say it is. */
export class CorpusPortBusyError extends Error {
  override name = 'CorpusPortBusyError';
}

const HEADER_LINE = /^Header:[ \t]+([^:\r\n]+):(.*)$/gm;

/** The "Header: Name: value" lines of a corpus file: what the runner sends with it. */
export function declaredHeaders(text: string): Array<[string, string]> {
  return [...text.matchAll(HEADER_LINE)].map((m) => [(m[1] ?? '').trim(), (m[2] ?? '').trim()]);
}

/**
 * Serves every file under `root` at http://127.0.0.1:8097/<path under root>, as feedparser's test
 * runner does: the file's "Header:" comment lines as response headers (the last of a name wins),
 * a Content-Type of text/xml unless one is declared, and the bytes as they are.
 * This is bench harness only: the product never reads those comments.
 */
export async function serveCorpus(
  root: string,
): Promise<{ url: (path: string) => string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path);
    if (!file.startsWith(root + sep)) return void res.writeHead(403).end();
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return void res.writeHead(404).end('not found');
    }
    const headers = new Map<string, [string, string]>([
      ['content-type', ['Content-Type', 'application/xml']],
    ]);
    for (const [name, value] of declaredHeaders(bytes.toString('latin1')))
      headers.set(name.toLowerCase(), [name, value]);
    for (const [name, value] of headers.values()) {
      try {
        res.setHeader(name, value);
      } catch {
        // A header Node will not send (an invalid character) is left out.
      }
    }
    res.setHeader('Content-Length', bytes.length);
    res.end(bytes);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CorpusPortBusyError(
              `port ${CORPUS_PORT} on ${CORPUS_HOST} is busy: the corpus cannot be served at the address its expectations name; free it and run again`,
            )
          : error,
      ),
    );
    server.listen(CORPUS_PORT, CORPUS_HOST, () => resolve());
  });
  return {
    url: (path) =>
      `http://${CORPUS_HOST}:${CORPUS_PORT}/${path.split(sep).map(encodeURIComponent).join('/')}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

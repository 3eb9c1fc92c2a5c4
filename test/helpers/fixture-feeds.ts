import { readFile } from 'node:fs/promises';
import { feedFileHandler } from '../../bin/demo-feed-server.ts';
import type { Route } from './http-server.ts';

/** A fixture file served as a well-behaved feed server would (ETag, Last-Modified, 304). */
export async function fixtureFeedRoute(file: string, contentType: string): Promise<Route> {
  return feedFileHandler(await readFile(file), contentType);
}

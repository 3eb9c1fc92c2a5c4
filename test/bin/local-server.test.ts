import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { storylineSchema } from '#shared/storyline/storyline-schema.ts';
import { type RunningServer, startStatusServer } from '../../bin/local-server.ts';
import { startLocalStore } from '../helpers/local-store.ts';

const storyline = storylineSchema.parse({
  id: 'story',
  title: 'The story',
  description: 'test',
  actors: [{ id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
});

/** Sends bytes as they are (no client-side URL parsing) and returns the status line of the answer. */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.end(request);
  });
}

describe('the local status server', () => {
  let db: EmbeddedDynamoDb;
  let server: RunningServer;

  beforeAll(async () => {
    const local = await startLocalStore();
    db = local.db;
    server = await startStatusServer(0, {
      store: local.store,
      storylines: [storyline],
      feeds: [],
      clock: () => new Date(),
      pollIntervalMinutes: 15,
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it.each([
    ['a request target that is no URL', 'GET //[ HTTP/1.1'],
    ['an absolute-form target with a bad host', 'GET http://[/status HTTP/1.1'],
    ['a target that is not a path', 'GET status HTTP/1.1'],
    ['bad percent-encoding in the path', 'GET /storylines/%ZZ/items HTTP/1.1'],
  ])('answers 400 to %s and keeps serving', async (_name, requestLine) => {
    const statusLine = await rawRequest(
      server.url,
      `${requestLine}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    const after = await fetch(`${server.url}/status`);
    expect(after.status).toBe(200);
  });
});

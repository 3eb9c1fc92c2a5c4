import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { StatusDependencies } from '#shared/status/status-model.ts';
import { createStatusHandler } from '../functions/status-handler.ts';
import { UsageError } from './cli-io.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the status API on loopback through the very handler the Lambda runs: each request is
 * turned into an API Gateway (v2) event.
 */
export async function startStatusServer(
  port: number,
  deps: StatusDependencies,
  host = '127.0.0.1',
): Promise<RunningServer> {
  const handler = createStatusHandler({
    ...deps,
    logger: { error: (message) => process.stderr.write(`${message}\n`) },
  });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
      requestContext: { http: { method: req.method ?? 'GET', path: url.pathname } },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const result = await handler(event);
    res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    res.end(result.body ?? '');
  });
  await listen(server, port, host);
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new UsageError(`port ${port} is already in use; stop what uses it or choose another with --port`),
        );
      } else if (error.code === 'EACCES') {
        reject(new UsageError(`port ${port} needs privileges; choose one above 1023 with --port`));
      } else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

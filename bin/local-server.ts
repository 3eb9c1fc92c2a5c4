import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type ApiResponse, badRequest, INTERNAL_ERROR } from '#shared/status/status-api.ts';
import type { StatusDependencies } from '#shared/status/status-model.ts';
import { createStatusHandler } from '../functions/status-handler.ts';
import { UsageError } from './cli-io.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the status API on loopback through the very handler the Lambda runs: each request is
 * turned into an API Gateway (v2) event. A request it cannot read gets a 400; nothing a client
 * sends can end the process.
 */
export async function startStatusServer(
  port: number,
  deps: StatusDependencies,
  host = '127.0.0.1',
): Promise<RunningServer> {
  const logger = { error: (message: string) => process.stderr.write(`${message}\n`) };
  const handler = createStatusHandler({ ...deps, logger });
  const server = createServer((req, res) => {
    answer(req, res, handler).catch((error: unknown) => {
      logger.error(`status server: ${(error as Error).message}`);
      res.destroy();
    });
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

type Handler = ReturnType<typeof createStatusHandler>;

async function answer(req: IncomingMessage, res: ServerResponse, handler: Handler): Promise<void> {
  const event = toApiEvent(req);
  let response: ApiResponse;
  if (event === undefined) {
    response = badRequest('the request target is not a valid path; try GET /status');
  } else {
    try {
      const result = await handler(event);
      response = {
        statusCode: result.statusCode ?? 200,
        headers: (result.headers ?? {}) as Record<string, string>,
        body: result.body ?? '',
      };
    } catch {
      response = INTERNAL_ERROR;
    }
  }
  res.writeHead(response.statusCode, response.headers);
  res.end(response.body);
}

/** Path and query as RFC 3986 allows them in origin-form: anything else is refused, not guessed at. */
const ORIGIN_FORM =
  /^(\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*)(?:\?((?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*))?$/;

/** The API Gateway (payload v2) event for a request, or undefined if its target cannot be read. */
function toApiEvent(req: IncomingMessage): APIGatewayProxyEventV2 | undefined {
  const target = originForm(req.url ?? '');
  const parts = target === undefined ? null : ORIGIN_FORM.exec(target);
  if (!parts) return undefined;
  const path = parts[1] ?? '/';
  const rawQuery = parts[2] ?? '';
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: rawQuery,
    headers,
    queryStringParameters: rawQuery ? Object.fromEntries(new URLSearchParams(rawQuery)) : undefined,
    requestContext: { http: { method: req.method ?? 'GET', path } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** A proxy-style absolute target (http://host/path) is reduced to its path and query. */
function originForm(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    const url = new URL(target);
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
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

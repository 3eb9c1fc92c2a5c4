import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * An API Gateway HTTP API (payload 2.0) event, as the status function receives it. `route` is the
 * route's key path as the template declares it (`/storylines/{id}/items`); its parameters are
 * taken from `path`.
 */
export function apiEvent(
  method: string,
  path: string,
  options: { query?: Record<string, string>; accept?: string; route?: string } = {},
): APIGatewayProxyEventV2 {
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  const route = options.route ?? path;
  const pathParameters = routeParameters(route, path);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${method} ${route}`,
    rawPath: path,
    rawQueryString,
    headers: {
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'test',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'https',
      ...(options.accept ? { accept: options.accept } : {}),
    },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: randomUUID(),
      routeKey: `${method} ${route}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

function routeParameters(route: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = route.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const values = new RegExp(`^${pattern}$`).exec(path);
  if (!values || names.length === 0) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(values[i + 1] ?? '')]));
}

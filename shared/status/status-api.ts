import { InvalidCursorError, type ItemPage } from '../store/dynamo-store.ts';
import { PAGE_CONTENT_SECURITY_POLICY, renderItemsHtml, renderStatusHtml } from './status-html.ts';
import { buildStatus, publicItem, type StatusDependencies } from './status-model.ts';

/** The HTTP request as the status API needs it, whatever carried it (API Gateway or `serve`). */
export interface ApiRequest {
  method: string;
  path: string;
  query: Readonly<Record<string, string | undefined>>;
  accept: string | undefined;
  /** The Authorization header, checked when the endpoint is private. */
  authorization?: string | undefined;
}

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const PUBLIC_CACHE_CONTROL = 'public, max-age=30';
/** Behind a password, only the reader's own browser may keep an answer. */
const PRIVATE_CACHE_CONTROL = 'private, max-age=30';
/** On every answer: no MIME sniffing, and JSON is never a document that may load or frame anything. */
const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};
const ITEMS_PATH = /^\/storylines\/([^/]*)\/items\/?$/;
/** Storyline ids are lower-case words joined by hyphens (the seed schema); anything else is no id. */
const STORYLINE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_STORYLINE_ID = 128;

class BadRequestError extends Error {
  override name = 'BadRequestError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Routes GET /status and GET /storylines/{id}/items. Known errors become 4xx with a JSON body
 * naming the problem; anything else a plain 500 with no detail (the caller logs it).
 */
export async function handleApiRequest(request: ApiRequest, deps: StatusDependencies): Promise<ApiResponse> {
  if (deps.auth && !(await deps.auth.allows(request.authorization))) return unauthorized();
  const response = await route(request, deps);
  if (deps.auth && response.headers['cache-control'] === PUBLIC_CACHE_CONTROL) {
    response.headers['cache-control'] = PRIVATE_CACHE_CONTROL;
  }
  return response;
}

async function route(request: ApiRequest, deps: StatusDependencies): Promise<ApiResponse> {
  const html = wantsHtml(request.accept);
  if (request.path === '/status' || request.path === '/status/') {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
    const status = await buildStatus(deps);
    return negotiated(html, () => renderStatusHtml(status, deps.storylines), status);
  }
  const itemsMatch = ITEMS_PATH.exec(request.path);
  if (itemsMatch) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
    const storylineId = parseStorylineId(itemsMatch[1] ?? '');
    if (storylineId === undefined) {
      return badRequest(
        `storyline ids are lower-case words joined by hyphens, at most ${MAX_STORYLINE_ID} characters; see GET /status for the list`,
      );
    }
    const storyline = deps.storylines.find((s) => s.id === storylineId);
    if (!storyline) return errorResponse(404, 'not_found', `storyline "${storylineId}" does not exist`);
    let page: ItemPage;
    try {
      const limit = parseLimit(request.query.limit);
      const since = parseSince(request.query.since);
      const cursor = request.query.cursor || undefined;
      const stored = await deps.store.listRecentItems(storyline.id, limit, cursor, since);
      page = { ...stored, items: stored.items.map(publicItem) };
    } catch (error) {
      if (error instanceof BadRequestError) return errorResponse(400, 'bad_request', error.message);
      if (error instanceof InvalidCursorError)
        return errorResponse(400, 'bad_request', `cursor: ${error.message}`);
      throw error;
    }
    const body = {
      storyline: { id: storyline.id, title: storyline.title },
      items: page.items,
      cursor: page.cursor ?? null,
    };
    return negotiated(html, () => renderItemsHtml(storyline, page), body);
  }
  return errorResponse(404, 'not_found', `no route for ${request.path}; try GET /status`);
}

/** The decoded id from the path, or undefined when it cannot be one (bad escapes, empty, too long). */
function parseStorylineId(encoded: string): string | undefined {
  let id: string;
  try {
    id = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  return id.length <= MAX_STORYLINE_ID && STORYLINE_ID.test(id) ? id : undefined;
}

function parseLimit(value: string | undefined): number {
  if (value === undefined || value === '') return 20;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100) {
    throw new BadRequestError('limit', 'limit must be a whole number between 1 and 100');
  }
  return Number(value);
}

/** `since`: an ISO 8601 date or date-time; items first seen at or after it. */
function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const parts = /^(\d{4})-(\d{2})-(\d{2})(T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(
    value,
  );
  const time = parts && isCalendarDate(parts) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new BadRequestError(
      'since',
      'since must be an ISO 8601 date or date-time, e.g. 2025-11-11 or 2025-11-11T08:00:00Z',
    );
  }
  return new Date(time);
}

/** Date.parse rolls 2025-02-30 over into March; a date that does not exist is refused instead. */
function isCalendarDate(parts: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = [1, 2, 3, 5, 6, 8].map((i) => Number(parts[i] ?? 0));
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === (month ?? 1) - 1 &&
    date.getUTCDate() === day &&
    (hour ?? 0) < 24 &&
    (minute ?? 0) < 60 &&
    (second ?? 0) < 60
  );
}

function wantsHtml(accept: string | undefined): boolean {
  return /\btext\/html\b/i.test(accept ?? '');
}

/** A page or its JSON, chosen by Accept: caches must keep the two apart. */
function negotiated(html: boolean, page: () => string, data: unknown): ApiResponse {
  const response = html ? htmlResponse(200, page()) : jsonResponse(200, data);
  response.headers.vary = 'Accept';
  return response;
}

function jsonResponse(statusCode: number, body: unknown): ApiResponse {
  return {
    statusCode,
    headers: {
      ...COMMON_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': PUBLIC_CACHE_CONTROL,
    },
    body: JSON.stringify(body),
  };
}

function htmlResponse(statusCode: number, body: string): ApiResponse {
  return {
    statusCode,
    headers: {
      ...COMMON_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'cache-control': PUBLIC_CACHE_CONTROL,
      'content-security-policy': PAGE_CONTENT_SECURITY_POLICY,
    },
    body,
  };
}

function errorResponse(statusCode: number, error: string, message: string): ApiResponse {
  return {
    statusCode,
    headers: {
      ...COMMON_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    },
    body: JSON.stringify({ error, message }),
  };
}

/** A 400 naming what was wrong with the request. */
export function badRequest(message: string): ApiResponse {
  return errorResponse(400, 'bad_request', message);
}

function unauthorized(): ApiResponse {
  const response = errorResponse(
    401,
    'unauthorized',
    'this status endpoint is private; sign in with its user and password',
  );
  response.headers['www-authenticate'] = 'Basic realm="news-monitor", charset="UTF-8"';
  return response;
}

function methodNotAllowed(): ApiResponse {
  const response = errorResponse(405, 'method_not_allowed', 'only GET is supported');
  response.headers.allow = 'GET, HEAD';
  return response;
}

/** What an HTTP adapter returns when the handler throws: no stack, no detail. */
export const INTERNAL_ERROR: ApiResponse = {
  statusCode: 500,
  headers: { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body: 'Internal Server Error',
};

/** HTTP validators remembered between polls so an unchanged feed costs a 304. */
export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export interface FetchLimits {
  /** Whole request, headers and body, in milliseconds. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  timeoutMs: 10_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'news-monitor/0.1 (+https://github.com/news-monitor/news-monitor)',
};

export type FetchOutcome =
  | {
      kind: 'fetched';
      body: Uint8Array;
      contentType: string | undefined;
      validators: Validators;
      finalUrl: string;
    }
  | { kind: 'not-modified'; validators: Validators };

/** The feed could not be fetched; the message is one line fit for the status page. */
export class FeedFetchError extends Error {
  override name = 'FeedFetchError';
  constructor(
    message: string,
    readonly httpStatus?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export type FetchFunction = typeof fetch;

/**
 * A conditional GET with a total timeout, a streamed size cap and a redirect cap, over http and
 * https only. Compression is negotiated and undone by fetch itself.
 */
export async function fetchFeed(
  url: string,
  validators: Validators,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
  fetchImpl: FetchFunction = fetch,
): Promise<FetchOutcome> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current = url;
  try {
    for (let redirects = 0; ; redirects++) {
      assertHttpUrl(current);
      const response = await fetchImpl(current, {
        redirect: 'manual',
        signal,
        headers: requestHeaders(validators, limits.userAgent),
      });
      if (isRedirect(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location) throw new FeedFetchError(`HTTP ${response.status} redirect without a Location header`);
        if (redirects >= limits.maxRedirects) {
          throw new FeedFetchError(`more than ${limits.maxRedirects} redirects (last to ${location})`);
        }
        current = new URL(location, current).toString();
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { kind: 'not-modified', validators: readValidators(response.headers, validators) };
      }
      if (!response.ok) {
        await response.body?.cancel();
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        throw new FeedFetchError(
          `HTTP ${response.status} ${response.statusText}`.trim(),
          response.status,
          retryAfter,
        );
      }
      const body = await readCapped(response, limits.maxBytes);
      return {
        kind: 'fetched',
        body,
        contentType: response.headers.get('content-type') ?? undefined,
        validators: readValidators(response.headers, {}),
        finalUrl: current,
      };
    }
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    if (signal.aborted) throw new FeedFetchError(`timed out after ${limits.timeoutMs} ms`);
    throw new FeedFetchError(networkReason(error));
  }
}

function requestHeaders(validators: Validators, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': userAgent,
    accept:
      'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
  };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  return headers;
}

function readValidators(headers: Headers, previous: Validators): Validators {
  return {
    etag: headers.get('etag') ?? previous.etag,
    lastModified: headers.get('last-modified') ?? previous.lastModified,
  };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function assertHttpUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new FeedFetchError(`not a valid URL: ${url}`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new FeedFetchError(`only http and https are fetched, not ${protocol.replace(':', '')}`);
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new FeedFetchError(`body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new FeedFetchError(`body exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - now) / 1000));
}

const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (no network?)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/** fetch hides the useful part (ENOTFOUND, ECONNREFUSED) in `cause`. */
function networkReason(error: unknown): string {
  const cause =
    error instanceof Error
      ? (error.cause as { code?: string; message?: string; hostname?: string } | undefined)
      : undefined;
  if (cause?.code) {
    const reason = NETWORK_REASONS[cause.code] ?? cause.message ?? 'network error';
    return `${reason}${cause.hostname ? `: ${cause.hostname}` : ''} (${cause.code})`;
  }
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

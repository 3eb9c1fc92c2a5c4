import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import {
  checkLiteralAddress,
  DEFAULT_NETWORK,
  type FetchNetwork,
  guardedLookup,
  PrivateAddressError,
  type PrivateAddressPolicy,
} from './address-policy.ts';

/** HTTP validators remembered between polls so an unchanged feed costs a 304. */
export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export interface FetchLimits {
  /** Time allowed to resolve the host and open the connection (TLS included), in milliseconds. */
  connectTimeoutMs: number;
  /** The whole exchange, redirects and body included, in milliseconds. */
  timeoutMs: number;
  /** Largest body accepted, counted after decompression (a small gzip can hide a huge body). */
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  /** Loopback, link-local and private addresses, by literal or after resolution, on every hop. */
  privateAddresses: PrivateAddressPolicy;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  connectTimeoutMs: 5_000,
  timeoutMs: 10_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'news-monitor/0.1 (+https://github.com/news-monitor/news-monitor)',
  privateAddresses: 'refuse',
};

export type FetchOutcome =
  | {
      kind: 'fetched';
      body: Uint8Array;
      contentType: string | undefined;
      validators: Validators;
      finalUrl: string;
      /**
       * What the document's relative references resolve against when it sets no xml:base: its
       * Content-Location header (itself relative to the final URL), else the final URL.
       */
      baseUrl: string;
    }
  | { kind: 'not-modified'; validators: Validators };

/** The feed could not be fetched; the message is one line fit for the status page. */
export class FeedFetchError extends Error {
  override name = 'FeedFetchError';
  constructor(
    message: string,
    readonly httpStatus?: number,
    /** Seconds the server asked us to wait (429, 503). */
    readonly retryAfterSeconds?: number,
    /** The URL (or a redirect) pointed at an address the policy refuses. */
    readonly refusedAddress = false,
  ) {
    super(message);
  }
}

interface Agents {
  'http:': HttpAgent;
  'https:': HttpsAgent;
}

/** The fetch was abandoned because the run was asked to stop: not the feed's fault. */
export class FetchAbortedError extends FeedFetchError {
  override name = 'FetchAbortedError';
  constructor() {
    super('abandoned: the run was asked to stop');
  }
}

// Connections are kept alive between requests: many feeds share a host (news-search feeds), at
// most 16 at a time to one host, the default poll concurrency. Sockets are pooled by policy, so a
// connection opened while private addresses were allowed is never reused under "refuse".
const agentPools = new WeakMap<FetchNetwork, Partial<Record<PrivateAddressPolicy, Agents>>>();

function agentsFor(policy: PrivateAddressPolicy, network: FetchNetwork): Agents {
  const pools = agentPools.get(network) ?? {};
  agentPools.set(network, pools);
  let agents = pools[policy];
  if (!agents) {
    const lookup = guardedLookup(network, policy);
    agents = {
      'http:': new HttpAgent({ keepAlive: true, maxSockets: 16, lookup }),
      'https:': new HttpsAgent({ keepAlive: true, maxSockets: 16, lookup }),
    };
    pools[policy] = agents;
  }
  return agents;
}

/**
 * A conditional GET of a feed over http or https: connect and total timeouts, at most
 * `maxRedirects` redirects, gzip/deflate/br undone, a body-size cap enforced while streaming, and
 * (unless allowed) no loopback, link-local or private address on any hop.
 */
export async function fetchFeed(
  url: string,
  validators: Validators,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
  network: FetchNetwork = DEFAULT_NETWORK,
  /** Abandons the fetch (the run was asked to stop); it then fails with a FetchAbortedError. */
  signal?: AbortSignal,
): Promise<FetchOutcome> {
  const { response, finalUrl } = await followRedirects(url, validators, limits, network, signal);
  const { statusCode = 0, headers } = response.message;
  if (statusCode === 304) {
    response.message.resume();
    return { kind: 'not-modified', validators: readValidators(headers, validators) };
  }
  if (statusCode < 200 || statusCode >= 300) {
    response.message.resume();
    const retryAfter = parseRetryAfter(header(headers['retry-after']) ?? null);
    const reason = response.message.statusMessage ? ` ${response.message.statusMessage}` : '';
    throw new FeedFetchError(`HTTP ${statusCode}${reason}`, statusCode, retryAfter);
  }
  const body = await readBody(response.message, limits, response.timeLeft, signal);
  return {
    kind: 'fetched',
    body,
    contentType: header(headers['content-type']),
    validators: readValidators(headers, {}),
    finalUrl,
    baseUrl: contentLocation(header(headers['content-location']), finalUrl) ?? finalUrl,
  };
}

/**
 * Where a URL's redirects lead, without reading the body there (whatever its status), under the
 * same limits and address policy as a fetch. Throws FeedFetchError when it cannot be reached.
 */
export async function resolveFinalUrl(
  url: string,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
  network: FetchNetwork = DEFAULT_NETWORK,
): Promise<string> {
  const { response, finalUrl } = await followRedirects(url, {}, limits, network, undefined);
  response.message.destroy();
  return finalUrl;
}

/** The first answer that is not a redirect, and the URL that gave it. */
async function followRedirects(
  url: string,
  validators: Validators,
  limits: FetchLimits,
  network: FetchNetwork,
  signal: AbortSignal | undefined,
): Promise<{ response: OpenResponse; finalUrl: string }> {
  const deadline = Date.now() + limits.timeoutMs;
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(current, validators, limits, deadline, network, signal).catch(
      (error) => {
        if (redirects > 0 && error instanceof FeedFetchError && error.refusedAddress) {
          throw new FeedFetchError(`redirect refused: ${error.message}`);
        }
        throw error;
      },
    );
    const { statusCode = 0, headers } = response.message;
    if (statusCode < 300 || statusCode >= 400 || statusCode === 304) return { response, finalUrl: current };
    response.message.resume();
    const location = headers.location;
    if (!location) throw new FeedFetchError(`HTTP ${statusCode} redirect without a Location header`);
    if (redirects >= limits.maxRedirects) {
      throw new FeedFetchError(`more than ${limits.maxRedirects} redirects (last to ${location})`);
    }
    current = new URL(location, current).toString();
  }
}

/** A Content-Location header made absolute against the response URL; undefined unless http(s). */
function contentLocation(value: string | undefined, responseUrl: string): string | undefined {
  if (!value?.trim()) return undefined;
  try {
    const url = new URL(value.trim(), responseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

interface OpenResponse {
  message: IncomingMessage;
  /** Milliseconds left before the total deadline. */
  timeLeft: () => number;
}

function requestOnce(
  url: string,
  validators: Validators,
  limits: FetchLimits,
  deadline: number,
  network: FetchNetwork,
  signal: AbortSignal | undefined,
): Promise<OpenResponse> {
  if (signal?.aborted) return Promise.reject(new FetchAbortedError());
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new FeedFetchError(`not a valid URL: ${url}`));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return Promise.reject(
      new FeedFetchError(`only http and https are fetched, not ${parsed.protocol.replace(':', '')}`),
    );
  }
  if (limits.privateAddresses === 'refuse') {
    try {
      checkLiteralAddress(parsed.hostname, network);
    } catch (error) {
      return Promise.reject(refusal(error as PrivateAddressError));
    }
  }
  const timeLeft = () => deadline - Date.now();
  if (timeLeft() <= 0) return Promise.reject(new FeedFetchError(`timed out after ${limits.timeoutMs} ms`));
  const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise((resolve, reject) => {
    const req = send(parsed, {
      method: 'GET',
      agent: agentsFor(limits.privateAddresses, network)[parsed.protocol as 'http:' | 'https:'],
      headers: requestHeaders(validators, limits.userAgent),
    });
    let settled = false;
    const fail = (error: FeedFetchError) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      clearTimeout(connect);
      signal?.removeEventListener('abort', abort);
      req.destroy();
      reject(error);
    };
    const abort = () => fail(new FetchAbortedError());
    signal?.addEventListener('abort', abort, { once: true });
    const total = setTimeout(
      () => fail(new FeedFetchError(`timed out after ${limits.timeoutMs} ms`)),
      timeLeft(),
    );
    const connect = setTimeout(
      () => fail(new FeedFetchError(`could not connect within ${limits.connectTimeoutMs} ms`)),
      Math.min(limits.connectTimeoutMs, timeLeft()),
    );
    req.on('socket', (socket) => {
      // A kept-alive socket is connected already; a new one clears the timer when it connects.
      if (!socket.connecting) clearTimeout(connect);
      else
        socket.once(parsed.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connect));
    });
    req.on('error', (error) =>
      fail(error instanceof PrivateAddressError ? refusal(error) : new FeedFetchError(networkReason(error))),
    );
    req.on('response', (message) => {
      clearTimeout(connect);
      if (settled) {
        message.resume();
        return;
      }
      settled = true;
      signal?.removeEventListener('abort', abort);
      // The total timer stays armed while the body streams; readBody takes it over.
      clearTimeout(total);
      resolve({ message, timeLeft });
    });
    req.end();
  });
}

function refusal(error: PrivateAddressError): FeedFetchError {
  return new FeedFetchError(error.message, undefined, undefined, true);
}

async function readBody(
  message: IncomingMessage,
  limits: FetchLimits,
  timeLeft: () => number,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const declared = Number(header(message.headers['content-length']));
  const encoding = (header(message.headers['content-encoding']) ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' && Number.isFinite(declared) && declared > limits.maxBytes) {
    message.destroy();
    throw new FeedFetchError(`body of ${declared} bytes exceeds the ${limits.maxBytes}-byte limit`);
  }
  const stream = decoded(message, encoding);
  const chunks: Buffer[] = [];
  let total = 0;
  const timer = setTimeout(
    () => stream.destroy(new FeedFetchError(`timed out after ${limits.timeoutMs} ms`)),
    Math.max(0, timeLeft()),
  );
  const abort = () => stream.destroy(new FetchAbortedError());
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > limits.maxBytes) {
        throw new FeedFetchError(`body exceeds the ${limits.maxBytes}-byte limit`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    message.destroy();
    if (error instanceof FeedFetchError) throw error;
    throw new FeedFetchError(`body could not be read: ${networkReason(error)}`);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
  return Buffer.concat(chunks, total);
}

function decoded(message: IncomingMessage, encoding: string): Readable {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return message.pipe(createGunzip()).on('error', () => message.destroy());
    case 'deflate':
      return message.pipe(createInflate()).on('error', () => message.destroy());
    case 'br':
      return message.pipe(createBrotliDecompress()).on('error', () => message.destroy());
    default:
      return message;
  }
}

function requestHeaders(validators: Validators, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': userAgent,
    accept:
      'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
    'accept-encoding': 'gzip, deflate, br',
  };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  return headers;
}

function readValidators(headers: IncomingMessage['headers'], previous: Validators): Validators {
  return {
    etag: header(headers.etag) ?? previous.etag,
    lastModified: header(headers['last-modified']) ?? previous.lastModified,
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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
  EPROTO: 'TLS handshake failed',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not match the host',
  HPE_INVALID_CONSTANT: 'the server sent a malformed HTTP response',
  Z_DATA_ERROR: 'the compressed body is corrupt',
};

/** A one-line reason from a socket, TLS or zlib error. */
function networkReason(error: unknown): string {
  const { code, hostname, message } = (error ?? {}) as { code?: string; hostname?: string; message?: string };
  if (code) {
    const reason = NETWORK_REASONS[code] ?? message ?? 'network error';
    return `${reason}${hostname ? `: ${hostname}` : ''} (${code})`;
  }
  return message ?? String(error);
}

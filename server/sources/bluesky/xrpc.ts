/**
 * One XRPC call to Bluesky over plain `fetch`: a timeout, JSON, the `ratelimit-*` headers as data
 * (read by the reader every network shares),
 * and every failure classified into a `BlueskyApiError` whose message holds no secret.
 */
import { parseRateLimit, type RateLimit } from '../../pacing/rate-limit.js';
import type { Redact } from '../../redact.js';

/** The calls we make, as rate-limit buckets and for messages. */
export type BlueskyEndpoint =
  'getAuthorFeed' | 'searchPosts' | 'getPosts' | 'resolveHandle' | 'createSession' | 'refreshSession';

export interface BlueskyAnswer<T> {
  body: T;
  rateLimit?: RateLimit;
}

export type BlueskyErrorKind =
  /** 429: no call to this endpoint before `rateLimit.resetAt` (or a backoff when unknown). */
  | 'rate-limit'
  /** 401/403, or a token Bluesky no longer takes: the app password is wrong or revoked, or a login is needed. */
  | 'auth'
  /** Hashtag search was asked for, and no account is configured to log in with. */
  | 'credentials-missing'
  /** 400 and other 4xx: a request Bluesky rejects (an unknown account, a bad parameter). */
  | 'bad-request'
  /** 5xx, timeouts, network failures, unreadable answers: retry with backoff. */
  | 'unavailable';

/** A Bluesky failure, classified; its message never contains the app password or a token. */
export class BlueskyApiError extends Error {
  constructor(
    readonly kind: BlueskyErrorKind,
    message: string,
    readonly endpoint: BlueskyEndpoint,
    readonly status?: number,
    /** The XRPC error name Bluesky sent (`ExpiredToken`, `AuthMissing`, `RateLimitExceeded`...). */
    readonly code?: string,
    readonly rateLimit?: RateLimit,
  ) {
    super(message);
    this.name = 'BlueskyApiError';
  }
}

export type XrpcQuery = Record<string, string | number | readonly string[] | undefined>;

export interface XrpcRequest {
  /** The host, e.g. `https://public.api.bsky.app` or the account's PDS. */
  baseUrl: string;
  /** The method's NSID, e.g. `app.bsky.feed.getAuthorFeed`. */
  nsid: string;
  endpoint: BlueskyEndpoint;
  method?: 'GET' | 'POST';
  query?: XrpcQuery;
  /** A JSON body (POST). */
  body?: unknown;
  /** A bearer token (an access or refresh JWT). */
  token?: string;
  signal?: AbortSignal;
  timeoutMs: number;
  /** Hides secrets in anything upstream echoed. */
  redact: Redact;
  now: () => number;
  fetch: typeof fetch;
}

/** The longest part of an upstream message kept in ours. */
const MAX_UPSTREAM_MESSAGE = 300;

/** `?a=1&tag=x&tag=y`: XRPC repeats the key of an array parameter. */
export function xrpcUrl(baseUrl: string, nsid: string, query: XrpcQuery = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const search = params.toString();
  return `${baseUrl.replace(/\/+$/, '')}/xrpc/${nsid}${search ? `?${search}` : ''}`;
}

/** The XRPC error body `{ error, message }`, when the answer is one. */
function xrpcError(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const code = typeof body?.error === 'string' && /^[A-Za-z]{1,64}$/.test(body.error) ? body.error : undefined;
    const message = typeof body?.message === 'string' ? body.message.slice(0, MAX_UPSTREAM_MESSAGE) : undefined;
    return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
  } catch {
    return {};
  }
}

/** The error for an answer that is not a success. */
function classify(
  status: number,
  text: string,
  endpoint: BlueskyEndpoint,
  rateLimit: RateLimit | undefined,
  redact: Redact,
): BlueskyApiError {
  const { code, message } = xrpcError(text);
  const what = redact([`HTTP ${status}`, code, message].filter(Boolean).join(': '));
  const error = (kind: BlueskyErrorKind, text: string) =>
    new BlueskyApiError(kind, text, endpoint, status, code, rateLimit);
  if (status === 429) return error('rate-limit', `Bluesky rate limit reached on ${endpoint} (${what})`);
  if (status === 401 || status === 403 || code === 'ExpiredToken' || code === 'InvalidToken')
    return error('auth', `Bluesky refused ${endpoint}: ${what}`);
  if (status >= 400 && status < 500) return error('bad-request', `Bluesky rejected ${endpoint}: ${what}`);
  return error('unavailable', `Bluesky failed on ${endpoint}: ${what}`);
}

/** Why a request that got no answer failed, in words (the cause's code, never its URL or headers). */
function unreachable(err: unknown, request: XrpcRequest): BlueskyApiError {
  const { endpoint, signal, timeoutMs } = request;
  if (signal?.aborted) return new BlueskyApiError('unavailable', `Bluesky call ${endpoint} was cancelled`, endpoint);
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new BlueskyApiError(
      'unavailable',
      `Bluesky did not answer ${endpoint} within ${timeoutMs / 1000} s`,
      endpoint,
    );
  }
  const cause = (err as { cause?: { code?: unknown } })?.cause?.code;
  const why = typeof cause === 'string' && /^[A-Z_]{1,40}$/.test(cause) ? cause : 'network error';
  return new BlueskyApiError('unavailable', `Bluesky could not be reached for ${endpoint} (${why})`, endpoint);
}

/** Makes one call; resolves with the JSON object Bluesky answered, or throws a `BlueskyApiError`. */
export async function xrpc<T>(request: XrpcRequest): Promise<BlueskyAnswer<T>> {
  const { endpoint, timeoutMs, redact } = request;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let status: number;
  let text: string;
  let rateLimit: RateLimit | undefined;
  try {
    const response = await request.fetch(xrpcUrl(request.baseUrl, request.nsid, request.query), {
      method: request.method ?? 'GET',
      headers,
      signal,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
    status = response.status;
    rateLimit = parseRateLimit(response.headers, request.now());
    text = await response.text();
  } catch (err) {
    throw unreachable(err, request);
  }
  if (status < 200 || status >= 300) throw classify(status, text, endpoint, rateLimit, redact);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BlueskyApiError('unavailable', `Bluesky sent an unreadable answer to ${endpoint}`, endpoint, status);
  }
  return rateLimit ? { body: body as T, rateLimit } : { body: body as T };
}

/** A thin shell around twitter-api-v2: base URL, fields, timeout, rate limits, and error classes. */
import http from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi } from 'twitter-api-v2';
import type { IncomingHttpHeaders } from 'node:http';
import type { ITwitterApiClientPlugin } from 'twitter-api-v2';
import { parseRateLimit, type RateLimit } from '../../pacing/rate-limit.js';
import { redactor, type Redact } from '../../redact.js';
import type { XInlineError, XTweetsPayload, XUser } from './api-types.js';

export interface XClientOptions {
  bearerToken: string;
  /** Where X's API lives (default https://api.x.com); a local fake in tests. */
  baseUrl?: string;
  /** Socket inactivity timeout of one request, in ms (default 15 000). */
  requestTimeoutMs?: number;
}

/** The endpoints we call, as rate-limit buckets. */
export type XEndpoint = 'search' | 'timeline' | 'user' | 'lookup';

/** A limit X announced in its `x-rate-limit-*` headers. */
export type XRateLimit = RateLimit;

export interface XAnswer<T> {
  body: T;
  rateLimit?: XRateLimit;
}

export type XErrorKind =
  /** 429 Too Many Requests: no call to this endpoint before `resetAt`. */
  | 'rate-limit'
  /** 429 UsageCapExceeded: the monthly cap is reached; waiting for the window does not help. */
  | 'usage-cap'
  /** 401/403: token wrong, revoked, or app not enrolled. */
  | 'auth'
  /** 400: a query X rejects. */
  | 'bad-request'
  /** 5xx, timeouts, network failures, truncated bodies: retry with backoff. */
  | 'unavailable';

/** Why X could not be reached, when the network tells: `dns`, its name does not resolve. */
export type XFailureReason = 'dns';

/** The resolver's codes for a name that does not resolve, now (`EAI_AGAIN`) or at all. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

/** An X failure, classified; its message never contains the token. */
export class XApiError extends Error {
  constructor(
    readonly kind: XErrorKind,
    message: string,
    readonly endpoint: XEndpoint,
    readonly status?: number,
    readonly rateLimit?: XRateLimit,
    readonly reason?: XFailureReason,
  ) {
    super(message);
    this.name = 'XApiError';
  }
}

/** What the source needs from X; tests may replace it. */
export interface XClient {
  searchRecent(query: Record<string, string | number>): Promise<XAnswer<XTweetsPayload>>;
  userTimeline(userId: string, query: Record<string, string | number>): Promise<XAnswer<XTweetsPayload>>;
  userByUsername(username: string): Promise<XAnswer<{ data?: XUser; errors?: XInlineError[] }>>;
  /** The compliance re-check: ids only, with `withheld`, no expansions. */
  lookupTweets(ids: readonly string[]): Promise<XAnswer<XTweetsPayload>>;
  /** Frees kept-alive sockets. */
  close?(): void;
}

/** The host twitter-api-v2 hard-codes. */
const X_API_ORIGIN = 'https://api.x.com/';

/** Everything the wire contract needs from a post, its author, its media. */
export const TWEET_FIELDS = [
  'created_at',
  'entities',
  'attachments',
  'referenced_tweets',
  'lang',
  'possibly_sensitive',
  'note_tweet',
  'author_id',
  'conversation_id',
  'edit_history_tweet_ids',
  'withheld',
].join(',');
export const EXPANSIONS = [
  'author_id',
  'attachments.media_keys',
  'referenced_tweets.id',
  'referenced_tweets.id.author_id',
  // Media of reposted and quoted posts: without it a repost shows no photo.
  'referenced_tweets.id.attachments.media_keys',
].join(',');
export const USER_FIELDS = [
  'name',
  'username',
  'profile_image_url',
  'verified',
  'verified_type',
  'protected',
  'created_at',
].join(',');
export const MEDIA_FIELDS = ['url', 'preview_image_url', 'alt_text', 'type', 'width', 'height', 'variants'].join(',');

const POST_FIELDS = {
  'tweet.fields': TWEET_FIELDS,
  expansions: EXPANSIONS,
  'user.fields': USER_FIELDS,
  'media.fields': MEDIA_FIELDS,
};

/** The limit announced by `x-rate-limit-*` headers (the reset is in Unix seconds, so no clock is needed). */
function rateLimitOf(headers: IncomingHttpHeaders | undefined): XRateLimit | undefined {
  return headers ? parseRateLimit(headers, Date.now()) : undefined;
}

/** Rewrites twitter-api-v2's hard-coded `https://api.x.com/` to `baseUrl`. */
function baseUrlPlugin(baseUrl: string): ITwitterApiClientPlugin {
  const base = baseUrl.replace(/\/+$/, '') + '/';
  const rewrite = ({ params }: { params: { url: string } }) => {
    if (params.url.startsWith(X_API_ORIGIN)) params.url = base + params.url.slice(X_API_ORIGIN.length);
  };
  return { onBeforeRequestConfig: rewrite, onBeforeStreamRequestConfig: rewrite };
}

/** Turns any failure of a call into an `XApiError` (kind, status, rate limit); `redact` hides the token in its message. */
export function classifyError(err: unknown, endpoint: XEndpoint, redact: Redact = (s) => s): XApiError {
  const e = classify(err, endpoint);
  return new XApiError(e.kind, redact(e.message), e.endpoint, e.status, e.rateLimit, e.reason);
}

type NetworkError = Error & { code?: unknown; hostname?: unknown };

/**
 * The network error behind a request that failed. twitter-api-v2 (1.29) keeps it as `error` but
 * reads it back as `requestError`, which is then undefined: both are tried.
 */
function causeOf(err: ApiRequestError): NetworkError | undefined {
  const options = (err as unknown as { _options?: { error?: unknown } })._options;
  const cause: unknown = err.requestError ?? options?.error;
  return cause instanceof Error ? cause : undefined;
}

/** The message for a request whose host name did not resolve (naming the host), else undefined. */
function unresolvedName(err: ApiRequestError, cause: NetworkError | undefined): string | undefined {
  const code = cause?.code;
  if (typeof code !== 'string' || !DNS_CODES.has(code)) return undefined;
  const host =
    typeof cause?.hostname === 'string' ? cause.hostname : (err.request as { host?: string } | undefined)?.host;
  const name = host ? `the name ${host}` : 'its name';
  return `X could not be reached: ${name} does not resolve (DNS ${code}); check the server's DNS resolver and network`;
}

/** The kind of a failure and a message that may still hold what upstream echoed. */
function classify(err: unknown, endpoint: XEndpoint): XApiError {
  if (err instanceof XApiError) return err;
  if (err instanceof ApiResponseError) {
    const data = (err.data ?? {}) as Record<string, unknown>;
    const title = typeof data.title === 'string' ? data.title : '';
    const type = typeof data.type === 'string' ? data.type : '';
    const detail = typeof data.detail === 'string' ? data.detail : '';
    const rateLimit = rateLimitOf(err.headers);
    const what = [`HTTP ${err.code}`, title, detail].filter(Boolean).join(': ');
    if (err.code === 429) {
      if (title === 'UsageCapExceeded' || type.endsWith('/usage-capped')) {
        return new XApiError('usage-cap', `X usage cap reached (${detail || title})`, endpoint, 429, rateLimit);
      }
      return new XApiError('rate-limit', `X rate limit reached on ${endpoint}`, endpoint, 429, rateLimit);
    }
    if (err.code === 401 || err.code === 403) {
      const reason = typeof data.reason === 'string' ? ` (${data.reason})` : '';
      return new XApiError('auth', `${what}${reason}`, endpoint, err.code, rateLimit);
    }
    if (err.code === 400) {
      const errors = Array.isArray(data.errors)
        ? (data.errors as { message?: string }[])
            .map((e) => e.message)
            .filter(Boolean)
            .join('; ')
        : '';
      return new XApiError('bad-request', errors ? `${what} (${errors})` : what, endpoint, 400, rateLimit);
    }
    return new XApiError('unavailable', what, endpoint, err.code, rateLimit);
  }
  if (err instanceof ApiPartialResponseError) {
    return new XApiError('unavailable', 'X sent an incomplete or unreadable answer', endpoint);
  }
  if (err instanceof ApiRequestError) {
    const cause = causeOf(err);
    const dns = unresolvedName(err, cause);
    if (dns) return new XApiError('unavailable', dns, endpoint, undefined, undefined, 'dns');
    return new XApiError('unavailable', `X could not be reached: ${cause?.message ?? 'request failed'}`, endpoint);
  }
  if (err instanceof SyntaxError) return new XApiError('unavailable', 'X sent an unreadable answer', endpoint);
  const message = err instanceof Error ? err.message : String(err);
  return new XApiError('unavailable', `X call failed: ${message}`, endpoint);
}

export function createXClient(options: XClientOptions): XClient {
  const baseUrl = options.baseUrl ?? 'https://api.x.com';
  const timeout = options.requestTimeoutMs ?? 15_000;
  const settings: { plugins: ITwitterApiClientPlugin[]; httpAgent?: http.Agent } = {
    plugins: [baseUrlPlugin(baseUrl)],
  };
  // twitter-api-v2 always uses https.request; an http.Agent lets it speak plain HTTP to a local fake.
  if (baseUrl.startsWith('http://')) settings.httpAgent = new http.Agent({ keepAlive: true });
  const v2 = new TwitterApi(options.bearerToken, settings).readOnly.v2;
  const redact = redactor([options.bearerToken]);

  async function get<T>(
    endpoint: XEndpoint,
    path: string,
    query: Record<string, string | number>,
    params?: Record<string, string>,
  ): Promise<XAnswer<T>> {
    try {
      const response = await v2.get<T>(path, query, {
        fullResponse: true,
        timeout,
        enableRateLimitSave: false,
        ...(params ? { params } : {}),
      });
      const body = response.data;
      if (body === null || typeof body !== 'object')
        throw new XApiError('unavailable', 'X sent an answer that is not a JSON object', endpoint);
      const rateLimit = rateLimitOf(response.headers);
      return rateLimit ? { body, rateLimit } : { body };
    } catch (err) {
      throw classifyError(err, endpoint, redact);
    }
  }

  return {
    searchRecent: (query) => get('search', 'tweets/search/recent', { ...POST_FIELDS, ...query }),
    userTimeline: (userId, query) => get('timeline', 'users/:id/tweets', { ...POST_FIELDS, ...query }, { id: userId }),
    userByUsername: (username) =>
      get('user', 'users/by/username/:username', { 'user.fields': USER_FIELDS }, { username }),
    // The compliance re-check needs no expansion: asking for authors would bill a user read each.
    lookupTweets: (ids) => get('lookup', 'tweets', { ids: ids.join(','), 'tweet.fields': 'withheld' }),
    close: () => settings.httpAgent?.destroy(),
  };
}

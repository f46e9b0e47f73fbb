/** Mastodon failures, classified like the X client's: what kind, which call, which HTTP status, which limit. */
import type { Redact } from '../../redact.js';
import type { RateLimit } from '../../pacing/rate-limit.js';

/** The calls we make, named in errors. */
export type MastodonEndpoint = 'instance' | 'lookup' | 'account-statuses' | 'hashtag';

export type MastodonErrorKind =
  /** 429: no call before `rateLimit.resetAt`. */
  | 'rate-limit'
  /** 401 without a token: this instance serves this only to logged-in users; set a token for it. */
  | 'login-required'
  /** 401 with a token (wrong or revoked), or 403. */
  | 'auth'
  /** 404 or 410: no such account (or it is gone). */
  | 'not-found'
  /** 400 or 422: a request the instance refuses. */
  | 'bad-request'
  /** 5xx, timeouts, network failures, redirects, unreadable or oversized answers: retry with backoff. */
  | 'unavailable';

/** A Mastodon failure, classified; its message never contains the token. */
export class MastodonApiError extends Error {
  constructor(
    readonly kind: MastodonErrorKind,
    message: string,
    readonly endpoint: MastodonEndpoint,
    readonly status?: number,
    readonly rateLimit?: RateLimit,
  ) {
    super(message);
    this.name = 'MastodonApiError';
  }
}

const WHAT: Record<MastodonEndpoint, string> = {
  instance: 'its description',
  lookup: 'accounts',
  'account-statuses': 'account timelines',
  hashtag: 'hashtag timelines',
};

/** The `error` a Mastodon error body carries, shortened; nothing from a body that is not Mastodon's JSON (a proxy's HTML page). */
function upstreamMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    const message = typeof body?.error === 'string' ? body.error : body?.error_description;
    return typeof message === 'string' ? message.slice(0, 200) : '';
  } catch {
    return '';
  }
}

/** What `classifyAnswer` needs to know about an answer that is not a 200. */
export interface FailedAnswer {
  host: string;
  endpoint: MastodonEndpoint;
  status: number;
  /** The answer's body, as text. */
  body: string;
  rateLimit?: RateLimit;
  /** Whether the request carried an access token. */
  hasToken: boolean;
  /** Where the operator sets this instance's token, named when one is needed. */
  tokenSetting?: string;
  /** Hides the token in the message, whatever the instance echoed. */
  redact: Redact;
}

/** The error for an answer that is not a 200. */
export function classifyAnswer(answer: FailedAnswer): MastodonApiError {
  const { host, endpoint, status, rateLimit } = answer;
  const said = upstreamMessage(answer.body);
  const http = `HTTP ${status}${said ? `: ${said}` : ''}`;
  const fail = (kind: MastodonErrorKind, message: string) =>
    new MastodonApiError(kind, answer.redact(message), endpoint, status, rateLimit);
  if (status === 429) {
    const reset = rateLimit ? ` until ${new Date(rateLimit.resetAt).toISOString()}` : '';
    return fail('rate-limit', `${host} rate limit reached${reset}`);
  }
  if (status === 401 && !answer.hasToken) {
    const where = answer.tokenSetting ? ` (${answer.tokenSetting})` : '';
    return fail(
      'login-required',
      `${host} requires a login for ${WHAT[endpoint]}: set an access token for ${host}${where}`,
    );
  }
  if (status === 401) return fail('auth', `${host} refused the access token (${http})`);
  if (status === 403) return fail('auth', `${host} refused access to ${WHAT[endpoint]} (${http})`);
  if (status === 404 || status === 410) return fail('not-found', `${host}: not found (${http})`);
  if (status === 400 || status === 422) return fail('bad-request', `${host} refused the request (${http})`);
  if (status >= 300 && status < 400) {
    return fail('unavailable', `${host} redirected the request (${http}): give the instance's own address`);
  }
  return fail('unavailable', `${host} answered ${http}`);
}

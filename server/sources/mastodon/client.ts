/**
 * Mastodon's REST API on `fetch`, for one instance: its optional access token, timeouts, `Link`
 * paging, rate limits read from headers, and failures classified. Its errors never hold the token.
 */
import { readAtMost } from '../../read-at-most.js';
import { redactor, type Redact } from '../../redact.js';
import type { MastodonAccount, MastodonStatus } from './api-types.js';
import { parseRateLimit, type RateLimit } from '../../pacing/rate-limit.js';
import { linkTo, parseLinkHeader } from './headers.js';
import { readInstance, type MastodonInstanceInfo, type TimelineScope } from './instance.js';
import { compareStatusIds } from './normalize.js';
import { classifyAnswer, MastodonApiError, type MastodonEndpoint } from './errors.js';

export { MastodonApiError, type MastodonEndpoint, type MastodonErrorKind } from './errors.js';

export interface MastodonClientOptions {
  /** The instance's address, e.g. `https://mastodon.social` (a local fake in tests). */
  baseUrl: string;
  /** An access token of an account on this instance (scope `read:statuses`), for instances that ask for a login. */
  accessToken?: string;
  /** Where the operator sets this instance's token, named when one is needed (e.g. "MASTODON_TOKENS"). */
  tokenSetting?: string;
  /** Longest wait for one answer, body included, in ms (default 15 000). */
  requestTimeoutMs?: number;
  /** Statuses asked per page (default and Mastodon's maximum: 40). */
  pageLimit?: number;
  /** Largest answer read, in bytes (default 4 MiB): a page of 40 statuses is far smaller. */
  maxBodyBytes?: number;
  fetch?: typeof fetch;
  /** The clock, for a limit's reset given in seconds (default `Date.now`). */
  now?: () => number;
}

export interface MastodonAnswer<T> {
  body: T;
  rateLimit?: RateLimit;
}

/** One incremental read of a timeline. */
export interface TimelineRead {
  /** Read only statuses newer than this id: the `cursor` of the previous read. Absent: the newest page, then older ones. */
  minId?: string;
  /** Pages read at most, each one request (default 3). */
  maxPages?: number;
  /** Without `minId`: stop going back once a page reaches statuses created before this time (ms since the epoch). */
  notBefore?: number;
  /** Hashtags only: the part of the timeline to ask for (see `hashtagAccess`). */
  scope?: TimelineScope;
}

export interface TimelineResult {
  /** Newest first, each once. */
  statuses: MastodonStatus[];
  /** The newest status id read, to hand back as `minId`; the given `minId` when nothing is new. */
  cursor: string | undefined;
  /** True when the read stopped before the end (page cap, no requests left, a later page failed): read again soon. */
  more: boolean;
  /** Pages read, one request each (a failed request is not counted). */
  pages: number;
  /** The limit the last answer announced. */
  rateLimit?: RateLimit;
  /** A failure after the first page: what was read before it is kept. */
  interrupted?: MastodonApiError;
}

export interface MastodonClient {
  /** The instance's host, as in `mastodon:<host>:<id>` post ids. */
  readonly host: string;
  /** `GET /api/v2/instance`: domain, streaming address, who may read hashtag timelines. */
  instance(signal?: AbortSignal): Promise<MastodonAnswer<MastodonInstanceInfo>>;
  /** `GET /api/v1/accounts/lookup?acct=`: `ville` or `ville@instance` to an account (and its id). */
  lookupAccount(acct: string, signal?: AbortSignal): Promise<MastodonAnswer<MastodonAccount>>;
  /** `GET /api/v1/accounts/:id/statuses`, without replies to others, with reblogs. */
  accountStatuses(accountId: string, read: TimelineRead, signal?: AbortSignal): Promise<TimelineResult>;
  /** `GET /api/v1/timelines/tag/:tag` (the tag without "#"). */
  hashtagStatuses(tag: string, read: TimelineRead, signal?: AbortSignal): Promise<TimelineResult>;
}

/** An answer as `get` reads it: with its `Link` header, for paging. */
interface PageAnswer extends MastodonAnswer<unknown> {
  link: string | null;
}

/** The newest of some status ids. */
function newest(ids: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const id of ids) if (id && (best === undefined || compareStatusIds(id, best) > 0)) best = id;
  return best;
}

/** The status id a `prev` link reads from (its `min_id`, or `since_id`). */
function cursorOf(link: string | undefined): string | undefined {
  if (!link) return undefined;
  const params = new URL(link).searchParams;
  return params.get('min_id') ?? params.get('since_id') ?? undefined;
}

/** A link on the instance's own origin, or undefined: the token is never sent elsewhere. */
function sameOrigin(link: string | undefined, base: URL): URL | undefined {
  if (!link) return undefined;
  const url = new URL(link);
  return url.origin === base.origin ? url : undefined;
}

export function createMastodonClient(options: MastodonClientOptions): MastodonClient {
  const base = new URL(options.baseUrl);
  const host = base.host;
  const token = options.accessToken || undefined;
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const pageLimit = Math.min(40, Math.max(1, options.pageLimit ?? 40));
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const redact: Redact = redactor([token]);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'commune-feed' };
  if (token) headers.authorization = `Bearer ${token}`;

  async function get(endpoint: MastodonEndpoint, url: URL, signal?: AbortSignal): Promise<PageAnswer> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      // Redirects are not followed: the token must never travel to another address.
      response = await doFetch(url, { headers, redirect: 'manual', signal: both });
      const tooLarge = () => new RangeError(`answer larger than ${maxBodyBytes} bytes`);
      text = (await readAtMost(response, maxBodyBytes, tooLarge)).toString('utf8');
    } catch (err) {
      const why = timeout.aborted
        ? `no answer within ${timeoutMs} ms`
        : signal?.aborted
          ? 'the request was cancelled'
          : err instanceof Error
            ? (err.cause instanceof Error ? err.cause.message : '') || err.message
            : String(err);
      throw new MastodonApiError('unavailable', redact(`${host} could not be reached: ${why}`), endpoint);
    }
    const rateLimit = parseRateLimit(response.headers, now());
    if (response.status !== 200) {
      const { status } = response;
      const hasToken = Boolean(token);
      throw classifyAnswer({
        host,
        endpoint,
        status,
        body: text,
        rateLimit,
        hasToken,
        tokenSetting: options.tokenSetting,
        redact,
      });
    }
    try {
      const body = JSON.parse(text) as unknown;
      return { body, link: response.headers.get('link'), ...(rateLimit ? { rateLimit } : {}) };
    } catch {
      throw new MastodonApiError('unavailable', `${host} sent an unreadable answer`, endpoint, 200, rateLimit);
    }
  }

  /** Pages through a timeline: up with `prev` links from `minId`, or down with `next` links from the newest. */
  async function readTimeline(
    endpoint: MastodonEndpoint,
    path: string,
    params: Record<string, string>,
    read: TimelineRead,
    signal?: AbortSignal,
  ): Promise<TimelineResult> {
    const first = new URL(path, base);
    for (const [key, value] of Object.entries({ ...params, limit: String(pageLimit) })) {
      first.searchParams.set(key, value);
    }
    if (read.minId !== undefined) first.searchParams.set('min_id', read.minId);
    const rel = read.minId !== undefined ? 'prev' : 'next';
    const maxPages = Math.max(1, read.maxPages ?? 3);
    const byId = new Map<string, MastodonStatus>();
    const result: TimelineResult = { statuses: [], cursor: read.minId, more: false, pages: 0 };
    let url: URL | undefined = first;
    while (url) {
      let answer: PageAnswer;
      try {
        answer = await get(endpoint, url, signal);
        if (!Array.isArray(answer.body)) {
          throw new MastodonApiError(
            'unavailable',
            `${host} sent something else than a list of statuses`,
            endpoint,
            200,
          );
        }
      } catch (err) {
        if (result.pages === 0 || !(err instanceof MastodonApiError)) throw err;
        result.interrupted = err;
        // A 429 tells the newest limit: no request left until its reset.
        if (err.rateLimit) result.rateLimit = err.rateLimit;
        result.more = true;
        break;
      }
      result.pages++;
      if (answer.rateLimit) result.rateLimit = answer.rateLimit;
      const page = (answer.body as MastodonStatus[]).filter((s) => typeof s?.id === 'string');
      if (page.length === 0) break;
      for (const status of page) byId.set(status.id, status);
      const links = parseLinkHeader(answer.link, url.href);
      if (rel === 'prev' || result.pages === 1) {
        result.cursor = newest([result.cursor, ...page.map((s) => s.id), cursorOf(linkTo(links, 'prev'))]);
      }
      const following = sameOrigin(linkTo(links, rel), base);
      const reachedStart = read.notBefore !== undefined && page.some((s) => Date.parse(s.created_at) < read.notBefore!);
      if (!following || reachedStart) break;
      if (result.pages >= maxPages || result.rateLimit?.remaining === 0) {
        result.more = true;
        break;
      }
      url = following;
    }
    result.statuses = [...byId.values()].sort((a, b) => compareStatusIds(b.id, a.id));
    return result;
  }

  return {
    host,
    async instance(signal) {
      const { body, rateLimit } = await get('instance', new URL('/api/v2/instance', base), signal);
      const info = readInstance(body, base.href);
      if (!info) throw new MastodonApiError('unavailable', `${host} sent no instance description`, 'instance', 200);
      return rateLimit ? { body: info, rateLimit } : { body: info };
    },
    async lookupAccount(acct, signal) {
      const url = new URL('/api/v1/accounts/lookup', base);
      url.searchParams.set('acct', acct.replace(/^@/, ''));
      const { body, rateLimit } = await get('lookup', url, signal);
      const account = body as MastodonAccount | null;
      if (typeof account?.id !== 'string' || typeof account.acct !== 'string') {
        throw new MastodonApiError('unavailable', `${host} sent no account for ${acct}`, 'lookup', 200);
      }
      return rateLimit ? { body: account, rateLimit } : { body: account };
    },
    accountStatuses: (accountId, read, signal) =>
      readTimeline(
        'account-statuses',
        `/api/v1/accounts/${encodeURIComponent(accountId)}/statuses`,
        { exclude_replies: 'true', exclude_reblogs: 'false' },
        read,
        signal,
      ),
    hashtagStatuses: (tag, read, signal) =>
      readTimeline(
        'hashtag',
        `/api/v1/timelines/tag/${encodeURIComponent(tag.replace(/^#/, ''))}`,
        read.scope === 'local' ? { local: 'true' } : read.scope === 'remote' ? { remote: 'true' } : {},
        read,
        signal,
      ),
  };
}

/**
 * What the fake Mastodon instance answers, as pure functions of its state: the instance
 * description, account lookup, account and hashtag timelines, with Mastodon's paging and `Link`
 * headers. The server around it (`fake-mastodon-server.ts`) adds HTTP, faults and rate limits.
 */
import type {
  MastodonAccount,
  MastodonStatus,
  MastodonTimelineAccess,
} from '../../server/sources/mastodon/api-types.js';
import { hashtagKey } from '../../server/sources/mastodon/content.js';
import { compareStatusIds } from '../../server/sources/mastodon/normalize.js';

export type FakeMastodonEndpoint = 'instance' | 'lookup' | 'account-statuses' | 'hashtag';

export const FAKE_MASTODON_ENDPOINTS: FakeMastodonEndpoint[] = ['instance', 'lookup', 'account-statuses', 'hashtag'];

export type FakeMastodonFault =
  /** The window's requests are spent: 429 until the reset (moved `resetInSeconds` ahead when given). */
  | { kind: 'rate-limit'; resetInSeconds?: number }
  /** A 5xx; `html`: the error page of a proxy in front of the instance. */
  | { kind: 'unavailable'; status?: number; html?: boolean }
  | { kind: 'delay'; ms: number }
  /** A 200 with a truncated JSON body. */
  | { kind: 'malformed' }
  /** A 200 with a JSON object where a list was due. */
  | { kind: 'not-a-list' }
  /** An error body that echoes the token, lower- and upper-cased (default status 401). */
  | { kind: 'echo-token'; status?: number }
  /** The `Link` header gains entries without `rel` (before and after the real ones). */
  | { kind: 'link-without-rel' }
  /** The `Link` header points to another origin. */
  | { kind: 'link-elsewhere' }
  | { kind: 'redirect'; location: string }
  /** A 200 with a body of `bytes` bytes. */
  | { kind: 'huge'; bytes: number };

export interface FakeMastodonState {
  token: string;
  /** The domain of the instance's own accounts. */
  domain: string;
  version: string;
  accounts: Map<string, MastodonAccount>;
  statuses: Map<string, MastodonStatus>;
  deleted: Set<string>;
  /** `timelines_access.hashtag_feeds`; null: the instance does not say (before 4.5). */
  hashtagFeeds: { local: MastodonTimelineAccess; remote: MastodonTimelineAccess } | null;
  faults: Map<FakeMastodonEndpoint, { fault: FakeMastodonFault; times: number }[]>;
  rateLimit: { limit: number; remaining: number; resetAt: number };
  windowMs: number;
}

/** One answer of the API. */
export interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const LOGIN_REQUIRED = { error: 'This API requires an authenticated user' };
const NOT_FOUND = { error: 'Record not found' };

function isLocal(account: MastodonAccount): boolean {
  return !account.acct.includes('@');
}

/** The router of the fake's API over `state`; `baseUrl` is where it listens (for `Link` and streaming URLs). */
export function fakeMastodonApi(state: FakeMastodonState, baseUrl: () => string) {
  /** Mastodon's paging of a list sorted newest first. */
  function page(all: MastodonStatus[], query: Record<string, string>, path: string, keep: string[]) {
    const size = Math.min(40, Math.max(1, Number(query.limit ?? 20) || 20));
    let list = all.sort((a, b) => compareStatusIds(b.id, a.id));
    if (query.max_id) list = list.filter((s) => compareStatusIds(s.id, query.max_id!) < 0);
    if (query.since_id) list = list.filter((s) => compareStatusIds(s.id, query.since_id!) > 0);
    let data: MastodonStatus[];
    if (query.min_id) {
      // The statuses just above `min_id`, still sent newest first.
      data = list
        .filter((s) => compareStatusIds(s.id, query.min_id!) > 0)
        .reverse()
        .slice(0, size)
        .reverse();
    } else data = list.slice(0, size);
    const headers: Record<string, string> = {};
    if (data.length > 0) {
      const link = (param: string, id: string) => {
        const url = new URL(path, baseUrl());
        for (const key of keep) if (query[key] !== undefined) url.searchParams.set(key, query[key]!);
        url.searchParams.set(param, id);
        return url.href;
      };
      // As Mastodon: `next` only after a full page, `prev` after any page that is not empty.
      const next = data.length === size ? `<${link('max_id', data[data.length - 1]!.id)}>; rel="next", ` : '';
      headers.link = `${next}<${link('min_id', data[0]!.id)}>; rel="prev"`;
    }
    return { status: 200, body: data, headers };
  }

  function visible(s: MastodonStatus): boolean {
    return !state.deleted.has(s.id) && !(s.reblog && state.deleted.has(s.reblog.id));
  }

  function hashtag(tag: string, query: Record<string, string>, authorized: boolean, path: string) {
    const feeds = state.hashtagFeeds ?? { local: 'public', remote: 'public' };
    const local = query.local === 'true';
    const remote = query.remote === 'true';
    const parts: MastodonTimelineAccess[] = local
      ? [feeds.local]
      : remote
        ? [feeds.remote]
        : [feeds.local, feeds.remote];
    if (!authorized && parts.includes('authenticated')) return { status: 401, body: LOGIN_REQUIRED };
    const key = hashtagKey(tag);
    const matching = [...state.statuses.values()].filter((s) => {
      if (!visible(s) || s.reblog || s.visibility !== 'public') return false;
      if (!(s.tags ?? []).some((t) => hashtagKey(t.name) === key)) return false;
      const own = isLocal(s.account);
      if ((local && !own) || (remote && own)) return false;
      return (own ? feeds.local : feeds.remote) !== 'disabled';
    });
    return page(matching, query, path, ['local', 'remote', 'limit', 'only_media']);
  }

  function accountStatuses(id: string, query: Record<string, string>, path: string) {
    if (!state.accounts.has(id)) return { status: 404, body: NOT_FOUND };
    const mine = [...state.statuses.values()].filter((s) => {
      if (s.account.id !== id || !visible(s)) return false;
      if (s.visibility !== 'public' && s.visibility !== 'unlisted') return false;
      if (query.exclude_replies === 'true' && s.in_reply_to_id && s.in_reply_to_account_id !== id) return false;
      return !(query.exclude_reblogs === 'true' && s.reblog);
    });
    return page(mine, query, path, ['limit', 'only_media', 'exclude_replies', 'exclude_reblogs']);
  }

  function route(
    pathname: string,
    query: Record<string, string>,
    authorized: boolean,
  ): { endpoint: FakeMastodonEndpoint | 'unknown'; answer: () => FakeAnswer } {
    let m: RegExpExecArray | null;
    if (pathname === '/api/v2/instance') {
      const body: Record<string, unknown> = {
        domain: state.domain,
        title: 'Ville Social',
        version: state.version,
        configuration: {
          urls: { streaming: baseUrl().replace(/^http/, 'ws') },
          ...(state.hashtagFeeds
            ? {
                timelines_access: {
                  live_feeds: { local: 'public', remote: 'authenticated' },
                  hashtag_feeds: state.hashtagFeeds,
                  trending_link_feeds: { local: 'public', remote: 'public' },
                },
              }
            : {}),
        },
      };
      return { endpoint: 'instance' as const, answer: () => ({ status: 200, body }) };
    }
    if (pathname === '/api/v1/accounts/lookup') {
      return {
        endpoint: 'lookup' as const,
        answer: () => {
          const acct = (query.acct ?? '').replace(/^@/, '').toLowerCase();
          const account = [...state.accounts.values()].find((a) => {
            const full = isLocal(a) ? `${a.acct}@${state.domain}` : a.acct;
            return a.acct.toLowerCase() === acct || full.toLowerCase() === acct;
          });
          return account ? { status: 200, body: account } : { status: 404, body: NOT_FOUND };
        },
      };
    }
    if ((m = /^\/api\/v1\/accounts\/([^/]+)\/statuses$/.exec(pathname))) {
      const id = decodeURIComponent(m[1]!);
      return { endpoint: 'account-statuses' as const, answer: () => accountStatuses(id, query, pathname) };
    }
    if ((m = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(pathname))) {
      const tag = decodeURIComponent(m[1]!);
      return { endpoint: 'hashtag' as const, answer: () => hashtag(tag, query, authorized, pathname) };
    }
    return { endpoint: 'unknown' as const, answer: () => ({ status: 404, body: { error: 'Not found' } }) };
  }

  return route;
}

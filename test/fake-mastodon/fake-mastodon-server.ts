/**
 * A fake Mastodon instance over real HTTP and WebSocket (node:http + ws on 127.0.0.1, port 0),
 * scriptable per test like the fake X: `GET /api/v2/instance` (with `timelines_access`),
 * `/api/v1/accounts/lookup`, `/api/v1/accounts/:id/statuses`, `/api/v1/timelines/tag/:tag`, with
 * Mastodon's paging (`min_id`, `max_id`, `since_id`, `Link` headers in its exact form, no `Link` on
 * an empty page), its rate-limit headers (reset in ISO 8601 with microseconds) and 429s, 401s for
 * restricted hashtag timelines, injectable faults, a log of every call, and the streaming API.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type {
  MastodonAccount,
  MastodonStatus,
  MastodonTimelineAccess,
} from '../../server/sources/mastodon/api-types.js';
import { hashtagKey } from '../../server/sources/mastodon/content.js';
import { compareStatusIds } from '../../server/sources/mastodon/normalize.js';
import { FakeStreaming, type FakeStreamingControl } from './fake-streaming.js';
import { FAKE_DOMAIN } from './statuses.js';

export type FakeMastodonEndpoint = 'instance' | 'lookup' | 'account-statuses' | 'hashtag';

export const FAKE_MASTODON_ENDPOINTS: FakeMastodonEndpoint[] = ['instance', 'lookup', 'account-statuses', 'hashtag'];

export type FakeMastodonFault =
  /** The window's requests are spent: 429 until the reset (moved `resetInSeconds` ahead when given). */
  | { kind: 'rate-limit'; resetInSeconds?: number }
  /** 401 as for a revoked token. */
  | { kind: 'unauthorized' }
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

export interface FakeMastodonCall {
  path: string;
  endpoint: FakeMastodonEndpoint | 'unknown';
  query: Record<string, string>;
  /** The Authorization header, if any. */
  authorization?: string;
  at: number;
  status: number;
}

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

export interface FakeMastodon {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** `127.0.0.1:<port>`, as in post ids. */
  host: string;
  state: FakeMastodonState;
  calls: FakeMastodonCall[];
  callsTo(endpoint: FakeMastodonEndpoint): FakeMastodonCall[];
  streaming: FakeStreamingControl;
  addAccount(account: MastodonAccount): MastodonAccount;
  /** Stores a status (and the statuses it reblogs or quotes), without streaming it. */
  addStatus(status: MastodonStatus): MastodonStatus;
  /** Stores a status and streams it as an `update`. */
  publish(status: MastodonStatus): MastodonStatus;
  /** Replaces a status by a new version (`edited_at` now) and streams it as a `status.update`. */
  edit(id: string, changes: Partial<MastodonStatus>): MastodonStatus;
  /** Deletes a status and streams its `delete`. */
  remove(id: string): void;
  fault(endpoint: FakeMastodonEndpoint | '*', fault: FakeMastodonFault, times?: number): void;
  close(): Promise<void>;
}

export interface FakeMastodonOptions {
  /** The token the fake accepts (default "masto-token"). */
  token?: string;
  /** The fake's clock in ms (default Date.now): rate-limit windows and edit times. */
  now?: () => number;
  /** Requests per window (default 300 per 5 minutes, Mastodon's default for an IP). */
  limit?: number;
  windowMs?: number;
  hashtagFeeds?: FakeMastodonState['hashtagFeeds'];
  /** Whether streaming needs a token (default true, as since Mastodon 4.2). */
  streamingRequiresToken?: boolean;
}

const UNAUTHORIZED = { error: 'The access token is invalid' };
const LOGIN_REQUIRED = { error: 'This API requires an authenticated user' };
const NOT_FOUND = { error: 'Record not found' };
const TOO_MANY = { error: 'Too many requests' };

/** Mastodon's ISO 8601 with microseconds (`Time#iso8601(6)`). */
function isoMicro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function isLocal(account: MastodonAccount): boolean {
  return !account.acct.includes('@');
}

export async function startFakeMastodon(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 5 * 60_000;
  const limit = options.limit ?? 300;
  const state: FakeMastodonState = {
    token: options.token ?? 'masto-token',
    domain: FAKE_DOMAIN,
    version: '4.5.2',
    accounts: new Map(),
    statuses: new Map(),
    deleted: new Set(),
    hashtagFeeds: options.hashtagFeeds === undefined ? { local: 'public', remote: 'public' } : options.hashtagFeeds,
    faults: new Map(),
    rateLimit: { limit, remaining: limit, resetAt: now() + windowMs },
    windowMs,
  };
  const calls: FakeMastodonCall[] = [];
  let baseUrl = '';
  const streaming = new FakeStreaming({
    token: () => state.token,
    requiresToken: options.streamingRequiresToken ?? true,
  });

  function takeFault(endpoint: FakeMastodonEndpoint): FakeMastodonFault | undefined {
    const queue = state.faults.get(endpoint);
    const head = queue?.[0];
    if (!head) return undefined;
    if (--head.times <= 0) queue.shift();
    return head.fault;
  }

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
        const url = new URL(path, baseUrl);
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

  function route(pathname: string, query: Record<string, string>, authorized: boolean) {
    let m: RegExpExecArray | null;
    if (pathname === '/api/v2/instance') {
      const body: Record<string, unknown> = {
        domain: state.domain,
        title: 'Ville Social',
        version: state.version,
        configuration: {
          urls: { streaming: baseUrl.replace(/^http/, 'ws') },
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

  function spend(): boolean {
    const rl = state.rateLimit;
    if (now() >= rl.resetAt) {
      rl.remaining = rl.limit;
      rl.resetAt = now() + state.windowMs;
    }
    if (rl.remaining <= 0) return false;
    rl.remaining--;
    return true;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const authorization = req.headers.authorization;
    const { endpoint, answer } = route(url.pathname, query, authorization === `Bearer ${state.token}`);
    const call: FakeMastodonCall = { path: url.pathname, endpoint, query, at: now(), status: 0 };
    if (authorization) call.authorization = authorization;
    calls.push(call);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}, raw?: string) => {
      call.status = status;
      const rl = state.rateLimit;
      res.writeHead(status, {
        'content-type': raw?.startsWith('<') ? 'text/html' : 'application/json; charset=utf-8',
        'x-ratelimit-limit': String(rl.limit),
        'x-ratelimit-remaining': String(rl.remaining),
        'x-ratelimit-reset': isoMicro(rl.resetAt),
        ...headers,
      });
      res.end(raw ?? JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { error: 'Method not allowed' });
    if (authorization !== undefined && authorization !== `Bearer ${state.token}`) return send(401, UNAUTHORIZED);
    const fault = endpoint === 'unknown' ? undefined : takeFault(endpoint);
    const proceed = () => {
      if (fault?.kind === 'rate-limit') {
        state.rateLimit.remaining = 0;
        if (fault.resetInSeconds !== undefined) state.rateLimit.resetAt = now() + fault.resetInSeconds * 1000;
      }
      if (!spend()) return send(429, TOO_MANY);
      switch (fault?.kind) {
        case 'unauthorized':
          return send(401, UNAUTHORIZED);
        case 'unavailable': {
          const status = fault.status ?? 503;
          if (fault.html)
            return send(status, undefined, {}, `<html><body><h1>${status} Bad Gateway</h1></body></html>`);
          return send(status, { error: 'Service unavailable' });
        }
        case 'malformed':
          return send(200, undefined, {}, '[{"id":"1","content":"<p>trunc');
        case 'not-a-list':
          return send(200, { error: 'Something went wrong' });
        case 'echo-token':
          return send(fault.status ?? 401, {
            error: `Bearer ${state.token.toLowerCase()} refused; TOKEN=${state.token.toUpperCase()}`,
          });
        case 'redirect':
          return send(302, { error: 'moved' }, { location: fault.location });
        case 'huge':
          return send(200, undefined, {}, `[${' '.repeat(Math.max(0, fault.bytes - 2))}]`);
        default:
          break;
      }
      const {
        status,
        body,
        headers = {},
      } = answer() as { status: number; body: unknown; headers?: Record<string, string> };
      if (headers.link && fault?.kind === 'link-without-rel') {
        headers.link = `<${baseUrl}/about>; title="about", ${headers.link}, <${baseUrl}/api/v1/custom_emojis>`;
      }
      if (headers.link && fault?.kind === 'link-elsewhere') {
        headers.link = headers.link.replaceAll(baseUrl, 'http://elsewhere.example');
      }
      return send(status, body, headers);
    };
    if (fault?.kind === 'delay') {
      const timer = setTimeout(proceed, fault.ms);
      res.on('close', () => clearTimeout(timer));
    } else proceed();
  });
  server.on('upgrade', (req, socket, head) => streaming.upgrade(req, socket as Socket, head));
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  const fake: FakeMastodon = {
    baseUrl,
    host: `127.0.0.1:${port}`,
    state,
    calls,
    callsTo: (endpoint) => calls.filter((c) => c.endpoint === endpoint),
    streaming: streaming.control,
    addAccount(account) {
      state.accounts.set(account.id, account);
      return account;
    },
    addStatus(status) {
      if (!state.accounts.has(status.account.id)) state.accounts.set(status.account.id, status.account);
      if (status.reblog) fake.addStatus(status.reblog);
      if (status.quote?.quoted_status) fake.addStatus(status.quote.quoted_status);
      state.statuses.set(status.id, status);
      return status;
    },
    publish(status) {
      fake.addStatus(status);
      streaming.publish('update', status);
      return status;
    },
    edit(id, changes) {
      const previous = state.statuses.get(id);
      if (!previous) throw new Error(`no status ${id}`);
      const edited = { ...previous, ...changes, edited_at: new Date(now()).toISOString() };
      state.statuses.set(id, edited);
      streaming.publish('status.update', edited);
      return edited;
    },
    remove(id) {
      state.deleted.add(id);
      streaming.publishDelete(id);
    },
    fault(endpoint, fault, times = 1) {
      for (const e of endpoint === '*' ? FAKE_MASTODON_ENDPOINTS : [endpoint]) {
        const queue = state.faults.get(e) ?? [];
        queue.push({ fault, times });
        state.faults.set(e, queue);
      }
    },
    close: async () => {
      await streaming.close();
      await new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
    },
  };
  return fake;
}

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
import type { MastodonAccount, MastodonStatus } from '../../server/sources/mastodon/api-types.js';
import {
  FAKE_MASTODON_ENDPOINTS,
  fakeMastodonApi,
  type FakeMastodonEndpoint,
  type FakeMastodonFault,
  type FakeMastodonState,
} from './fake-api.js';
import { FakeStreaming, type FakeStreamingControl } from './fake-streaming.js';
import { FAKE_DOMAIN } from './statuses.js';

export { FAKE_MASTODON_ENDPOINTS, type FakeMastodonEndpoint, type FakeMastodonFault, type FakeMastodonState };

export interface FakeMastodonCall {
  path: string;
  endpoint: FakeMastodonEndpoint | 'unknown';
  query: Record<string, string>;
  /** The Authorization header, if any. */
  authorization?: string;
  at: number;
  status: number;
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
const TOO_MANY = { error: 'Too many requests' };

/** Mastodon's ISO 8601 with microseconds (`Time#iso8601(6)`). */
function isoMicro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
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
  const route = fakeMastodonApi(state, () => baseUrl);
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
      const { status, body, headers = {} } = answer();
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

/**
 * A fake Bluesky over real HTTP and WebSocket (node:http and ws on 127.0.0.1, port 0), scriptable
 * per test: a public AppView (author feeds, posts by uri, handle resolution; search refused to
 * logged-out callers with 403 `AuthMissing`, as Bluesky does since 2025), a PDS (sessions with
 * expiring tokens, search for logged-in accounts), a Jetstream endpoint, `ratelimit-*` headers and
 * 429s, injectable faults, and a log of every call.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { BskyPostView, BskyProfile } from '../../server/sources/bluesky/lexicon.js';
import * as appview from './appview.js';
import type { Answer, AppViewState, FakeRepost } from './appview.js';
import { FakeJetstream } from './jetstream.js';
import * as pds from './pds.js';
import type { FakeAccount, PdsState } from './pds.js';

export type FakeEndpoint =
  'getAuthorFeed' | 'getPosts' | 'resolveHandle' | 'searchPosts' | 'createSession' | 'refreshSession';

export const FAKE_ENDPOINTS: FakeEndpoint[] = [
  'getAuthorFeed',
  'getPosts',
  'resolveHandle',
  'searchPosts',
  'createSession',
  'refreshSession',
];

export type FakeFault =
  | { kind: 'rate-limit'; resetInSeconds?: number }
  | { kind: 'unavailable'; status?: number }
  /** A 200 whose body is not JSON. */
  | { kind: 'garbage' }
  /** A 200 whose JSON is cut short. */
  | { kind: 'truncated' }
  | { kind: 'delay'; ms: number }
  /** The HTML error page a CDN in front of the API answers with. */
  | { kind: 'html'; status?: number }
  /** A gateway error that echoes the Authorization header and the last password it saw. */
  | { kind: 'echo-secrets'; status?: number };

export interface FakeCall {
  host: 'appview' | 'pds';
  method: string;
  endpoint: FakeEndpoint | 'unknown';
  query: URLSearchParams;
  authorization?: string;
  at: number;
  status: number;
}

export interface FakeBlueskyOptions {
  /** The fake's clock in ms (default Date.now): token expiry and rate-limit resets follow it. */
  now?: () => number;
  /** Requests per endpoint per 5-minute window (default 3000). */
  limit?: number;
}

export interface FakeBluesky {
  appViewUrl: string;
  pdsUrl: string;
  /** `ws://…/subscribe` */
  jetstreamUrl: string;
  jetstream: FakeJetstream;
  state: AppViewState & PdsState;
  calls: FakeCall[];
  callsTo(endpoint: FakeEndpoint): FakeCall[];
  addActor(actor: BskyProfile): BskyProfile;
  /** An account that can log in on the PDS with this app password. */
  addAccount(actor: BskyProfile, appPassword: string): FakeAccount;
  /** Adds a post to the AppView (its author too); `unindexedFor` calls of getPosts/search miss it first. */
  addPost(post: BskyPostView, options?: { unindexedFor?: number }): BskyPostView;
  /** Adds a post and announces it on Jetstream. */
  publish(post: BskyPostView, options?: { unindexedFor?: number }): BskyPostView;
  /** Deletes a post from the AppView and announces it on Jetstream. */
  deletePost(uri: string): void;
  addRepost(by: BskyProfile, post: BskyPostView, indexedAt: string): FakeRepost;
  /** Makes the next `times` calls to `endpoint` ('*' = all) misbehave. */
  fault(endpoint: FakeEndpoint | '*', fault: FakeFault, times?: number): void;
  expireTokens(options?: { refresh?: boolean }): void;
  close(): Promise<void>;
}

const WINDOW_S = 300;

const ROUTES: Record<string, FakeEndpoint> = {
  'app.bsky.feed.getAuthorFeed': 'getAuthorFeed',
  'app.bsky.feed.getPosts': 'getPosts',
  'com.atproto.identity.resolveHandle': 'resolveHandle',
  'app.bsky.feed.searchPosts': 'searchPosts',
  'com.atproto.server.createSession': 'createSession',
  'com.atproto.server.refreshSession': 'refreshSession',
};

const APPVIEW = {
  getAuthorFeed: appview.getAuthorFeed,
  getPosts: appview.getPosts,
  resolveHandle: appview.resolveHandle,
  searchPosts: appview.searchPosts,
};

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startFakeBluesky(options: FakeBlueskyOptions = {}): Promise<FakeBluesky> {
  const now = options.now ?? Date.now;
  const state: AppViewState & PdsState = {
    actors: new Map(),
    posts: new Map(),
    reposts: [],
    deleted: new Set(),
    unindexed: new Map(),
    looseSearch: false,
    accounts: [],
    tokens: new Map(),
    accessTtlMs: 2 * 3600_000,
    refreshTtlMs: 60 * 24 * 3600_000,
  };
  const calls: FakeCall[] = [];
  const faults = new Map<FakeEndpoint, { fault: FakeFault; times: number }[]>();
  const windows = new Map<string, { remaining: number; reset: number }>();
  const jetstream = new FakeJetstream(now);
  const limit = options.limit ?? 3000;
  let lastPassword = '';

  const takeFault = (endpoint: FakeEndpoint): FakeFault | undefined => {
    const queue = faults.get(endpoint);
    const head = queue?.[0];
    if (!head) return undefined;
    if (--head.times <= 0) queue!.shift();
    return head.fault;
  };

  /** The answer of a route, on the public AppView or on the PDS (logged in). */
  const answer = (
    host: FakeCall['host'],
    endpoint: FakeEndpoint,
    query: URLSearchParams,
    auth: string | undefined,
    body: unknown,
  ): Answer => {
    const t = now();
    if (endpoint === 'createSession') return pds.createSession(state, body, t);
    if (endpoint === 'refreshSession') return pds.refreshSession(state, auth, t);
    if (host === 'pds') {
      const checked = pds.checkToken(state, auth, 'access', t);
      if ('status' in checked) return checked;
    } else if (endpoint === 'searchPosts') {
      return { status: 403, body: { error: 'AuthMissing', message: 'Authentication Required' } };
    }
    return APPVIEW[endpoint](state, query);
  };

  const handler = (host: FakeCall['host']) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    const endpoint = ROUTES[nsid] ?? 'unknown';
    const authorization = req.headers.authorization;
    const call: FakeCall = {
      host,
      method: req.method ?? 'GET',
      endpoint,
      query: url.searchParams,
      at: now(),
      status: 0,
      ...(authorization ? { authorization } : {}),
    };
    calls.push(call);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rl = windows.get(endpoint) ?? { remaining: limit, reset: Math.floor(now() / 1000) + WINDOW_S };
      windows.set(endpoint, rl);
      const send = (status: number, body: unknown, raw?: string, type = 'application/json; charset=utf-8') => {
        call.status = status;
        res.writeHead(status, {
          'content-type': type,
          'ratelimit-limit': String(limit),
          'ratelimit-remaining': String(Math.max(0, rl.remaining)),
          'ratelimit-reset': String(rl.reset),
          'ratelimit-policy': `${limit};w=${WINDOW_S}`,
        });
        res.end(raw ?? JSON.stringify(body));
      };
      if (endpoint === 'unknown')
        return send(404, { error: 'MethodNotImplemented', message: 'Method Not Implemented' });
      const post = endpoint === 'createSession' || endpoint === 'refreshSession';
      if ((req.method === 'POST') !== post)
        return send(405, { error: 'InvalidRequest', message: 'Incorrect HTTP method' });
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        return send(400, { error: 'InvalidRequest', message: 'Unable to parse request body' });
      }
      if (endpoint === 'createSession') lastPassword = String((body as { password?: unknown })?.password ?? '');
      const fault = takeFault(endpoint);
      const proceed = () => {
        if (now() / 1000 >= rl.reset)
          Object.assign(rl, { remaining: limit, reset: Math.floor(now() / 1000) + WINDOW_S });
        if (fault?.kind === 'rate-limit') {
          rl.remaining = 0;
          if (fault.resetInSeconds !== undefined) rl.reset = Math.floor(now() / 1000) + fault.resetInSeconds;
        }
        if (rl.remaining <= 0) return send(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' });
        rl.remaining--;
        switch (fault?.kind) {
          case 'unavailable':
            return send(fault.status ?? 502, { error: 'UpstreamFailure', message: 'Upstream Failure' });
          case 'garbage':
            return send(200, undefined, '<html><body>Bonjour</body></html>', 'text/html');
          case 'truncated':
            return send(200, undefined, '{"feed":[{"post":{"uri":"at://');
          case 'html':
            return send(
              fault.status ?? 403,
              undefined,
              '<!DOCTYPE html><title>403 Forbidden</title><h1>Forbidden</h1>',
              'text/html',
            );
          case 'echo-secrets':
            return send(fault.status ?? 401, {
              error: 'UpstreamFailure',
              message: `bad header "${authorization ?? ''}" for password ${lastPassword.toUpperCase()} (${lastPassword})`,
            });
        }
        const { status, body: out } = answer(host, endpoint, url.searchParams, authorization, body);
        return send(status, out);
      };
      if (fault?.kind === 'delay') {
        const timer = setTimeout(proceed, fault.ms);
        res.on('close', () => clearTimeout(timer));
      } else proceed();
    });
  };

  const appServer = http.createServer(handler('appview'));
  const pdsServer = http.createServer(handler('pds'));
  appServer.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/subscribe') jetstream.upgrade(req, socket, head);
    else socket.destroy();
  });
  const sockets = new Set<Socket>();
  for (const server of [appServer, pdsServer]) {
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  }
  const appHost = await listen(appServer);
  const pdsHost = await listen(pdsServer);

  const fake: FakeBluesky = {
    appViewUrl: `http://${appHost}`,
    pdsUrl: `http://${pdsHost}`,
    jetstreamUrl: `ws://${appHost}/subscribe`,
    jetstream,
    state,
    calls,
    callsTo: (endpoint) => calls.filter((c) => c.endpoint === endpoint),
    addActor(actor) {
      state.actors.set(actor.did, actor);
      return actor;
    },
    addAccount(actor, appPassword) {
      fake.addActor(actor);
      const account = { did: actor.did, handle: actor.handle, appPassword };
      state.accounts.push(account);
      return account;
    },
    addPost(post, { unindexedFor } = {}) {
      fake.addActor(post.author);
      state.posts.set(post.uri, post);
      if (unindexedFor) state.unindexed.set(post.uri, unindexedFor);
      return post;
    },
    publish(post, opts) {
      fake.addPost(post, opts);
      jetstream.create(post.author.did, post.uri.split('/').pop()!, post.record);
      return post;
    },
    deletePost(uri) {
      state.deleted.add(uri);
      const [, , did, , rkey] = uri.split('/');
      jetstream.delete(did!, rkey!);
    },
    addRepost(by, post, indexedAt) {
      fake.addActor(by);
      const repost = {
        uri: `at://${by.did}/app.bsky.feed.repost/3r${state.reposts.length.toString(36).padStart(11, '0')}`,
        by,
        subject: post.uri,
        indexedAt,
      };
      state.reposts.push(repost);
      return repost;
    },
    fault(endpoint, fault, times = 1) {
      for (const e of endpoint === '*' ? FAKE_ENDPOINTS : [endpoint]) {
        const queue = faults.get(e) ?? [];
        queue.push({ fault, times });
        faults.set(e, queue);
      }
    },
    expireTokens: ({ refresh = false } = {}) => pds.expireTokens(state, now(), refresh),
    close: async () => {
      jetstream.close();
      for (const s of sockets) s.destroy();
      await Promise.all([appServer, pdsServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
  return fake;
}

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
import { faultReply, FaultQueue, RateWindows, type FakeFault, type Reply } from './faults.js';
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

export type { FakeFault };

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

function xrpcError(status: number, error: string, message: string): Reply {
  return { status, body: { error, message } };
}

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
  const faults = new FaultQueue<FakeEndpoint>();
  const windows = new RateWindows<FakeEndpoint>(options.limit ?? 3000, WINDOW_S, now);
  const jetstream = new FakeJetstream(now);
  let lastPassword = '';

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
      const send = (reply: Reply) => {
        call.status = reply.status;
        const type = reply.type ?? 'application/json; charset=utf-8';
        const limits = endpoint === 'unknown' ? {} : windows.headers(endpoint);
        res.writeHead(reply.status, { 'content-type': type, ...limits });
        res.end(reply.raw ?? JSON.stringify(reply.body));
      };
      if (endpoint === 'unknown') return send(xrpcError(404, 'MethodNotImplemented', 'Method Not Implemented'));
      const post = endpoint === 'createSession' || endpoint === 'refreshSession';
      if ((req.method === 'POST') !== post) return send(xrpcError(405, 'InvalidRequest', 'Incorrect HTTP method'));
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        return send(xrpcError(400, 'InvalidRequest', 'Unable to parse request body'));
      }
      if (endpoint === 'createSession') lastPassword = String((body as { password?: unknown })?.password ?? '');
      const fault = faults.take(endpoint);
      const proceed = () => {
        if (!windows.take(endpoint, fault)) return send(xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded'));
        const echo = { password: lastPassword, ...(authorization ? { authorization } : {}) };
        send(faultReply(fault, echo) ?? answer(host, endpoint, url.searchParams, authorization, body));
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
    fault: (endpoint, fault, times = 1) => faults.add(endpoint === '*' ? FAKE_ENDPOINTS : [endpoint], fault, times),
    expireTokens: ({ refresh = false } = {}) => pds.expireTokens(state, now(), refresh),
    close: async () => {
      jetstream.close();
      for (const s of sockets) s.destroy();
      await Promise.all([appServer, pdsServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
  return fake;
}

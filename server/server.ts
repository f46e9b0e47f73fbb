/**
 * Wires everything once: store → engines → delivery → HTTP. `main.ts` calls it
 * with the real config; tests call it with their own clock, sources and ports.
 */
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import type { Config, FeedConfig } from './config.js';
import { repeat, systemClock, type Clock } from './clock.js';
import { createLogger, type Logger } from './log.js';
import { redactor } from './redact.js';
import { Delivery } from './delivery/delivery.js';
import { SseHub } from './delivery/sse-hub.js';
import { FeedEngine } from './engine/feed-engine.js';
import { CORS_HEADERS, SECURITY_HEADERS, SNAPSHOT_CACHE_CONTROL } from './http/headers.js';
import { snapshotListener } from './http/snapshot-route.js';
import { createApp } from './http/app.js';
import { createHttpServer, DEFAULT_TIMEOUTS, type HttpLimits } from './http/node-server.js';
import { createSource } from './sources/index.js';
import type { Source, SourceContext } from './sources/source.js';
import { Store } from './store/store.js';
import { MediaProxy } from './media/media-proxy.js';
import { createAdminAuth, type AdminAuth } from './auth/admin-auth.js';
import { requestAddressGroup } from './http/client-address.js';
import type { NodeBindings } from './http/api.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerDeps {
  clock?: Clock;
  log?: Logger;
  /** Replaces the source of a feed (tests). */
  sourceFor?: (feed: FeedConfig, context: SourceContext) => Source | undefined;
  /** Start polling at once (default true). */
  startEngines?: boolean;
  widgetFile?: string;
  demoDir?: string;
  adminToken?: string;
  /** SSE hub tuning (tests, benchmarks). */
  hub?: ConstructorParameters<typeof SseHub>[0];
  /** Where the image proxy fetches a host's images (tests). */
  mediaUpstream?: (host: string) => string;
  /** Milliseconds between two retention sweeps (default one hour). */
  pruneEveryMs?: number;
  /** Shorter request timeouts (tests). */
  http?: Partial<Omit<HttpLimits, 'maxConnections'>>;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  store: Store;
  delivery: Delivery;
  engines: Map<string, FeedEngine>;
  app: ReturnType<typeof createApp>;
  auth: AdminAuth;
  close(): Promise<void>;
}

/** Builds the app without listening (for `app.request()` tests). */
export function createServices(config: Config, deps: ServerDeps = {}) {
  const clock = deps.clock ?? systemClock;
  // The X token never reaches a log line, whatever echoes it.
  const log = (deps.log ?? createLogger()).redacting(redactor([config.x.bearerToken]));
  const store = new Store({ location: config.dataDir, log: log.child({ part: 'store' }) });
  const hub = new SseHub({
    maxViewers: config.maxViewers,
    maxViewersPerAddress: config.maxViewersPerAddress,
    headers: { ...CORS_HEADERS, ...SECURITY_HEADERS },
    ...deps.hub,
  });
  const delivery = new Delivery(hub, config.snapshotSize, {
    ...CORS_HEADERS,
    ...SECURITY_HEADERS,
    'cache-control': SNAPSHOT_CACHE_CONTROL,
  });
  const engines = new Map<string, FeedEngine>();

  for (const feed of config.feeds) {
    const context: SourceContext = {
      feed,
      state: store.sourceState(`${feed.id}:${feed.source}`),
      sharedState: store.sourceState(feed.source),
      clock,
      log: log.child({ feed: feed.id, source: feed.source }),
      displayedIds: () => store.recentIds(feed.id, config.snapshotSize),
    };
    const source = deps.sourceFor?.(feed, context) ?? createSource(feed, context, config);
    const engine = new FeedEngine({
      feed,
      source,
      store,
      clock,
      log,
      onChanges: (changes) => delivery.apply(feed.id, changes),
      onStatus: (status) => delivery.setStatus(feed.id, status),
    });
    engines.set(feed.id, engine);
    // Stored posts are served at once, before the first poll of any source.
    const record = store.feed(feed.id);
    delivery.addFeed(
      { id: feed.id, title: feed.title, hashtags: feed.hashtags, accounts: feed.accounts },
      store.recentPosts(feed.id, config.snapshotSize),
      record.revision,
      engine.status(),
    );
  }

  const media = new MediaProxy({
    dir: path.join(config.dataDir, 'media'),
    log: log.child({ part: 'media' }),
    upstream: deps.mediaUpstream,
    clock,
    isShown: (url) => delivery.showsImage(url),
  });
  const adminToken = deps.adminToken ?? process.env.ADMIN_TOKEN;
  const auth = createAdminAuth({
    db: store.db,
    clock,
    log: log.child({ part: 'admin' }),
    adminToken,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    // Login throttling counts attempts per address as the live-stream cap does.
    clientAddress: (c) =>
      requestAddressGroup(
        (c.env as NodeBindings | undefined)?.incoming,
        config.trustProxy > 0 ? c.req.header('x-forwarded-for') : undefined,
        config.trustProxy,
      ),
  });
  const app = createApp({
    delivery,
    log,
    auth,
    health: (view) => [...engines.values()].map((e) => e.health(view)),
    storeHealth: () => store.health(),
    resume: (feedId) => {
      const engine = engines.get(feedId);
      engine?.resume();
      return Boolean(engine);
    },
    adminToken,
    media,
    widgetFile: deps.widgetFile ?? path.join(ROOT, 'dist', 'commune-feed.js'),
    demoDir: deps.demoDir ?? path.join(ROOT, 'demo'),
    trustProxy: config.trustProxy,
  });

  const prune = () => {
    const now = clock.now();
    const cutoff = now - config.retentionDays * 86_400_000;
    const changes = store.prune([...engines.keys()], cutoff, now);
    for (const [feedId, feedChanges] of changes) {
      delivery.apply(feedId, feedChanges);
      log.info('store.pruned', { feed: feedId, posts: feedChanges.length });
    }
    void media.prune(cutoff).then(
      (images) => images > 0 && log.info('media.pruned', { images }),
      (err: Error) => log.warn('media.prune_failed', { error: err.message }),
    );
  };

  return { clock, log, store, hub, delivery, engines, app, media, auth, prune };
}

export async function startServer(config: Config, deps: ServerDeps = {}): Promise<RunningServer> {
  const services = createServices(config, deps);
  const { store, delivery, engines, app, log, prune, clock, auth } = services;
  services.prune();
  const pruning = repeat(clock, deps.pruneEveryMs ?? 3_600_000, prune);

  // Snapshot requests, the bulk of the traffic, are answered before Hono; the rest goes through it.
  const limits: HttpLimits = { ...DEFAULT_TIMEOUTS, ...deps.http, maxConnections: config.maxConnections };
  const listener = snapshotListener(delivery, getRequestListener(app.fetch) as RequestListener);
  const server = createHttpServer(listener, { limits, log, clock });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    // Nothing was served: give the data folder back before reporting.
    pruning.stop();
    delivery.hub.close();
    store.close();
    throw err;
  }

  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  if (deps.startEngines ?? true) for (const engine of engines.values()) engine.start();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      pruning.stop();
      await Promise.all([...engines.values()].map((e) => e.stop()));
      delivery.hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      store.close();
      log.info('server.stopped');
    })());

  return { url, port, server, store, delivery, engines, app, auth, close };
}

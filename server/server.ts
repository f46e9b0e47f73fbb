/**
 * Wires everything once: store → engines → delivery → HTTP. `main.ts` calls it
 * with the real config; tests call it with their own clock, sources and ports.
 */
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { unreadableRequest } from './http/errors.js';
import type { Config, FeedConfig } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { createLogger, type Logger } from './log.js';
import { redactor } from './redact.js';
import { Delivery } from './delivery/delivery.js';
import { SseHub } from './delivery/sse-hub.js';
import { FeedEngine } from './engine/feed-engine.js';
import { FeedRuntime } from './engine/feed-runtime.js';
import { FeedRegistry } from './feeds/registry.js';
import type { Network } from './feeds/settings.js';
import { ModerationService } from './moderation/service.js';
import { feedOriginsOf } from './http/headers.js';
import { snapshotListener } from './http/snapshot-route.js';
import { createApp } from './http/app.js';
import { createHttpServer, DEFAULT_TIMEOUTS, type HttpLimits } from './http/node-server.js';
import { createSource, networkPolicy } from './sources/index.js';
import type { Source, SourceContext } from './sources/source.js';
import { Store } from './store/store.js';
import { scheduleRetention } from './store/retention-schedule.js';
import { MediaProxy } from './media/media-proxy.js';
import { followImageHosts } from './media/image-hosts.js';
import { ArchivePages } from './archive/archive-pages.js';
import { pruneFeeds } from './archive/retention.js';
import { createAdminAuth, type AdminAuth } from './auth/admin-auth.js';
import { requestAddressGroup } from './http/client-address.js';
import type { NodeBindings } from './http/api.js';
import { PACKAGE_ROOT as ROOT } from './package-root.js';
import { addressLimits, type AddressLimits } from './http/rate-limit.js';
import { ClusterNode, forwardedIncoming } from './cluster/node.js';
import { probesListener } from './http/probes.js';

/** Milliseconds a stop waits for requests under way (a snapshot, an image) before it cuts them. */
export const STOP_GRACE_MS = 3_000;

export interface ServerDeps {
  clock?: Clock;
  log?: Logger;
  /** Replaces the source of one network of a feed (tests). */
  sourceFor?: (feed: FeedConfig, context: SourceContext, network: Network) => Source | undefined;
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
  /** Per-address limits (tests, benchmarks); default from MAX_VIEWERS_PER_ADDRESS. */
  limits?: AddressLimits;
  /** Shorter request timeouts (tests). */
  http?: Partial<Omit<HttpLimits, 'maxConnections'>>;
  /** Redis mode: this instance in the cluster (made by `startServer` from `config.redis`). */
  cluster?: ClusterNode;
  /**
   * Redis mode: the instance must start again from Redis (see `ClusterNode`); `main.ts` exits for
   * its supervisor to restart it. By default the server closes.
   */
  onClusterFatal?: (reason: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  store: Store;
  delivery: Delivery;
  engines: Map<string, FeedEngine>;
  /** The feeds at run time: created, edited, paused and archived by organisers. */
  registry: FeedRegistry;
  /** Runs every feed of the registry (one engine each). */
  runtime: FeedRuntime;
  /** The organisers' actions: queue, decisions, audit log, announcements, alerts. */
  moderation: ModerationService;
  /** The archived feeds' pages. */
  archives: ArchivePages;
  /** Redis mode: this instance in the cluster. */
  cluster: ClusterNode | undefined;
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
  const cluster = deps.cluster;
  // Redis mode: the file becomes the cluster's copy before anything reads it.
  cluster?.attachStore(store);
  const hub = new SseHub({
    maxViewers: config.maxViewers,
    maxViewersPerAddress: config.maxViewersPerAddress,
    ...deps.hub,
  });
  const publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : undefined;
  const fragment = { timeZone: config.timeZone, publicOrigin };
  const delivery = cluster
    ? cluster.delivery(hub, config.snapshotSize, fragment)
    : new Delivery(hub, config.snapshotSize, undefined, fragment);

  // Feeds live in the store, seeded from the config file; organisers change them at run time.
  const registry = new FeedRegistry({
    store,
    clock,
    log,
    // Mastodon and Bluesky are read without a token (one is asked for only where an instance needs it).
    networks: config.x.bearerToken ? ['demo', 'x', 'mastodon', 'bluesky'] : ['demo', 'mastodon', 'bluesky'],
    onAudit: (feedId, entry) => delivery.admin.audit(feedId, entry),
  });
  // In Redis mode the leader applies the file when it takes over; the others get the feeds from it.
  if (!cluster) registry.seed(config.feeds);
  const runtime = new FeedRuntime({
    store,
    clock,
    log,
    delivery,
    snapshotSize: config.snapshotSize,
    archiveSize: config.archiveSize,
    sourceFor: (context) => {
      const source = deps.sourceFor?.(context.feed, context, context.source.network) ?? createSource(context, config);
      return cluster ? cluster.guard(source) : source;
    },
    policyFor: (entry, feed) => networkPolicy(entry, feed, config),
  });
  // Stored posts are served at once, before the first poll of any source.
  for (const record of registry.list()) runtime.open(record.settings);
  // A reload (Redis mode) is opened or rebuilt by the cluster itself.
  registry.listen((record, previous, cause) => {
    if (cause === 'write') runtime.apply(record, previous);
  });
  const engines = runtime.engines;
  const moderation = new ModerationService({
    store,
    registry,
    delivery,
    clock,
    log: log.child({ part: 'moderation' }),
  });
  moderation.start();

  // The archive pages, rendered once per change of their feed.
  const archives = new ArchivePages({
    store,
    registry,
    clock,
    archiveSize: config.archiveSize,
    timeZone: config.timeZone,
    publicOrigin,
  });
  delivery.watch((feedId) => archives.invalidate(feedId));
  registry.listen((record) => archives.feedChanged(record));

  // Images of the posts on display: the walls' and the archives'; never those of held or hidden posts.
  const isShown = (url: string) => delivery.showsImage(url) || archives.showsImage(url);
  const media = new MediaProxy({
    dir: path.join(config.dataDir, 'media'),
    log: log.child({ part: 'media' }),
    upstream: deps.mediaUpstream,
    clock,
    isShown,
    isImageHost: followImageHosts(registry),
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
    health: (view) => runtime.health(view),
    storeHealth: () => store.health(),
    registry,
    moderation,
    isStoredImage: (url) => store.posts.refersTo(url),
    resume: (feedId) => {
      const engine = engines.get(feedId);
      engine?.resume();
      return Boolean(engine);
    },
    adminToken,
    media,
    archives,
    widgetFile: deps.widgetFile ?? path.join(ROOT, 'dist', 'commune-feed.js'),
    demoDir: deps.demoDir ?? path.join(ROOT, 'demo'),
    trustProxy: config.trustProxy,
    limits: deps.limits ?? addressLimits(clock, config.maxViewersPerAddress),
  });

  const prune = () => {
    // In Redis mode the leader sweeps for everyone.
    if (cluster && !cluster.leading) return;
    const now = clock.now();
    const cutoff = now - config.retentionDays * 86_400_000;
    const feeds = registry.list().map((record) => record.settings);
    for (const [feedId, outcome] of pruneFeeds(store, feeds, config, now)) {
      delivery.apply(feedId, outcome.changes);
      delivery.admin.queue(feedId, outcome.queue);
      log.info('store.pruned', { feed: feedId, posts: outcome.queue.length });
    }
    // An archive's images stay as long as its posts.
    void media.prune(cutoff, isShown).then(
      (images) => images > 0 && log.info('media.pruned', { images }),
      (err: Error) => log.warn('media.prune_failed', { error: err.message }),
    );
  };

  return {
    clock,
    log,
    store,
    hub,
    delivery,
    engines,
    runtime,
    registry,
    moderation,
    app,
    media,
    auth,
    archives,
    prune,
    cluster,
  };
}

export async function startServer(config: Config, deps: ServerDeps = {}): Promise<RunningServer> {
  const baseLog = deps.log ?? createLogger();
  let cluster: ClusterNode | undefined;
  if (config.redis) {
    cluster = await ClusterNode.join({
      ...config.redis,
      log: baseLog.child({ part: 'cluster' }),
      onFatal: (reason) => (deps.onClusterFatal ?? (() => void running.close()))(reason),
    });
  }
  const services = createServices(config, { ...deps, log: baseLog, cluster });
  const { store, delivery, engines, runtime, registry, moderation, app, log, prune, clock, auth, archives } = services;
  if (cluster) {
    await cluster.run({
      store,
      registry,
      runtime,
      moderation,
      delivery: delivery as ReturnType<ClusterNode['delivery']>,
      seed: () => registry.seed(config.feeds),
      handle: async (request, peer) => app.fetch(request, { incoming: forwardedIncoming(peer) }),
    });
  }
  services.prune();
  const pruning = scheduleRetention(clock, deps.pruneEveryMs ?? 3_600_000, prune, log);

  // Snapshot requests, the bulk of the traffic, are answered before Hono; the rest goes through it.
  const limits: HttpLimits = { ...DEFAULT_TIMEOUTS, ...deps.http, maxConnections: config.maxConnections };
  const hono = getRequestListener(app.fetch, { errorHandler: unreadableRequest }) as RequestListener;
  const listener = probesListener(
    () => ({
      // Ready once every feed of the config file is served (in Redis mode, once caught up with the log).
      ready: (cluster?.ready ?? true) && config.feeds.every((f) => delivery.snapshot(f.id) !== undefined),
      ...cluster?.describe(),
    }),
    snapshotListener(delivery, feedOriginsOf(registry), cluster ? cluster.listener(hono) : hono),
  );
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
    moderation.stop();
    await cluster?.close();
    await delivery.close();
    store.close();
    throw err;
  }

  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  // In Redis mode the cluster starts the engines on the leader only.
  if ((deps.startEngines ?? true) && !cluster) runtime.start();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // No new connection: a load balancer sends newcomers to another instance.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      pruning.stop();
      moderation.stop();
      // Polls under way finish and store what they read; their events still reach the viewers.
      await runtime.stop();
      // The lease is handed over and the last changes committed (they still reach this instance's viewers).
      await cluster?.close();
      // Broadcasts under way are written, then each viewer is told when to reconnect.
      await delivery.close();
      // Requests under way get their answers; what is left after the grace period is cut.
      const grace = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
      server.closeIdleConnections();
      await closed;
      clearTimeout(grace);
      store.close();
      log.info('server.stopped');
    })());

  const running: RunningServer = {
    url,
    port,
    server,
    store,
    delivery,
    engines,
    registry,
    runtime,
    moderation,
    archives,
    cluster,
    app,
    auth,
    close,
  };
  return running;
}

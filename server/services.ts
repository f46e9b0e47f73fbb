/**
 * Wires everything once: store → engines → delivery → HTTP, without listening. `server.ts`
 * listens with it; `app.request()` tests call it with their own clock and sources.
 */
import path from 'node:path';
import type { Config, FeedConfig } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { createLogger, type Logger } from './log.js';
import { redactor } from './redact.js';
import { Delivery } from './delivery/delivery.js';
import { SseHub } from './delivery/sse-hub.js';
import { FeedRuntime } from './engine/feed-runtime.js';
import { FeedRegistry } from './feeds/registry.js';
import type { Network } from './feeds/settings.js';
import { ModerationService } from './moderation/service.js';
import { createApp } from './http/app.js';
import type { HttpLimits } from './http/node-server.js';
import { createSource, networkPolicy } from './sources/index.js';
import type { Source, SourceContext } from './sources/source.js';
import { Store } from './store/store.js';
import { MediaProxy } from './media/media-proxy.js';
import { followImageHosts } from './media/image-hosts.js';
import { ArchivePages } from './archive/archive-pages.js';
import { pruneFeeds } from './archive/retention.js';
import { createAdminAuth } from './auth/admin-auth.js';
import { requestAddressGroup } from './http/client-address.js';
import type { NodeBindings } from './http/api.js';
import { PACKAGE_ROOT as ROOT } from './package-root.js';
import { addressLimits, type AddressLimits } from './http/rate-limit.js';
import type { ClusterNode } from './cluster/node.js';

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

/** Builds the services and the app without listening (for `app.request()` tests). */
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

/**
 * The server's life: the services (`services.ts`) served on a port, in Redis mode once joined to
 * the cluster, and closed in order (no new connection, polls finished, viewers told, store last).
 */
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { unreadableRequest } from './http/errors.js';
import type { Config } from './config.js';
import { createLogger } from './log.js';
import type { Delivery } from './delivery/delivery.js';
import type { FeedEngine } from './engine/feed-engine.js';
import type { FeedRuntime } from './engine/feed-runtime.js';
import type { FeedRegistry } from './feeds/registry.js';
import type { ModerationService } from './moderation/service.js';
import { feedOriginsOf } from './http/headers.js';
import { snapshotListener } from './http/snapshot-route.js';
import type { createApp } from './http/app.js';
import { createHttpServer, DEFAULT_TIMEOUTS, type HttpLimits } from './http/node-server.js';
import type { Store } from './store/store.js';
import { scheduleRetention } from './store/retention-schedule.js';
import type { ArchivePages } from './archive/archive-pages.js';
import type { AdminAuth } from './auth/admin-auth.js';
import { ClusterNode, forwardedIncoming } from './cluster/node.js';
import { probesListener } from './http/probes.js';
import { createServices, type ServerDeps } from './services.js';

/** Milliseconds a stop waits for requests under way (a snapshot, an image) before it cuts them. */
export const STOP_GRACE_MS = 3_000;

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

/**
 * The health report: each feed's sources (state, last success, last error, next poll, reads),
 * live viewers and the store. Anyone reads the `public` view at `/api/health`; operators (with
 * ADMIN_TOKEN) and organisers (`/api/admin/health`) read the `operator` view, with what upstream
 * said. Built from the engines' reports: never from a source directly.
 */
import type { Delivery } from '../delivery/delivery.js';
import type { EngineHealth, HealthView } from '../engine/feed-engine.js';
import type { StoreHealth } from '../store/store.js';

export interface HealthOptions {
  delivery: Delivery;
  /** Health of each feed's engine, as the public or an operator may see it. */
  health(view: HealthView): EngineHealth[];
  /** Health of the store (rows it had to skip). */
  storeHealth(): StoreHealth;
  /** When the server started (ms). */
  startedAt: number;
}

/** One source of one feed, with its live viewers. */
export type FeedHealth = EngineHealth & { viewers: number };

export interface HealthReport {
  /** `degraded` when some source is stale. */
  status: 'ok' | 'degraded';
  view: HealthView;
  uptimeSeconds: number;
  viewers: number;
  /** Viewers dropped for not reading, since start. */
  droppedViewers: number;
  store: StoreHealth;
  feeds: FeedHealth[];
}

export function healthReport(options: HealthOptions, view: HealthView): HealthReport {
  const { delivery } = options;
  const feeds = options.health(view);
  return {
    status: feeds.every((f) => !f.stale) ? 'ok' : 'degraded',
    view,
    uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
    viewers: delivery.hub.viewerCount,
    droppedViewers: delivery.hub.droppedCount,
    store: options.storeHealth(),
    feeds: feeds.map((f) => ({ ...f, viewers: delivery.hub.viewersOf(f.feed) })),
  };
}

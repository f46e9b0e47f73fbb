/** The HTTP application: the feeds API, health, operator actions, the admin API, the widget bundle and the demo site. */
import { Hono, type Context } from 'hono';
import type { AdminAuth } from '../auth/admin-auth.js';
import type { Delivery } from '../delivery/delivery.js';
import type { EngineHealth, HealthView } from '../engine/feed-engine.js';
import type { FeedRegistry } from '../feeds/registry.js';
import type { Logger } from '../log.js';
import type { ModerationService } from '../moderation/service.js';
import { createApi, type NodeBindings } from './api.js';
import { createAssets } from './assets.js';
import { createMediaRoutes, PUBLIC_MEDIA } from './media.js';
import { addressOf, type AddressLimits } from './rate-limit.js';
import { createArchiveRoutes } from './archive.js';
import { createFragmentRoutes } from './fragment.js';
import type { ArchivePages } from '../archive/archive-pages.js';
import type { MediaProxy } from '../media/media-proxy.js';
import type { StoreHealth } from '../store/store.js';
import { isBusy } from '../store/open-database.js';
import { jsonError } from './errors.js';
import { createAdminApi } from './admin/admin-api.js';
import { healthReport, type HealthOptions } from './health.js';
import { refuseNonOperator } from './operator.js';
import { feedOriginsOf, retryAfterHeaders, securityHeaders, UNCACHED_HEADERS } from './headers.js';

/** The answer to a write the database cannot store now (another process holds it busy). */
export const BUSY_MESSAGE = 'the database is busy: nothing was stored, try again in a moment';
const BUSY_RETRY_AFTER_S = 1;

export interface AppOptions {
  delivery: Delivery;
  /** Health of each feed's engine, as the public or an operator may see it. */
  health(view: HealthView): EngineHealth[];
  /** Health of the store (rows it had to skip). */
  storeHealth(): StoreHealth;
  /** The feeds at run time (the admin API changes them). */
  registry: FeedRegistry;
  /** The organisers' actions (the admin API calls them). */
  moderation: ModerationService;
  /** Whether some stored post (held and hidden ones included) refers to this image URL: organisers may see it. */
  isStoredImage(proxiedUrl: string): boolean;
  /** Resumes a feed's paused source; false when the feed is unknown. */
  resume(feedId: string): boolean;
  /** Token operators send as `Authorization: Bearer …` for operator actions; unset disables them. */
  adminToken?: string;
  /** Organisers' accounts and sessions, for the admin API at `/api/admin`. */
  auth: AdminAuth;
  widgetFile: string;
  demoDir: string;
  /** Serves `/media/<host>/…` (X's images) from this server. */
  media: MediaProxy;
  /** The archived feeds' pages, `/archive/<feedId>`. */
  archives: ArchivePages;
  log: Logger;
  startedAt?: number;
  /** Reverse proxies in front of this server whose `X-Forwarded-For` is believed (0: none). */
  trustProxy?: number;
  /** Per-address limits on new live streams, new images and fragment renders (none when absent). */
  limits?: AddressLimits;
}

export function createApp(options: AppOptions) {
  const { delivery, log } = options;
  const health: HealthOptions = {
    delivery,
    health: options.health,
    storeHealth: options.storeHealth,
    startedAt: options.startedAt ?? Date.now(),
  };
  const app = new Hono<{ Bindings: NodeBindings }>();
  app.use(securityHeaders());

  app.route(
    '/api/admin',
    createAdminApi({
      ...health,
      auth: options.auth,
      registry: options.registry,
      moderation: options.moderation,
      media: options.media,
      isStoredImage: options.isStoredImage,
    }),
  );
  const feedOrigins = feedOriginsOf(options.registry);
  // Before the API: its `/feeds/:id` would take `<id>.html` for a feed id.
  app.route(
    '/',
    createFragmentRoutes(delivery, {
      feedOrigins,
      renderLimit: options.limits?.fragments,
      trustProxy: options.trustProxy,
    }),
  );
  app.route(
    '/api',
    createApi({ delivery, feedOrigins, trustProxy: options.trustProxy, streamLimit: options.limits?.streams }),
  );

  // Anyone sees states and times; what upstream said only goes to operators (and to the logs).
  app.get('/api/health', (c) => {
    let view: HealthView = 'public';
    if (c.req.header('authorization') !== undefined) {
      const refused = refuseNonOperator(c, options.adminToken);
      if (refused) return refused;
      view = 'operator';
    }
    return c.json(healthReport(health, view), 200, { ...UNCACHED_HEADERS });
  });

  app.post('/api/feeds/:id/resume', (c) => {
    const refused = refuseNonOperator(c, options.adminToken);
    if (refused) return refused;
    if (!options.resume(c.req.param('id'))) return jsonError(c, 404, `unknown feed "${c.req.param('id')}"`);
    log.info('feed.resumed', { feed: c.req.param('id') });
    return c.json({ resumed: c.req.param('id') });
  });

  const newImages = options.limits?.newImages;
  app.route(
    '/media',
    createMediaRoutes(options.media, {
      ...PUBLIC_MEDIA,
      ...(newImages ? { admit: (c: Context) => newImages.take(addressOf(c, options.trustProxy ?? 0)) } : {}),
    }),
  );
  app.route('/', createArchiveRoutes({ archives: options.archives, auth: options.auth }));
  app.route('/', createAssets({ widgetFile: options.widgetFile, demoDir: options.demoDir }));

  app.notFound((c) => jsonError(c, 404, `nothing at ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    // A client that went away while its body was read: nothing went wrong here, and nobody reads the answer.
    if (c.env?.incoming?.aborted || (err as NodeJS.ErrnoException).code === 'ECONNRESET' || err.message === 'aborted') {
      log.info('http.client_aborted', { method: c.req.method, path: c.req.path });
      return jsonError(c, 400, 'the request was cut off before its end');
    }
    // Another process holds the database past the short busy timeout: nothing was stored, say so.
    if (isBusy(err)) {
      log.warn('http.store_busy', { method: c.req.method, path: c.req.path, error: err.message });
      return jsonError(c, 503, BUSY_MESSAGE, retryAfterHeaders(BUSY_RETRY_AFTER_S));
    }
    log.error('http.error', { method: c.req.method, path: c.req.path, error: err.message });
    return jsonError(c, 500, 'internal error');
  });
  return app;
}

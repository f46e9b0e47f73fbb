/**
 * The admin API, mounted at `/api/admin` (every route is listed in docs/admin-api.md). Every
 * answer is `no-store` and `nosniff`; every state-changing request passes the Origin check; every
 * route but login and setup needs a session (or the operator's token), and answers 401 with
 * nothing else without one. Routes call the services (feeds, moderation) and delivery, never a
 * source; what the services refuse becomes 400 (naming the field), 404 or 409.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AdminAuth } from '../../auth/admin-auth.js';
import { requireSession, sameOrigin, type AdminEnv } from '../../auth/middleware.js';
import type { FeedRegistry } from '../../feeds/registry.js';
import type { MediaProxy } from '../../media/media-proxy.js';
import type { ModerationService } from '../../moderation/service.js';
import { jsonError } from '../errors.js';
import { adminApiHeaders } from '../headers.js';
import type { HealthOptions } from '../health.js';
import { createMediaRoutes } from '../media.js';
import { answerRefusal } from './admin-errors.js';
import { createFeedRoutes } from './feed-routes.js';
import { createHealthRoutes } from './health-routes.js';
import { createModerationRoutes } from './moderation-routes.js';
import { createNoticeRoutes } from './notice-routes.js';
import { createSessionRoutes, createSignInRoutes } from './sign-in-routes.js';
import { createStreamRoutes } from './stream-routes.js';
import { createUserRoutes } from './user-routes.js';

/** Largest request body, in bytes: admin bodies are small JSON documents. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** Where organisers read the images of stored posts, held ones included. */
export const ADMIN_MEDIA_PREFIX = '/api/admin/media/';

export interface AdminApiOptions extends HealthOptions {
  auth: AdminAuth;
  registry: FeedRegistry;
  moderation: ModerationService;
  /** The image cache the public `/media/` route uses too. */
  media: MediaProxy;
  /** Whether some stored post of any feed (held and hidden ones included) refers to this image URL. */
  isStoredImage(proxiedUrl: string): boolean;
}

export function createAdminApi(options: AdminApiOptions) {
  const { auth, delivery, moderation } = options;
  const admin = new Hono<AdminEnv>();
  admin.onError(answerRefusal);
  admin.use(
    '*',
    adminApiHeaders(),
    bodyLimit({
      maxSize: MAX_ADMIN_BODY_BYTES,
      onError: (c) => jsonError(c, 413, `body: must be at most ${MAX_ADMIN_BODY_BYTES} bytes`),
    }),
    sameOrigin(auth),
  );
  // Public: they answer before the session check below.
  admin.route('/', createSignInRoutes(auth));

  admin.use('*', requireSession(auth));
  admin.route('/', createSessionRoutes(auth));
  admin.route('/users', createUserRoutes(auth));
  admin.route('/feeds', createFeedRoutes({ registry: options.registry, moderation, delivery }));
  admin.route('/', createModerationRoutes(moderation));
  admin.route('/', createNoticeRoutes(moderation));
  admin.route('/', createStreamRoutes(delivery.admin, auth));
  admin.route('/', createHealthRoutes(options));
  admin.route(
    '/media',
    createMediaRoutes<AdminEnv>(options.media, {
      prefix: ADMIN_MEDIA_PREFIX,
      scope: { allows: options.isStoredImage, refusal: 'no stored post shows this image' },
      audience: 'organisers',
    }),
  );
  return admin;
}

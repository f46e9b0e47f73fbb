/**
 * The admin API, mounted at `/api/admin`. Every answer is `no-store`; every
 * state-changing request passes the Origin check; every route but login and
 * setup needs a session (or the operator's token). Further admin routes are
 * mounted here, after `requireSession`, and read `c.get('actor')`.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AdminAuth } from '../../auth/admin-auth.js';
import { adminHeaders, requireSession, sameOrigin, type AdminEnv } from '../../auth/middleware.js';
import { jsonError } from '../errors.js';
import { createSessionRoutes, createSignInRoutes } from './sign-in-routes.js';
import { createUserRoutes } from './user-routes.js';

/** Largest request body, in bytes: admin bodies are small JSON documents. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

export interface AdminApiOptions {
  auth: AdminAuth;
}

export function createAdminApi({ auth }: AdminApiOptions) {
  const admin = new Hono<AdminEnv>();
  admin.use(
    '*',
    adminHeaders(),
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
  return admin;
}

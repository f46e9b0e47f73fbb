/**
 * The organisers' live stream of a feed (`GET /feeds/:id/events`): queue changes, new audit
 * entries and the feed's status, as they happen. A hub of its own, behind the session: no public
 * route reaches it. Viewers are counted per client address group, as on the public stream.
 */
import { Hono } from 'hono';
import type { AdminAuth } from '../../auth/admin-auth.js';
import type { AdminEnv } from '../../auth/middleware.js';
import type { AdminStream } from '../../delivery/admin-stream.js';
import { serveEventStream } from '../event-stream.js';
import { ADMIN_STREAM_HEADERS } from '../headers.js';

export function createStreamRoutes(stream: AdminStream, auth: AdminAuth) {
  const routes = new Hono<AdminEnv>();
  routes.get('/feeds/:id/events', (c) =>
    serveEventStream(c, stream.hub, c.req.param('id'), auth.clientAddress(c), c.req.header('last-event-id'), {
      stream: ADMIN_STREAM_HEADERS,
    }),
  );
  return routes;
}

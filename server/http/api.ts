/** The feeds API: list, cached snapshot (ETag, gzip/br) and live events. Routes read delivery only, never a source. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono, type Context } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { FeedList } from '../contract.js';
import type { Delivery } from '../delivery/delivery.js';
import { requestAddressGroup } from './client-address.js';
import { jsonError } from './errors.js';
import {
  corsHeaders,
  eventStreamHeaders,
  FEED_LIST_HEADERS,
  feedOfApiPath,
  OPEN_CORS,
  preflightHeaders,
  retryAfterHeaders,
  type FeedOrigins,
  type HeaderSet,
} from './headers.js';
import { serveEventStream } from './event-stream.js';
import type { RateLimiter } from './rate-limit.js';
import { snapshotAnswer, writeSnapshot } from './snapshot-route.js';

export type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse };

export interface ApiOptions {
  delivery: Delivery;
  /** Each feed's `allowedOrigins` (undefined: every site may read it). */
  feedOrigins: FeedOrigins;
  /** Reverse proxies in front of this server whose `X-Forwarded-For` is believed (0: none). */
  trustProxy?: number;
  /** New live streams per address group (none when absent). */
  streamLimit?: RateLimiter;
}

export function createApi({ delivery, feedOrigins, trustProxy = 0, streamLimit }: ApiOptions) {
  const api = new Hono<{ Bindings: NodeBindings }>();
  /** The CORS grant of this request for this feed. */
  const cors = (c: Context, feedId: string): HeaderSet => corsHeaders(feedOrigins(feedId), c.req.header('origin'));

  // Preflight of cross-origin readers that send conditional or resume headers: the same grant as
  // the request it announces (a feed's own `allowedOrigins` on its routes, every site elsewhere).
  api.options('/feeds/*', (c) => {
    const feedId = feedOfApiPath(c.req.path);
    const allowed = feedId === undefined ? undefined : feedOrigins(feedId);
    return c.body(null, 204, { ...preflightHeaders(allowed, c.req.header('origin')) });
  });

  api.get('/feeds', (c) => {
    const body: FeedList = { feeds: delivery.feeds() };
    return c.json(body, 200, { ...FEED_LIST_HEADERS });
  });

  api.get('/feeds/:id', (c) => {
    const cache = delivery.snapshot(c.req.param('id'));
    if (!cache) return jsonError(c, 404, `unknown feed "${c.req.param('id')}"`, OPEN_CORS);
    // On Node, write the cached bytes and headers straight to the socket: no Response object per visitor.
    // Not for HEAD: Hono answers it with the headers of the Response the route returns.
    const res = c.env?.outgoing;
    if (res && c.env.incoming && c.req.method !== 'HEAD') {
      writeSnapshot(c.env.incoming, res, cache, feedOrigins);
      return RESPONSE_ALREADY_SENT;
    }
    const request = {
      acceptEncoding: c.req.header('accept-encoding'),
      ifNoneMatch: c.req.header('if-none-match'),
      origin: c.req.header('origin'),
    };
    const { body, notModified, headers } = snapshotAnswer(cache, request, feedOrigins);
    if (notModified) return c.body(null, 304, { ...headers });
    return c.body(new Uint8Array(body.bytes), 200, { ...headers });
  });

  api.get('/feeds/:id/events', (c) => {
    // Read only when a proxy is trusted, and through Hono's headers, which the route reads
    // anyway (Node's `incoming.headers` is built on first use and kept as long as the stream).
    const forwardedFor = trustProxy > 0 ? c.req.header('x-forwarded-for') : undefined;
    const address = requestAddressGroup(c.env?.incoming, forwardedFor, trustProxy);
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('since');
    const feedId = c.req.param('id');
    const grant = cors(c, feedId);
    const admitted = c.req.method === 'HEAD' || !streamLimit ? { ok: true as const } : streamLimit.take(address);
    if (!admitted.ok) {
      const message = 'too many new live streams from your network, try again shortly';
      return jsonError(c, 429, message, retryAfterHeaders(admitted.retryAfterS, grant));
    }
    return serveEventStream(c, delivery.hub, feedId, address, lastEventId, {
      stream: eventStreamHeaders(grant),
      error: grant,
    });
  });

  return api;
}

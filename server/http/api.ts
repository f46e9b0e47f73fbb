/** The feeds API: list, cached snapshot (ETag, gzip/br) and live events. Routes read delivery only, never a source. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { FeedList } from '../contract.js';
import type { Delivery } from '../delivery/delivery.js';
import { requestAddressGroup } from './client-address.js';
import { jsonError } from './errors.js';
import { CORS_HEADERS } from './headers.js';
import { serveEventStream } from './event-stream.js';
import type { RateLimiter } from './rate-limit.js';
import { snapshotAnswer, writeSnapshot } from './snapshot-route.js';

export type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse };

export interface ApiOptions {
  delivery: Delivery;
  /** Reverse proxies in front of this server whose `X-Forwarded-For` is believed (0: none). */
  trustProxy?: number;
  /** New live streams per address group (none when absent). */
  streamLimit?: RateLimiter;
}

export function createApi({ delivery, trustProxy = 0, streamLimit }: ApiOptions) {
  const api = new Hono<{ Bindings: NodeBindings }>();

  api.get('/feeds', (c) => {
    const body: FeedList = { feeds: delivery.feeds() };
    return c.json(body, 200, { ...CORS_HEADERS, 'cache-control': 'public, max-age=60' });
  });

  api.get('/feeds/:id', (c) => {
    const cache = delivery.snapshot(c.req.param('id'));
    if (!cache) return jsonError(c, 404, `unknown feed "${c.req.param('id')}"`, CORS_HEADERS);
    // On Node, write the cached bytes and headers straight to the socket: no Response object per visitor.
    // Not for HEAD: Hono answers it with the headers of the Response the route returns.
    const res = c.env?.outgoing;
    if (res && c.env.incoming && c.req.method !== 'HEAD') {
      writeSnapshot(c.env.incoming, res, cache);
      return RESPONSE_ALREADY_SENT;
    }
    const { body, notModified } = snapshotAnswer(cache, c.req.header('accept-encoding'), c.req.header('if-none-match'));
    if (notModified) return c.body(null, 304, body.notModifiedHeaders);
    return c.body(new Uint8Array(body.bytes), 200, body.headers);
  });

  api.get('/feeds/:id/events', (c) => {
    // Read only when a proxy is trusted, and through Hono's headers, which the route reads
    // anyway (Node's `incoming.headers` is built on first use and kept as long as the stream).
    const forwardedFor = trustProxy > 0 ? c.req.header('x-forwarded-for') : undefined;
    const address = requestAddressGroup(c.env?.incoming, forwardedFor, trustProxy);
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('since');
    const admitted = c.req.method === 'HEAD' || !streamLimit ? { ok: true as const } : streamLimit.take(address);
    if (!admitted.ok) {
      return jsonError(c, 429, 'too many new live streams from your network, try again shortly', {
        ...CORS_HEADERS,
        'retry-after': String(admitted.retryAfterS),
      });
    }
    return serveEventStream(c, delivery.hub, c.req.param('id'), address, lastEventId, CORS_HEADERS);
  });

  return api;
}

/** The feeds API: list, cached snapshot (ETag, gzip/br) and live events. Routes read delivery only, never a source. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { FeedList } from '../contract.js';
import type { Delivery } from '../delivery/delivery.js';
import { jsonError } from './errors.js';
import { snapshotAnswer, writeSnapshot } from './snapshot-route.js';

export type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse };

export interface ApiOptions {
  delivery: Delivery;
}

/** `Cache-Control` of snapshots: short freshness, and let a CDN serve stale copies while it revalidates or when we fail. */
export const SNAPSHOT_CACHE_CONTROL = 'public, max-age=2, stale-while-revalidate=30, stale-if-error=86400';

/** Headers every cross-origin reader needs: the town's site lives on another origin. */
export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag',
} as const;

export function createApi({ delivery }: ApiOptions) {
  const api = new Hono<{ Bindings: NodeBindings }>();

  api.get('/feeds', (c) => {
    const body: FeedList = { feeds: delivery.feeds() };
    return c.json(body, 200, { ...CORS_HEADERS, 'cache-control': 'public, max-age=60' });
  });

  api.get('/feeds/:id', (c) => {
    const cache = delivery.snapshot(c.req.param('id'));
    if (!cache) return jsonError(c, 404, `unknown feed "${c.req.param('id')}"`, CORS_HEADERS);
    // On Node, write the cached bytes and headers straight to the socket: no Response object per visitor.
    const res = c.env?.outgoing;
    if (res && c.env.incoming) {
      writeSnapshot(c.env.incoming, res, cache);
      return RESPONSE_ALREADY_SENT;
    }
    const { body, notModified } = snapshotAnswer(cache, c.req.header('accept-encoding'), c.req.header('if-none-match'));
    if (notModified) return c.body(null, 304, body.notModifiedHeaders);
    return c.body(new Uint8Array(body.bytes), 200, body.headers);
  });

  api.get('/feeds/:id/events', (c) => {
    const feedId = c.req.param('id');
    if (!delivery.snapshot(feedId)) return jsonError(c, 404, `unknown feed "${feedId}"`, CORS_HEADERS);
    const res = c.env?.outgoing;
    if (!res) return jsonError(c, 501, 'live events need the Node server');
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('since');
    const result = delivery.hub.subscribe(feedId, res, lastEventId);
    if (!result.ok) {
      const retry = result.retryAfterSeconds ?? 10;
      return jsonError(
        c,
        result.status,
        result.status === 503 ? 'too many viewers on this server, try again shortly' : `unknown feed "${feedId}"`,
        {
          ...CORS_HEADERS,
          'retry-after': String(retry),
        },
      );
    }
    return RESPONSE_ALREADY_SENT;
  });

  return api;
}

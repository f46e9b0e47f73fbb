/**
 * Serving a live stream from a hub: the visitors' feed events and the organisers' queue events
 * answer alike. The hub takes over the Node response (one encoded frame per event for every
 * viewer); HEAD gets the answer a GET would get now, without becoming a viewer; a viewer turned
 * away (process full, or its address group holds its share) gets 503 with `Retry-After`.
 */
import type { Context } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { SubscribeResult } from '../delivery/sse-hub.js';
import type { NodeBindings } from './api.js';
import { jsonError } from './errors.js';
import { retryAfterHeaders, type HeaderSet } from './headers.js';

/** What a route needs of a hub (the public `SseHub`, or the organisers' one). */
export interface StreamHub {
  admit(feedId: string, address: string): SubscribeResult;
  subscribe(
    feedId: string,
    res: NonNullable<NodeBindings['outgoing']>,
    lastEventId: string | undefined,
    address: string,
    headers: HeaderSet,
  ): SubscribeResult;
}

/** The headers of a stream's answers, from `headers.ts`: the stream itself, and its errors (CORS for visitors). */
export interface StreamAnswerHeaders {
  stream: HeaderSet;
  error?: HeaderSet;
}

/** What a viewer turned away reads. */
const REFUSED = {
  full: 'too many viewers on this server, try again shortly',
  address: 'too many viewers from your network, try again shortly',
} as const;

/**
 * Answers a stream request for `feedId` from the client address group `address`; `lastEventId`
 * is where a reconnecting viewer resumes.
 */
export function serveEventStream<E extends { Bindings: NodeBindings }>(
  c: Context<E>,
  hub: StreamHub,
  feedId: string,
  address: string,
  lastEventId: string | undefined,
  headers: StreamAnswerHeaders,
): Response {
  const res = c.env?.outgoing;
  const head = c.req.method === 'HEAD';
  const errorHeaders = headers.error;
  const result =
    res && !head ? hub.subscribe(feedId, res, lastEventId, address, headers.stream) : hub.admit(feedId, address);
  if (!result.ok) {
    if (result.status === 404) return jsonError(c, 404, `unknown feed "${feedId}"`, errorHeaders);
    return jsonError(c, 503, REFUSED[result.reason], retryAfterHeaders(result.retryAfterSeconds, errorHeaders));
  }
  if (head) return c.body(null, 200, { ...headers.stream });
  if (!res) return jsonError(c, 501, 'live events need the Node server', errorHeaders);
  return RESPONSE_ALREADY_SENT;
}

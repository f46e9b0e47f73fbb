/**
 * The hottest path of the server: answering a feed's snapshot from the cache.
 * A plain `node:http` listener in front of Hono serves `GET`/`HEAD
 * /api/feeds/<id>` with the cached bytes and headers, and hands every other
 * request to Hono; the Hono route answers the same way for `app.request()`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Delivery } from '../delivery/delivery.js';
import { etagMatches } from '../delivery/etag.js';
import { negotiateEncoding, type EncodedBody, type SnapshotCache } from '../delivery/snapshot-cache.js';
import { corsHeaders, feedBodyHeaders, type FeedOrigins, type HeaderSet } from './headers.js';

const PREFIX = '/api/feeds/';

/** What a snapshot request gets: the encoded body, whether the client holds it, and the headers. */
export interface SnapshotAnswer {
  body: EncodedBody;
  notModified: boolean;
  headers: HeaderSet;
}

/** Picks the encoded body, tells whether the client already holds it, and gives the answer's headers. */
export function snapshotAnswer(
  cache: SnapshotCache,
  request: { acceptEncoding?: string; ifNoneMatch?: string; origin?: string },
  feedOrigins: FeedOrigins,
): SnapshotAnswer {
  const body = cache.body(negotiateEncoding(request.acceptEncoding));
  const notModified = etagMatches(request.ifNoneMatch, body.etag);
  const cors = corsHeaders(feedOrigins(cache.feed.id), request.origin);
  return { body, notModified, headers: feedBodyHeaders('snapshot', body, cors, notModified) };
}

/** Writes the snapshot answer straight to a Node response. */
export function writeSnapshot(
  req: IncomingMessage,
  res: ServerResponse,
  cache: SnapshotCache,
  feedOrigins: FeedOrigins,
): void {
  const { headers } = req;
  const answer = snapshotAnswer(
    cache,
    { acceptEncoding: headers['accept-encoding'], ifNoneMatch: headers['if-none-match'], origin: headers.origin },
    feedOrigins,
  );
  res.writeHead(answer.notModified ? 304 : 200, answer.headers);
  res.end(answer.notModified || req.method === 'HEAD' ? undefined : answer.body.bytes);
}

/** The feed id of a plain snapshot request (no query, one path segment), else undefined. */
function snapshotFeedId(req: IncomingMessage): string | undefined {
  const url = req.url;
  if (!url || !url.startsWith(PREFIX) || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
  const id = url.slice(PREFIX.length);
  return id.length > 0 && /^[a-z0-9-]+$/.test(id) ? id : undefined;
}

/** Serves known feeds' snapshots itself; everything else goes to `next` (Hono). */
export function snapshotListener(delivery: Delivery, feedOrigins: FeedOrigins, next: RequestListener): RequestListener {
  return (req, res) => {
    const id = snapshotFeedId(req);
    const cache = id === undefined ? undefined : delivery.snapshot(id);
    if (cache) writeSnapshot(req, res, cache, feedOrigins);
    else next(req, res);
  };
}

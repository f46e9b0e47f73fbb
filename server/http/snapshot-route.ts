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

const PREFIX = '/api/feeds/';

/** Picks the encoded body and tells whether the client already holds it. */
export function snapshotAnswer(
  cache: SnapshotCache,
  acceptEncoding: string | undefined,
  ifNoneMatch: string | undefined,
): { body: EncodedBody; notModified: boolean } {
  const body = cache.body(negotiateEncoding(acceptEncoding));
  return { body, notModified: etagMatches(ifNoneMatch, body.etag) };
}

/** Writes the snapshot answer straight to a Node response. */
export function writeSnapshot(req: IncomingMessage, res: ServerResponse, cache: SnapshotCache): void {
  const { body, notModified } = snapshotAnswer(cache, req.headers['accept-encoding'], req.headers['if-none-match']);
  if (notModified) {
    res.writeHead(304, body.notModifiedHeaders);
    res.end();
  } else {
    res.writeHead(200, body.headers);
    res.end(req.method === 'HEAD' ? undefined : body.bytes);
  }
}

/** The feed id of a plain snapshot request (no query, one path segment), else undefined. */
function snapshotFeedId(req: IncomingMessage): string | undefined {
  const url = req.url;
  if (!url || !url.startsWith(PREFIX) || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
  const id = url.slice(PREFIX.length);
  return id.length > 0 && /^[a-z0-9-]+$/.test(id) ? id : undefined;
}

/** Serves known feeds' snapshots itself; everything else goes to `next` (Hono). */
export function snapshotListener(delivery: Delivery, next: RequestListener): RequestListener {
  return (req, res) => {
    const id = snapshotFeedId(req);
    const cache = id === undefined ? undefined : delivery.snapshot(id);
    if (cache) writeSnapshot(req, res, cache);
    else next(req, res);
  };
}

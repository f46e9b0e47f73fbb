/**
 * `<prefix><host>/…`: images of allowed hosts served from this server's cache, so that visitors
 * never reach X. Mounted twice on one cache: `/media/` for visitors (the images of the posts on
 * display, cached for good) and `/api/admin/media/` for organisers behind their session (the
 * images of every stored post, held ones included, never cached).
 */
import { Hono, type Context, type Env } from 'hono';
import type { Admission } from './rate-limit.js';
import { etagMatches } from '../delivery/etag.js';
import { MediaError, type ImageScope, type MediaProxy } from '../media/media-proxy.js';
import { MEDIA_PREFIX } from '../media/proxied-url.js';
import { jsonError } from './errors.js';
import { mediaHeaders, retryAfterHeaders, type MediaAudience } from './headers.js';

export interface MediaRouteOptions {
  /** The path the routes are mounted at, up to the host (`/media/`). */
  prefix: string;
  /** Which images this audience may see; default: the posts on display. */
  scope?: ImageScope;
  /** Who reads these images (their caching and cross-origin rules follow). */
  audience: MediaAudience;
  /** Asked before an image not in memory is loaded or fetched for this request (per-address limit). */
  admit?: (c: Context) => Admission;
}

/** Visitors' images: any page may show them, and every cache may keep them. */
export const PUBLIC_MEDIA: MediaRouteOptions = { prefix: MEDIA_PREFIX, audience: 'visitors' };

export function createMediaRoutes<E extends Env>(proxy: MediaProxy, options: MediaRouteOptions = PUBLIC_MEDIA) {
  const app = new Hono<E>();
  app.get('/:host/*', async (c) => {
    const url = new URL(c.req.url);
    const rest = url.pathname.startsWith(options.prefix) ? url.pathname.slice(options.prefix.length) : '';
    const slash = rest.indexOf('/');
    if (slash <= 0) return jsonError(c, 404, 'no such image');
    const host = rest.slice(0, slash);
    let image;
    try {
      image = await proxy.get(
        host,
        rest.slice(slash) + url.search,
        options.scope,
        options.admit && (() => options.admit!(c)),
      );
    } catch (err) {
      if (err instanceof MediaError) {
        const retry = err.retryAfterS === undefined ? undefined : retryAfterHeaders(err.retryAfterS);
        return jsonError(c, err.status, err.message, retry);
      }
      throw err;
    }
    const notModified = etagMatches(c.req.header('if-none-match'), image.etag);
    const headers = { ...mediaHeaders(options.audience, image, notModified) };
    return notModified ? c.body(null, 304, headers) : c.body(new Uint8Array(image.bytes), 200, headers);
  });
  return app;
}

/** `/media/<host>/…`: images of allowed hosts served from this server's cache, so that visitors never reach X. */
import { Hono } from 'hono';
import { etagMatches } from '../delivery/etag.js';
import { MediaError, type MediaProxy } from '../media/media-proxy.js';
import { MEDIA_PREFIX } from '../media/proxied-url.js';
import { jsonError } from './errors.js';

export function createMediaRoutes(proxy: MediaProxy) {
  const app = new Hono();
  app.get('/:host/*', async (c) => {
    const url = new URL(c.req.url);
    const rest = url.pathname.slice(MEDIA_PREFIX.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) return jsonError(c, 404, 'no such image');
    const host = rest.slice(0, slash);
    let image;
    try {
      image = await proxy.get(host, rest.slice(slash) + url.search);
    } catch (err) {
      if (err instanceof MediaError) {
        const retry = err.retryAfterS === undefined ? undefined : { 'retry-after': String(err.retryAfterS) };
        return jsonError(c, err.status, err.message, retry);
      }
      throw err;
    }
    const headers: Record<string, string> = {
      etag: image.etag,
      'cache-control': 'public, max-age=604800, immutable',
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
      'content-security-policy': "default-src 'none'",
    };
    if (etagMatches(c.req.header('if-none-match'), image.etag)) return c.body(null, 304, headers);
    headers['content-type'] = image.type;
    return c.body(new Uint8Array(image.bytes), 200, headers);
  });
  return app;
}

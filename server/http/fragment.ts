/**
 * `GET /api/feeds/:id.html`: a feed's posts as an HTML fragment for a CMS to include inside the
 * `<commune-feed>` tag (`?lang=en`, `?limit=` like the widget's attributes), from delivery's cache
 * (rendered once per change, strong ETag, 304, gzip or brotli, HEAD); and its stylesheet, the
 * widget's own, named after its content and cached for good.
 */
import { Hono } from 'hono';
import type { Delivery } from '../delivery/delivery.js';
import { EncodedForms } from '../delivery/snapshot-cache.js';
import { FRAGMENT_CSS } from '../html/fragment-styles.js';
import { pageLocale } from '../html/words.js';
import { answerCached } from './cached-answer.js';
import { jsonError } from './errors.js';
import { CORS_HEADERS } from './headers.js';

/** Posts in a fragment by default: the widget's default `limit`. */
export const FRAGMENT_DEFAULT_LIMIT = 50;

export function createFragmentRoutes(delivery: Delivery) {
  const app = new Hono();
  const stylesheet = new EncodedForms(Buffer.from(FRAGMENT_CSS.text), 'text/css; charset=utf-8', {
    ...CORS_HEADERS,
    'cache-control': 'public, max-age=31536000, immutable',
    'cross-origin-resource-policy': 'cross-origin',
    'x-content-type-options': 'nosniff',
  });
  app.get(FRAGMENT_CSS.path, (c) => answerCached(c, stylesheet));

  app.get('/api/feeds/:file{[a-z0-9-]+\\.html}', (c) => {
    const feedId = c.req.param('file').slice(0, -'.html'.length);
    const limitParam = c.req.query('limit');
    const limit = limitParam === undefined ? FRAGMENT_DEFAULT_LIMIT : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1)
      return jsonError(c, 400, `limit must be a whole number of posts from 1, got "${limitParam}"`, CORS_HEADERS);
    const forms = delivery.fragment(feedId, {
      locale: pageLocale(c.req.query('lang')),
      limit,
      requestOrigin: new URL(c.req.url).origin,
    });
    if (!forms) return jsonError(c, 404, `unknown feed "${feedId}"`, CORS_HEADERS);
    return answerCached(c, forms);
  });
  return app;
}

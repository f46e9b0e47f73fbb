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
import { corsHeaders, feedBodyHeaders, stylesheetHeaders, type FeedOrigins } from './headers.js';

/** Posts in a fragment by default: the widget's default `limit`. */
export const FRAGMENT_DEFAULT_LIMIT = 50;

/** `feedOrigins`: each feed's `allowedOrigins`, which its fragment follows like its snapshot. */
export function createFragmentRoutes(delivery: Delivery, feedOrigins: FeedOrigins) {
  const app = new Hono();
  const stylesheet = new EncodedForms(Buffer.from(FRAGMENT_CSS.text));
  app.get(FRAGMENT_CSS.path, (c) =>
    answerCached(c, stylesheet, (body, notModified) => stylesheetHeaders('fragment', body, notModified)),
  );

  app.get('/api/feeds/:file{[a-z0-9-]+\\.html}', (c) => {
    const feedId = c.req.param('file').slice(0, -'.html'.length);
    const cors = corsHeaders(feedOrigins(feedId), c.req.header('origin'));
    const limitParam = c.req.query('limit');
    const limit = limitParam === undefined ? FRAGMENT_DEFAULT_LIMIT : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1)
      return jsonError(c, 400, `limit must be a whole number of posts from 1, got "${limitParam}"`, cors);
    const forms = delivery.fragment(feedId, {
      locale: pageLocale(c.req.query('lang')),
      limit,
      requestOrigin: new URL(c.req.url).origin,
    });
    if (!forms) return jsonError(c, 404, `unknown feed "${feedId}"`, cors);
    return answerCached(c, forms, (body, notModified) => feedBodyHeaders('fragment', body, cors, notModified));
  });
  return app;
}

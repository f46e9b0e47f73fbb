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
import { corsHeaders, feedBodyHeaders, retryAfterHeaders, stylesheetHeaders, type FeedOrigins } from './headers.js';
import { addressOf, type RateLimiter } from './rate-limit.js';
import type { NodeBindings } from './api.js';

/** Posts in a fragment by default: the widget's default `limit`. */
export const FRAGMENT_DEFAULT_LIMIT = 50;

export interface FragmentRouteOptions {
  /** Each feed's `allowedOrigins`, which its fragment follows like its snapshot. */
  feedOrigins: FeedOrigins;
  /** Renders per address group: a fragment already rendered for this change is free (none when absent). */
  renderLimit?: RateLimiter | undefined;
  trustProxy?: number | undefined;
}

export function createFragmentRoutes(delivery: Delivery, options: FragmentRouteOptions) {
  const { feedOrigins, renderLimit } = options;
  const app = new Hono<{ Bindings: NodeBindings }>();
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
    const request = { locale: pageLocale(c.req.query('lang')), limit, requestOrigin: new URL(c.req.url).origin };
    // Only a render costs something: a client asking for ever new shapes (limits, languages, Host
    // names) is limited, a CMS fetching the same fragment on every page view never is.
    if (renderLimit && delivery.snapshot(feedId) && !delivery.fragmentReady(feedId, request)) {
      const admitted = renderLimit.take(addressOf(c, options.trustProxy ?? 0));
      if (!admitted.ok)
        return jsonError(
          c,
          429,
          'too many different fragments asked for from your network, try again shortly',
          retryAfterHeaders(admitted.retryAfterS, cors),
        );
    }
    const forms = delivery.fragment(feedId, request);
    if (!forms) return jsonError(c, 404, `unknown feed "${feedId}"`, cors);
    return answerCached(c, forms, (body, notModified) => feedBodyHeaders('fragment', body, cors, notModified));
  });
  return app;
}

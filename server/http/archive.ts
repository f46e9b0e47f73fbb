/**
 * `/archive/<feedId>`: the "Retour sur l'événement" page of an archived feed, in French (or
 * `?lang=en`), from the cache of `ArchivePages` (rendered once per change, strong ETag, gzip or
 * brotli), and its stylesheet. A feed that is not archived answers 404 JSON, like an unknown one,
 * except to an organiser with a session, who gets a preview that is never cached.
 */
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AdminAuth } from '../auth/admin-auth.js';
import { SESSION_COOKIE } from '../auth/sessions.js';
import type { ArchivePages } from '../archive/archive-pages.js';
import { ARCHIVE_CSS, ARCHIVE_CSS_PATH } from '../archive/archive-styles.js';
import { EncodedForms } from '../delivery/snapshot-cache.js';
import { answerCached } from './cached-answer.js';
import { pageLocale } from '../html/words.js';
import { jsonError } from './errors.js';
import { archivePageHeaders, stylesheetHeaders } from './headers.js';

export interface ArchiveRoutesOptions {
  archives: ArchivePages;
  /** Organisers' sessions, for the preview of a feed not archived yet. */
  auth: AdminAuth;
}

export function createArchiveRoutes({ archives, auth }: ArchiveRoutesOptions) {
  const app = new Hono();
  const stylesheet = new EncodedForms(Buffer.from(ARCHIVE_CSS));
  app.get(ARCHIVE_CSS_PATH, (c) =>
    answerCached(c, stylesheet, (body, notModified) => stylesheetHeaders('archive', body, notModified)),
  );

  const page = (c: Context) => {
    const feedId = c.req.param('feedId')!;
    const locale = pageLocale(c.req.query('lang'));
    const preview = !archives.isArchived(feedId) && auth.sessions.resolve(getCookie(c, SESSION_COOKIE)) !== undefined;
    const forms = archives.page(feedId, locale, preview);
    // The same answer for an unknown feed and a live one: nothing says which feeds exist.
    if (!forms) return jsonError(c, 404, `no archive for feed "${feedId}"`);
    return answerCached(c, forms, (body, notModified) => archivePageHeaders(preview, body, notModified));
  };
  app.get('/archive/:feedId{[a-z0-9-]+}', page);
  app.get('/archive/:feedId{[a-z0-9-]+}/', page);
  return app;
}

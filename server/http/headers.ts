/**
 * Response headers shared by every route: CORS for the town's site on another
 * origin, and the security headers every answer carries. The routes that write
 * straight to the Node response (snapshot, event stream) spread these
 * constants; everything Hono answers gets them from `securityHeaders()`.
 */
import type { MiddlewareHandler } from 'hono';

/** Headers every cross-origin reader needs: the town's site lives on another origin. */
export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag',
} as const;

/** Headers on every answer of this server: no browser may guess another type than the one declared. */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
} as const;

/** `Cache-Control` of snapshots: short freshness, and let a CDN serve stale copies while it revalidates or when we fail. */
export const SNAPSHOT_CACHE_CONTROL = 'public, max-age=2, stale-while-revalidate=30, stale-if-error=86400';

/** Sets SECURITY_HEADERS on every response Hono builds, error and 404 answers included. */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    await next();
  };
}

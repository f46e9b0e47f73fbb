/**
 * Cross-origin reading of the public API. Open by default (the posts are public, and the town's
 * site lives on another origin than this server); a feed's `allowedOrigins` narrows its own API
 * routes (snapshot, live events, HTML fragment) to the listed origins, preflight included.
 */
import type { HeaderSet } from './header-set.js';

/** Who may read a feed from another origin: every site (undefined), or only these origins. */
export type AllowedOrigins = readonly string[] | undefined;

/** A feed's `allowedOrigins`, looked up at each request (organisers change it at run time). */
export type FeedOrigins = (feedId: string) => AllowedOrigins;

/** Answer headers a cross-origin script may read: the ETag, for conditional polling. */
const EXPOSED = 'ETag';

/** Every site may read: the default. */
export const OPEN_CORS: HeaderSet = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-expose-headers': EXPOSED,
});

/** A restricted feed asked by another origin (or by none): no grant, and caches keep answers apart by origin. */
const CLOSED_CORS: HeaderSet = Object.freeze({ vary: 'Origin' });

/** Grants of restricted feeds, one frozen set per allowed origin, so that answers built on them can be cached. */
const grants = new WeakMap<readonly string[], Map<string, HeaderSet>>();

/** The CORS headers of an answer to a request from `origin` (its `Origin` header) for a feed allowing `allowed`. */
export function corsHeaders(allowed: AllowedOrigins, origin: string | undefined): HeaderSet {
  if (allowed === undefined) return OPEN_CORS;
  if (origin === undefined || !allowed.includes(origin)) return CLOSED_CORS;
  let byOrigin = grants.get(allowed);
  if (!byOrigin) grants.set(allowed, (byOrigin = new Map()));
  let grant = byOrigin.get(origin);
  if (!grant) {
    grant = Object.freeze({
      'access-control-allow-origin': origin,
      'access-control-expose-headers': EXPOSED,
      vary: 'Origin',
    });
    byOrigin.set(origin, grant);
  }
  return grant;
}

/** What a cross-origin reader may send: conditional polling, resuming a stream. */
const PREFLIGHT: HeaderSet = Object.freeze({
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'If-None-Match, Last-Event-ID, Cache-Control',
  'access-control-max-age': '86400',
});

/** The headers of a preflight answer: the same grant as the request it announces, or none. */
export function preflightHeaders(allowed: AllowedOrigins, origin: string | undefined): HeaderSet {
  const cors = corsHeaders(allowed, origin);
  return 'access-control-allow-origin' in cors ? { ...cors, ...PREFLIGHT } : cors;
}

/** The feed a public API path belongs to (`/api/feeds/<id>`, `/<id>.html`, `/<id>/events`), or undefined. */
export function feedOfApiPath(path: string): string | undefined {
  return /^\/api\/feeds\/([a-z0-9-]+?)(?:\.html|\/events)?\/?$/.exec(path)?.[1];
}

/** The feeds' `allowedOrigins` as the registry holds them at each request. */
export function feedOriginsOf(registry: {
  get(feedId: string): { settings: { allowedOrigins?: readonly string[] } } | undefined;
}): FeedOrigins {
  return (feedId) => registry.get(feedId)?.settings.allowedOrigins;
}

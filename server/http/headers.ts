/**
 * Every response header this server sends is decided here, by route family: CORS (open, or a
 * feed's `allowedOrigins`), caching, and the security headers of the API and of our own pages
 * (the demo site, the wall, the console). Routes and delivery hand over bytes and validators
 * (ETag, content coding, media type, length) and never spell a header themselves. The header
 * matrix test (test/server/http/headers.test.ts) checks every family through the real server.
 */
import type { MiddlewareHandler } from 'hono';
import type { Encoding } from '../delivery/snapshot-cache.js';
import { corsHeaders, OPEN_CORS } from './headers/cors.js';
import { mergeHeaders, type HeaderSet } from './headers/header-set.js';
import {
  ARCHIVE_CSP,
  ARCHIVE_REFERRER_POLICY,
  CONSOLE_CSP,
  CONSOLE_REFERRER_POLICY,
  DEMO_CSP,
  DEMO_REFERRER_POLICY,
  MEDIA_CSP,
  PERMISSIONS_POLICY,
} from './headers/page-policies.js';

export type { HeaderSet } from './headers/header-set.js';
export {
  corsHeaders,
  feedOfApiPath,
  feedOriginsOf,
  OPEN_CORS,
  preflightHeaders,
  type AllowedOrigins,
  type FeedOrigins,
} from './headers/cors.js';
export { ARCHIVE_CSP, CONSOLE_CSP, DEMO_CSP } from './headers/page-policies.js';

/** What a route knows of the bytes it answers with. */
export interface Validators {
  /** Strong ETag of these exact bytes. */
  etag: string;
  /** Their content coding, when the route negotiated one by `Accept-Encoding` (`identity` included). */
  encoding?: Encoding;
  /** Their length, for answers written straight to the socket. */
  length?: number;
  /** The language of a page's words (`Content-Language`). */
  language?: string;
}

/** On every answer of this server: no browser may guess another type than the one declared. */
export const SECURITY_HEADERS: HeaderSet = Object.freeze({ 'x-content-type-options': 'nosniff' });

/** `Cache-Control` by what is answered. */
const CACHE = {
  /** Snapshots: short freshness, and let a CDN serve stale copies while it revalidates or when we fail. */
  snapshot: 'public, max-age=2, stale-while-revalidate=30, stale-if-error=86400',
  feedList: 'public, max-age=60',
  /** Live streams: never stored, never transformed (a compressing proxy would buffer them). */
  stream: 'no-cache, no-transform',
  privateStream: 'no-store, no-transform',
  /** `commune-feed.js` keeps its URL across versions: cached briefly. */
  widget: 'public, max-age=300, stale-while-revalidate=86400',
  /** Files named after their content: cached for good. */
  immutable: 'public, max-age=31536000, immutable',
  media: 'public, max-age=604800, immutable',
  page: 'public, max-age=60',
  /** An archive page: the event is over, it changes only when organisers remove a post. */
  archive: 'public, max-age=300, stale-while-revalidate=3600',
  /** Revalidated at each visit (service workers, the console). */
  revalidate: 'no-cache',
  never: 'no-store',
  privateNever: 'private, no-store',
} as const;

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const CSS_TYPE = 'text/css; charset=utf-8';
const EVENT_STREAM_TYPE = 'text/event-stream; charset=utf-8';

/** Error answers: never cached (a 503 must not outlive the crowd that caused it). */
export const ERROR_HEADERS: HeaderSet = Object.freeze(mergeHeaders(SECURITY_HEADERS, { 'cache-control': CACHE.never }));

/** Answers that describe the server now (health): never cached. */
export const UNCACHED_HEADERS: HeaderSet = Object.freeze({ 'cache-control': CACHE.never });

/** `/api/live` and `/api/ready`, written straight to the socket: JSON about the process now, never cached. */
export function probeHeaders(length: number): HeaderSet {
  return mergeHeaders(SECURITY_HEADERS, UNCACHED_HEADERS, {
    'content-type': JSON_TYPE,
    'content-length': String(length),
  });
}

/** `GET /api/feeds`: any site may read it, caches may keep it a minute. */
export const FEED_LIST_HEADERS: HeaderSet = Object.freeze(mergeHeaders(OPEN_CORS, { 'cache-control': CACHE.feedList }));

/** Headers of a 200 or 304 answer carrying (or standing for) `body`, on top of a family's `policy`. */
export function bodyHeaders(policy: HeaderSet, body: Validators, type: string, notModified = false): HeaderSet {
  const headers = mergeHeaders(policy, { etag: body.etag });
  if (body.encoding !== undefined) headers.vary = headers.vary ? `Accept-Encoding, ${headers.vary}` : 'Accept-Encoding';
  if (body.language !== undefined) headers['content-language'] = body.language;
  if (notModified) return headers;
  headers['content-type'] = type;
  if (body.length !== undefined) headers['content-length'] = String(body.length);
  if (body.encoding !== undefined && body.encoding !== 'identity') headers['content-encoding'] = body.encoding;
  return headers;
}

/** The cached bodies of a feed the API serves, and how each is answered. */
const FEED_BODIES = {
  snapshot: { type: JSON_TYPE, policy: mergeHeaders(SECURITY_HEADERS, { 'cache-control': CACHE.snapshot }) },
  /** The HTML fragment a CMS includes inside the tag: as fresh as the snapshot it is made of. */
  fragment: { type: HTML_TYPE, policy: mergeHeaders(SECURITY_HEADERS, { 'cache-control': CACHE.snapshot }) },
} as const;

export type FeedBodyKind = keyof typeof FEED_BODIES;

/**
 * Per cached body and CORS grant, its 200 and 304 headers: built once, then written as they are
 * to every visitor (the snapshot is the hottest path of the server). Bodies are rebuilt at each
 * change, so their entries go with them.
 */
const feedAnswers = new WeakMap<Validators, Map<HeaderSet, { ok: HeaderSet; notModified: HeaderSet }>>();

/** Headers of a feed's cached body (`kind`) for a request granted `cors`. */
export function feedBodyHeaders(
  kind: FeedBodyKind,
  body: Validators,
  cors: HeaderSet,
  notModified: boolean,
): HeaderSet {
  let byGrant = feedAnswers.get(body);
  if (!byGrant) feedAnswers.set(body, (byGrant = new Map()));
  let answers = byGrant.get(cors);
  if (!answers) {
    const { type, policy } = FEED_BODIES[kind];
    const withCors = mergeHeaders(policy, cors);
    answers = { ok: bodyHeaders(withCors, body, type), notModified: bodyHeaders(withCors, body, type, true) };
    byGrant.set(cors, answers);
  }
  return notModified ? answers.notModified : answers.ok;
}

/** The fixed headers of every live stream (visitors' and organisers'). */
const STREAM = { 'content-type': EVENT_STREAM_TYPE, 'x-accel-buffering': 'no' } as const;

const eventStreams = new WeakMap<HeaderSet, HeaderSet>();

/** Headers of a feed's live stream for a request granted `cors`. */
export function eventStreamHeaders(cors: HeaderSet): HeaderSet {
  let headers = eventStreams.get(cors);
  if (!headers) {
    headers = Object.freeze(mergeHeaders(SECURITY_HEADERS, STREAM, { 'cache-control': CACHE.stream }, cors));
    eventStreams.set(cors, headers);
  }
  return headers;
}

/** The organisers' stream is private: never stored by a cache, never sniffed, never read cross-origin. */
export const ADMIN_STREAM_HEADERS: HeaderSet = Object.freeze(
  mergeHeaders(SECURITY_HEADERS, STREAM, { 'cache-control': CACHE.privateStream }),
);

/** Who sees an image: visitors (the posts on display, any site, cached for good) or organisers (held posts too). */
export type MediaAudience = 'visitors' | 'organisers';

const MEDIA: Record<MediaAudience, HeaderSet> = {
  visitors: mergeHeaders(SECURITY_HEADERS, OPEN_CORS, {
    'cache-control': CACHE.media,
    'cross-origin-resource-policy': 'cross-origin',
    'content-security-policy': MEDIA_CSP,
  }),
  // Held posts' images: for this organiser's eyes only, kept by no cache, shown by no other site.
  organisers: mergeHeaders(SECURITY_HEADERS, {
    'cache-control': CACHE.privateNever,
    'cross-origin-resource-policy': 'same-origin',
    'content-security-policy': MEDIA_CSP,
  }),
};

/** Headers of a proxied image. */
export function mediaHeaders(audience: MediaAudience, image: Validators & { type: string }, notModified: boolean) {
  return bodyHeaders(MEDIA[audience], image, image.type, notModified);
}

/**
 * The widget's files: any town's page may load them (CORS, needed by `crossorigin` and
 * `integrity`; CORP for pages with COEP), as scripts only. `commune-feed.js` and the manifest keep
 * their URL across versions (cached briefly); the files under `/v/<version>/` and the chunks, named
 * after their content, never change (`immutable`).
 */
export function widgetFileHeaders(immutable: boolean): HeaderSet {
  return immutable ? WIDGET.immutable : WIDGET.current;
}

const WIDGET_POLICY = mergeHeaders(SECURITY_HEADERS, OPEN_CORS, { 'cross-origin-resource-policy': 'cross-origin' });
const WIDGET = {
  current: mergeHeaders(WIDGET_POLICY, { 'cache-control': CACHE.widget }),
  immutable: mergeHeaders(WIDGET_POLICY, { 'cache-control': CACHE.immutable }),
};

/** Our stylesheets, named after their content: the fragment's (any site's page links it) and the archive page's. */
const STYLESHEETS = {
  fragment: mergeHeaders(SECURITY_HEADERS, OPEN_CORS, {
    'cache-control': CACHE.immutable,
    'cross-origin-resource-policy': 'cross-origin',
  }),
  archive: mergeHeaders(SECURITY_HEADERS, { 'cache-control': CACHE.immutable }),
} as const;

/** Headers of one of our stylesheets (`body` its validators). */
export function stylesheetHeaders(kind: keyof typeof STYLESHEETS, body: Validators, notModified: boolean): HeaderSet {
  return bodyHeaders(STYLESHEETS[kind], body, CSS_TYPE, notModified);
}

/** An archive page: cached a few minutes; an organiser's preview is never stored, never indexed. */
const ARCHIVE_PAGE = mergeHeaders(SECURITY_HEADERS, {
  'content-security-policy': ARCHIVE_CSP,
  'referrer-policy': ARCHIVE_REFERRER_POLICY,
});
const ARCHIVE_PAGES = {
  public: mergeHeaders(ARCHIVE_PAGE, { 'cache-control': CACHE.archive }),
  preview: mergeHeaders(ARCHIVE_PAGE, { 'cache-control': CACHE.privateNever, 'x-robots-tag': 'noindex' }),
};

/** Headers of an archive page (`body` its validators and language), public or an organiser's preview. */
export function archivePageHeaders(preview: boolean, body: Validators, notModified: boolean): HeaderSet {
  return bodyHeaders(preview ? ARCHIVE_PAGES.preview : ARCHIVE_PAGES.public, body, HTML_TYPE, notModified);
}

/** Headers of a refusal that says when to come back (429, 503): on top of the request's CORS grant. */
export function retryAfterHeaders(retryAfterS: number, cors: HeaderSet = {}): HeaderSet {
  return mergeHeaders(cors, { 'retry-after': String(retryAfterS) });
}

/** Headers of every page of ours: no powerful feature for any script on it. */
const PAGE = mergeHeaders(SECURITY_HEADERS, { 'permissions-policy': PERMISSIONS_POLICY });

/** The demo site's files: any site may load them (the configurator's preview, a town trying the snippet). */
const DEMO_FILE = mergeHeaders(PAGE, OPEN_CORS, {
  'referrer-policy': DEMO_REFERRER_POLICY,
  'cross-origin-resource-policy': 'cross-origin',
});

/** The console's page and files: same origin only, revalidated at each visit. */
const CONSOLE_FILE = mergeHeaders(PAGE, {
  'cache-control': CACHE.revalidate,
  'referrer-policy': CONSOLE_REFERRER_POLICY,
  'cross-origin-resource-policy': 'same-origin',
});

const isHtml = (type: string) => type.startsWith('text/html');

/** Headers of a demo file; a service worker is revalidated at each visit, so a screen that never closes updates. */
export function demoFileHeaders(type: string, serviceWorker: boolean): HeaderSet {
  const headers = mergeHeaders(DEMO_FILE, { 'cache-control': serviceWorker ? CACHE.revalidate : CACHE.page });
  if (isHtml(type)) headers['content-security-policy'] = DEMO_CSP;
  return headers;
}

/** Headers of a console file: its page carries the console's policy. */
export function consoleFileHeaders(type: string): HeaderSet {
  return isHtml(type) ? mergeHeaders(CONSOLE_FILE, { 'content-security-policy': CONSOLE_CSP }) : CONSOLE_FILE;
}

/** Sets SECURITY_HEADERS on every response Hono builds, error and 404 answers included. */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    await next();
  };
}

const NO_STORE = /(^|[\s,])no-store($|[\s,])/;

/** Every admin API answer: never stored by a cache (a route may say more, like `private, no-store`), never sniffed. */
export function adminApiHeaders(): MiddlewareHandler {
  return async function adminApiHeaders(c, next) {
    await next();
    if (!NO_STORE.test(c.res.headers.get('cache-control') ?? '')) c.res.headers.set('cache-control', CACHE.never);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  };
}

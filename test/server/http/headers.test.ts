/**
 * The header matrix: every route family of the real server (over real sockets, so the snapshot's
 * fast path is included) answers with the headers `server/http/headers.ts` decides for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ARCHIVE_CSS_PATH } from '../../../server/archive/archive-styles.js';
import { FRAGMENT_CSS } from '../../../server/html/fragment-styles.js';
import { RateLimiter } from '../../../server/http/rate-limit.js';
import { systemClock } from '../../../server/clock.js';
import { memoryLogger } from '../../../server/log.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { TEST_ADMIN_TOKEN } from '../../helpers/admin.js';
import { tempDir, testConfig, testFeed } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';

const IMAGE = '/media/pbs.twimg.com/media/a.jpg';
const TOWN = 'https://www.ville.fr';

/** Headers that must be absent. */
const ABSENT = null;
type Expected = Record<string, string | null | RegExp>;

const NOSNIFF = { 'x-content-type-options': 'nosniff' };
const OPEN = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag' };
const SAME_ORIGIN_ONLY = { 'access-control-allow-origin': ABSENT };
const PAGE = {
  ...NOSNIFF,
  'permissions-policy': /^accelerometer=\(\), camera=\(\), geolocation=\(\), .*microphone=\(\)/,
};
const DEMO_PAGE = {
  ...PAGE,
  ...OPEN,
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-resource-policy': 'cross-origin',
};
const CONSOLE = {
  ...PAGE,
  ...SAME_ORIGIN_ONLY,
  'cache-control': 'no-cache',
  'referrer-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
const ERROR = { ...NOSNIFF, 'cache-control': 'no-store', 'content-type': /^application\/json/ };
const SNAPSHOT_CACHE = 'public, max-age=2, stale-while-revalidate=30, stale-if-error=86400';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const WIDGET_VERSION = '1.2.3';
/** New live streams an address may open in this file's server before it is refused. */
const STREAMS_AT_ONCE = 5;

let server: RunningServer;
let imageHost: http.Server;
let etag: string;

beforeAll(async () => {
  imageHost = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end('JPEG'));
  await new Promise<void>((r) => imageHost.listen(0, '127.0.0.1', r));
  const dist = tempDir();
  mkdirSync(path.join(dist, 'admin'));
  writeFileSync(path.join(dist, 'commune-feed.js'), 'export {};\n'.repeat(100));
  writeFileSync(path.join(dist, 'commune-feed-sanitize-abc123.js'), 'export {};\n'.repeat(100));
  writeFileSync(path.join(dist, 'admin', 'console.js'), '/* console */');
  const manifest = { version: WIDGET_VERSION, main: { file: 'commune-feed.js', integrity: 'sha384-x' }, chunks: {} };
  writeFileSync(path.join(dist, 'commune-feed.manifest.json'), JSON.stringify(manifest));
  const post = testPost(1, { createdAt: new Date().toISOString() });
  post.media = [{ kind: 'photo', url: IMAGE, previewUrl: IMAGE, alt: '', width: 1, height: 1 }];
  const clock = systemClock;
  const archived = testFeed({ id: 'fete-2025', state: 'archived' });
  server = await startServer(testConfig({ feeds: [testFeed(), archived] }), {
    log: memoryLogger(),
    limits: {
      streams: new RateLimiter({ capacity: STREAMS_AT_ONCE, perMinute: 1, clock }),
      newImages: new RateLimiter({ capacity: 100, perMinute: 100, clock }),
      fragments: new RateLimiter({ capacity: 100, perMinute: 100, clock }),
    },
    sourceFor: () => new ScriptedSource().posts([post]),
    startEngines: false,
    widgetFile: path.join(dist, 'commune-feed.js'),
    adminToken: TEST_ADMIN_TOKEN,
    mediaUpstream: () => `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}`,
  });
  await server.engines.get('saint-etienne')!.pollNow();
  etag = (await fetch(`${server.url}/api/feeds/saint-etienne`)).headers.get('etag')!;
});

afterAll(async () => {
  await server.close();
  await new Promise<void>((r) => imageHost.close(() => r()));
});

/** Sends one request and keeps the status and headers (a stream is cut once its headers arrived). */
async function answer(route: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers }> {
  const controller = new AbortController();
  const res = await fetch(`${server.url}${route}`, { ...init, signal: controller.signal });
  controller.abort();
  return { status: res.status, headers: res.headers };
}

const operator = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** Route family, request, expected status and headers. */
const MATRIX: [string, string, RequestInit, number, Expected][] = [
  ['feed list', '/api/feeds', {}, 200, { ...NOSNIFF, ...OPEN, 'cache-control': 'public, max-age=60' }],
  [
    'snapshot',
    '/api/feeds/saint-etienne',
    { headers: { 'accept-encoding': 'br', origin: TOWN } },
    200,
    {
      ...NOSNIFF,
      ...OPEN,
      'cache-control': 'public, max-age=2, stale-while-revalidate=30, stale-if-error=86400',
      'content-type': 'application/json; charset=utf-8',
      'content-encoding': 'br',
      vary: 'Accept-Encoding',
      etag: /^"[^"]+-br"$/,
    },
  ],
  [
    'snapshot, not modified',
    '/api/feeds/saint-etienne',
    { headers: { 'if-none-match': 'ETAG' } },
    304,
    { ...NOSNIFF, ...OPEN, vary: 'Accept-Encoding', etag: /^"/, 'content-type': ABSENT },
  ],
  [
    'snapshot preflight',
    '/api/feeds/saint-etienne',
    {
      method: 'OPTIONS',
      headers: {
        origin: TOWN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'if-none-match',
      },
    },
    204,
    {
      ...NOSNIFF,
      ...OPEN,
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': 'If-None-Match, Last-Event-ID, Cache-Control',
      'access-control-max-age': '86400',
    },
  ],
  [
    'live events',
    '/api/feeds/saint-etienne/events',
    {},
    200,
    {
      ...NOSNIFF,
      ...OPEN,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  ],
  ['unknown feed', '/api/feeds/nowhere', {}, 404, { ...ERROR, ...OPEN }],
  ['unknown feed events', '/api/feeds/nowhere/events', {}, 404, { ...ERROR, ...OPEN }],
  [
    'HTML fragment',
    '/api/feeds/saint-etienne.html',
    { headers: { 'accept-encoding': 'gzip', origin: TOWN } },
    200,
    {
      ...NOSNIFF,
      ...OPEN,
      'cache-control': SNAPSHOT_CACHE,
      'content-type': 'text/html; charset=utf-8',
      'content-language': 'fr',
      'content-encoding': 'gzip',
      vary: 'Accept-Encoding',
      etag: /^"[^"]+-gzip"$/,
      'content-security-policy': ABSENT,
    },
  ],
  [
    'HTML fragment in English',
    '/api/feeds/saint-etienne.html?lang=en',
    {},
    200,
    { ...NOSNIFF, ...OPEN, 'content-language': 'en', 'content-type': 'text/html; charset=utf-8' },
  ],
  ['HTML fragment of an unknown feed', '/api/feeds/nowhere.html', {}, 404, { ...ERROR, ...OPEN }],
  ['HTML fragment, bad limit', '/api/feeds/saint-etienne.html?limit=0', {}, 400, { ...ERROR, ...OPEN }],
  [
    'HTML fragment preflight',
    '/api/feeds/saint-etienne.html',
    { method: 'OPTIONS', headers: { origin: TOWN, 'access-control-request-method': 'GET' } },
    204,
    { ...NOSNIFF, ...OPEN, 'access-control-allow-methods': 'GET, HEAD, OPTIONS' },
  ],
  [
    'fragment stylesheet',
    FRAGMENT_CSS.path,
    {},
    200,
    {
      ...NOSNIFF,
      ...OPEN,
      'cache-control': IMMUTABLE,
      'cross-origin-resource-policy': 'cross-origin',
      'content-type': 'text/css; charset=utf-8',
      etag: /^"/,
    },
  ],
  [
    'archive page',
    '/archive/fete-2025',
    {},
    200,
    {
      ...NOSNIFF,
      ...SAME_ORIGIN_ONLY,
      'cache-control': 'public, max-age=300, stale-while-revalidate=3600',
      'content-security-policy': /^default-src 'none'; style-src 'self'; img-src 'self'/,
      'referrer-policy': 'no-referrer',
      'content-type': 'text/html; charset=utf-8',
      'content-language': 'fr',
      'x-robots-tag': ABSENT,
    },
  ],
  ['archive of a live feed', '/archive/saint-etienne', {}, 404, { ...ERROR, ...SAME_ORIGIN_ONLY }],
  [
    'archive stylesheet',
    ARCHIVE_CSS_PATH,
    {},
    200,
    { ...NOSNIFF, ...SAME_ORIGIN_ONLY, 'cache-control': IMMUTABLE, 'content-type': 'text/css; charset=utf-8' },
  ],
  [
    'health',
    '/api/health',
    {},
    200,
    { ...NOSNIFF, 'cache-control': 'no-store', 'access-control-allow-origin': ABSENT },
  ],
  [
    'image',
    IMAGE,
    {},
    200,
    {
      ...NOSNIFF,
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=604800, immutable',
      'cross-origin-resource-policy': 'cross-origin',
      'content-security-policy': "default-src 'none'",
      'content-type': 'image/jpeg',
    },
  ],
  ['image not shown', '/media/pbs.twimg.com/media/b.jpg', {}, 404, ERROR],
  [
    'bundle',
    '/commune-feed.js',
    {},
    200,
    {
      ...NOSNIFF,
      ...OPEN,
      'cache-control': 'public, max-age=300, stale-while-revalidate=86400',
      'cross-origin-resource-policy': 'cross-origin',
      'content-type': 'text/javascript; charset=utf-8',
      vary: 'Accept-Encoding',
    },
  ],
  [
    'bundle chunk',
    '/commune-feed-sanitize-abc123.js',
    {},
    200,
    {
      ...NOSNIFF,
      ...OPEN,
      'cache-control': 'public, max-age=31536000, immutable',
      'cross-origin-resource-policy': 'cross-origin',
    },
  ],
  [
    'versioned bundle',
    `/v/${WIDGET_VERSION}/commune-feed.js`,
    {},
    200,
    {
      ...NOSNIFF,
      ...OPEN,
      'cache-control': IMMUTABLE,
      'cross-origin-resource-policy': 'cross-origin',
      'content-type': 'text/javascript; charset=utf-8',
    },
  ],
  ['bundle of another version', '/v/0.0.1/commune-feed.js', {}, 404, ERROR],
  [
    'widget manifest',
    '/commune-feed.manifest.json',
    {},
    200,
    {
      ...NOSNIFF,
      ...OPEN,
      'cache-control': 'public, max-age=300, stale-while-revalidate=86400',
      'content-type': 'application/json; charset=utf-8',
    },
  ],
  [
    'demo page',
    '/',
    {},
    200,
    {
      ...DEMO_PAGE,
      'cache-control': 'public, max-age=60',
      'content-security-policy': /^default-src 'self'; .*frame-ancestors 'self'; require-trusted-types-for 'script'/,
      'content-type': 'text/html; charset=utf-8',
    },
  ],
  [
    'wall page',
    '/mur.html',
    {},
    200,
    { ...DEMO_PAGE, 'cache-control': 'public, max-age=60', 'content-security-policy': /worker-src 'self'/ },
  ],
  [
    'wall service worker',
    '/mur-sw.js',
    {},
    200,
    { ...DEMO_PAGE, 'cache-control': 'no-cache', 'content-security-policy': ABSENT },
  ],
  [
    'console page',
    '/admin',
    {},
    200,
    { ...CONSOLE, 'content-security-policy': /^default-src 'none'; .*frame-ancestors 'none'/ },
  ],
  ['console script', '/admin/console.js', {}, 200, { ...CONSOLE, 'content-security-policy': ABSENT }],
  [
    'admin API',
    '/api/admin/feeds',
    { headers: operator },
    200,
    { ...NOSNIFF, ...SAME_ORIGIN_ONLY, 'cache-control': 'no-store' },
  ],
  ['admin API without a session', '/api/admin/feeds', {}, 401, { ...ERROR, ...SAME_ORIGIN_ONLY }],
  [
    'admin preflight',
    '/api/admin/feeds',
    { method: 'OPTIONS', headers: { origin: TOWN, 'access-control-request-method': 'POST' } },
    401,
    { ...ERROR, ...SAME_ORIGIN_ONLY },
  ],
  [
    'organisers stream',
    '/api/admin/feeds/saint-etienne/events',
    { headers: operator },
    200,
    {
      ...NOSNIFF,
      ...SAME_ORIGIN_ONLY,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
    },
  ],
  [
    'organisers image',
    `/api/admin${IMAGE}`,
    { headers: operator },
    200,
    {
      ...NOSNIFF,
      ...SAME_ORIGIN_ONLY,
      'cache-control': 'private, no-store',
      'cross-origin-resource-policy': 'same-origin',
      'content-security-policy': "default-src 'none'",
    },
  ],
  [
    'liveness probe',
    '/api/live',
    {},
    200,
    { ...NOSNIFF, ...SAME_ORIGIN_ONLY, 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' },
  ],
  [
    'readiness probe',
    '/api/ready',
    {},
    200,
    { ...NOSNIFF, ...SAME_ORIGIN_ONLY, 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' },
  ],
  ['not found', '/nope', {}, 404, ERROR],
];

describe('the header matrix', () => {
  it.each(MATRIX)('%s: %s', async (_family, route, init, status, expected) => {
    const headers = new Headers(init.headers);
    if (headers.get('if-none-match') === 'ETAG') headers.set('if-none-match', etag);
    const res = await answer(route, { ...init, headers });
    expect(res.status).toBe(status);
    for (const [name, value] of Object.entries(expected)) {
      const got = res.headers.get(name);
      if (value instanceof RegExp) expect(got, name).toMatch(value);
      else expect(got, name).toBe(value);
    }
  });

  it('sends nothing but what the module decides: no page of ours lacks its policy, no API answer has one', async () => {
    for (const route of ['/', '/mur.html', '/configurateur.html', '/admin']) {
      const res = await answer(route);
      expect(res.headers.get('content-security-policy'), route).toMatch(/require-trusted-types-for 'script'/);
      expect(res.headers.get('permissions-policy'), route).toContain('camera=()');
      expect(res.headers.get('referrer-policy'), route).toBeTruthy();
    }
    for (const route of ['/api/feeds', '/api/feeds/saint-etienne', '/api/feeds/saint-etienne/events']) {
      const res = await answer(route);
      expect(res.headers.get('content-security-policy'), route).toBeNull();
      expect(res.headers.get('cross-origin-resource-policy'), route).toBeNull();
    }
  });

  it('refuses new live streams past the per-address rate with the API error headers, the grant and Retry-After', async () => {
    let res: { status: number; headers: Headers } | undefined;
    for (let i = 0; i <= STREAMS_AT_ONCE && res?.status !== 429; i++) {
      res = await answer('/api/feeds/saint-etienne/events', { headers: { origin: TOWN } });
    }
    expect(res!.status).toBe(429);
    for (const [name, value] of Object.entries({ ...ERROR, ...OPEN, 'retry-after': /^\d+$/ })) {
      if (value instanceof RegExp) expect(res!.headers.get(name), name).toMatch(value);
      else expect(res!.headers.get(name), name).toBe(value);
    }
  });
});

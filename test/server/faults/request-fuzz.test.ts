/**
 * Property-based request fuzzing of every public and admin route over raw sockets: odd methods,
 * huge headers and bodies, bad UTF-8, encoded, double-encoded and overlong dot segments, and query
 * floods. Never a 5xx, never a crash, always a JSON error on the API.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../server/log.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { signedInAs, TEST_ADMIN_TOKEN } from '../../helpers/admin.js';
import { testConfig } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { parseAnswer, rawConnect } from '../../helpers/raw-http.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';

const FEED = 'saint-etienne';
/** Every route, with `:params` the fuzzer fills in or leaves as they are. */
export const ROUTES = [
  '/',
  '/index.html',
  '/mur.html',
  '/configurateur.html',
  '/commune-feed.js',
  '/admin',
  '/admin/',
  '/api/feeds',
  '/api/feeds/:id',
  '/api/feeds/:id/events',
  '/api/feeds/:id/resume',
  '/api/health',
  '/media/pbs.twimg.com/media/:image',
  '/api/admin/login',
  '/api/admin/logout',
  '/api/admin/setup',
  '/api/admin/session',
  '/api/admin/users',
  '/api/admin/users/:username',
  '/api/admin/feeds',
  '/api/admin/feeds/:id',
  '/api/admin/feeds/:id/state',
  '/api/admin/feeds/:id/queue',
  '/api/admin/feeds/:id/posts/:postId/decision',
  '/api/admin/feeds/:id/audit/:auditId/undo',
  '/api/admin/feeds/:id/audit',
  '/api/admin/feeds/:id/stats',
  '/api/admin/feeds/:id/announcements',
  '/api/admin/feeds/:id/announcements/:postId',
  '/api/admin/feeds/:id/alert',
  '/api/admin/feeds/:id/events',
  '/api/admin/health',
  '/api/admin/media/pbs.twimg.com/media/:image',
];

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO', 'get'];

/** Segments that try to climb out or confuse a router. */
const TRICKS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F',
  '%252e%252e',
  '%c0%ae%c0%ae',
  '%e0%80%ae%e0%80%ae',
  '..%2f..%2fetc%2fpasswd',
  '..\\..\\server',
  '%00',
  '%ff%fe',
  '%',
  '%zz',
  '\u00e9t\u00e9',
  'a'.repeat(3000),
  '%F0%9F%93%9A',
  ';jsessionid=1',
];

/** Raw bytes (latin1 string) that are not valid UTF-8. */
const badUtf8 = fc.constantFrom('\xff\xfe', '\xc0\xae', '\xed\xa0\x80', '\x80', '\xe9t\xe9');

const segment = fc.oneof(
  fc.constantFrom(FEED, 'p1', 'mona', '1', 'inconnu'),
  fc.constantFrom(...TRICKS),
  fc.stringMatching(/^[A-Za-z0-9._~%-]{0,40}$/),
  badUtf8,
);

const pathArb = fc
  .tuple(fc.constantFrom(...ROUTES), fc.array(segment, { minLength: 6, maxLength: 6 }), fc.constantFrom('', '/', '//'))
  .map(([route, fill, tail]) => {
    let i = 0;
    return route.replace(/:[a-zA-Z]+/g, () => fill[i++]!) + tail;
  });

const queryArb = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?since=abc',
    '?since=-1',
    '?since=1e999',
    '?since=%00',
    '?visibility=shown,shown',
    '?page=99999999999',
  ),
  // Query floods: thousands of parameters, repeated keys, long values.
  fc.integer({ min: 100, max: 3000 }).map((n) => '?' + Array.from({ length: n }, (_, i) => `k${i % 7}=${i}`).join('&')),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => `?since=${'9'.repeat(n)}`),
);

const headerArb = fc.oneof(
  fc.constantFrom(
    'Accept: text/event-stream',
    'Accept-Encoding: br, gzip, zstd, *;q=0',
    'If-None-Match: "x", W/"y", *',
    'Last-Event-ID: 99999999999999999999',
    'Origin: https://evil.example',
    'Cookie: cf_session=%00%ff',
    'X-Forwarded-For: 127.0.0.1, ::1, nonsense',
    'Content-Type: application/json; charset=latin1',
    'Range: bytes=0-1,-5',
    'Transfer-Encoding: gzip',
  ),
  badUtf8.map((b) => `X-Bad: ${b}`),
  // A huge header, past Node's limit some of the time.
  fc.integer({ min: 1000, max: 20_000 }).map((n) => `X-Huge: ${'h'.repeat(n)}`),
  fc.integer({ min: 1, max: 200 }).map((n) => Array.from({ length: n }, (_, i) => `X-Many-${i}: ${i}`).join('\r\n')),
);

const bodyArb = fc.oneof(
  fc.constant(''),
  fc.constantFrom('{}', '[]', 'null', '{"action":"hide"}', '{"username":"mona","password":"x"}', '{"a":', '\u0000'),
  badUtf8,
  fc.json({ maxDepth: 3 }),
  // Large bodies, past the admin API's 64 KiB bound some of the time.
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => `{"text":"${'b'.repeat(n)}"}`),
);

const authArb = fc.constantFrom('none', 'operator', 'session', 'garbage');

let server: RunningServer;
let log: ReturnType<typeof memoryLogger>;
let cookie: string;

beforeAll(async () => {
  const source = new ScriptedSource();
  log = memoryLogger();
  server = await startServer(testConfig(), {
    clock: new FakeClock(),
    log,
    sourceFor: () => source,
    startEngines: false,
    adminToken: TEST_ADMIN_TOKEN,
  });
  source.posts([testPost(1), testPost(2)]);
  await server.engines.get(FEED)!.pollNow();
  cookie = (await signedInAs(server.auth, 'admin', 'mona')).cookie;
});
afterAll(() => server.close());

/** Sends one raw request and reads its answer, leaving event streams once their head arrived. */
async function exchange(request: Buffer): Promise<string> {
  const raw = await rawConnect(server.port);
  raw.socket.write(request);
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = raw.received();
    const headEnd = text.indexOf('\r\n\r\n');
    const streaming = headEnd > 0 && /content-type: text\/event-stream/i.test(text.slice(0, headEnd));
    if (streaming || raw.socket.destroyed || Date.now() > deadline) {
      raw.close();
      return text;
    }
    await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 20))]);
  }
}

describe('requests built to break the server', () => {
  it('never get a 5xx nor crash it, and the API always answers errors in JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        pathArb,
        queryArb,
        fc.array(headerArb, { maxLength: 3 }),
        bodyArb,
        authArb,
        async (method, path, query, headers, body, auth) => {
          const bytes = Buffer.from(body, 'latin1');
          const lines = [`${method} ${path}${query} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers];
          if (auth === 'operator') lines.push(`Authorization: Bearer ${TEST_ADMIN_TOKEN}`);
          if (auth === 'session') lines.push(`Cookie: ${cookie}`);
          if (auth === 'garbage') lines.push('Authorization: Bearer \xff\x00x', 'Cookie: cf_session=');
          if (bytes.length > 0) lines.push(`Content-Length: ${bytes.length}`);
          const request = Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), bytes]);
          const text = await exchange(request);
          const answer = parseAnswer(text);
          expect(answer.status, text.slice(0, 300)).toBeGreaterThanOrEqual(100);
          expect(answer.status, text.slice(0, 300)).toBeLessThan(500);
          const api = path.startsWith('/api');
          if (api && answer.status >= 400 && method !== 'HEAD') {
            expect(answer.headers['content-type'], text.slice(0, 300)).toMatch(/^application\/json/);
            const chunked = answer.headers['transfer-encoding'] === 'chunked';
            const json = chunked ? answer.body.replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, '') : answer.body;
            expect(JSON.parse(json).error.status).toBe(answer.status);
          }
        },
      ),
      { numRuns: 400 },
    );
    // Still serving, and nothing went wrong inside.
    expect((await fetch(`${server.url}/api/feeds/${FEED}`)).status).toBe(200);
    expect(log.lines.filter((l) => / error /.test(l))).toEqual([]);
  }, 120_000);
});

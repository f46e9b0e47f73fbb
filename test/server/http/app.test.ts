import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { memoryLogger } from '../../../server/log.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { tempDir, testConfig } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';
import { parseAnswer, rawRequest } from '../../helpers/raw-http.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';
import { TEST_ADMIN_TOKEN, adminRequest, signedInAs } from '../../helpers/admin.js';
import { holdDatabase } from '../../helpers/hold-database.js';
import { cleanUp, services } from '../../helpers/services.js';
import { BUSY_MESSAGE } from '../../../server/http/app.js';

const IMAGE = '/media/pbs.twimg.com/media/a.jpg';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  vi.restoreAllMocks();
});

/** The real server with a post on display showing one image, fetched from a local stand-in for X's image host. */
async function start() {
  const imageHost = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end('JPEG'));
  await new Promise<void>((r) => imageHost.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => imageHost.close(() => r())));
  const widgetFile = path.join(tempDir(), 'commune-feed.js');
  writeFileSync(widgetFile, 'export {};\n'.repeat(100));
  const log = memoryLogger();
  const post = testPost(1, { createdAt: new Date().toISOString() });
  post.media = [{ kind: 'photo', url: IMAGE, previewUrl: IMAGE, alt: '', width: 1, height: 1 }];
  const server: RunningServer = await startServer(testConfig({ maxViewers: 1 }), {
    log,
    sourceFor: () => new ScriptedSource().posts([post]),
    startEngines: false,
    widgetFile,
    mediaUpstream: () => `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}`,
  });
  cleanups.push(() => server.close());
  await server.engines.get('saint-etienne')!.pollNow();
  return { server, log };
}

/** Every route a visitor or an operator reaches, with the status a GET gets. */
const ROUTES: [string, number][] = [
  ['/api/feeds', 200],
  ['/api/feeds/saint-etienne', 200],
  ['/api/feeds/saint-etienne?t=1', 200],
  ['/api/feeds/saint-etienne/events', 200],
  ['/api/feeds/nowhere/events', 404],
  ['/api/health', 200],
  ['/commune-feed.js', 200],
  ['/', 200],
  ['/mur.html', 200],
  [IMAGE, 200],
  ['/media/pbs.twimg.com/media/not-shown.jpg', 404],
  ['/nope', 404],
];

/** Sends `first` and then a GET of the health route on one connection; returns both answers' raw text. */
async function thenHealth(port: number, first: string): Promise<[string, string]> {
  const text = await rawRequest(port, `${first}GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  const second = text.lastIndexOf('HTTP/1.1 ');
  return [text.slice(0, second), text.slice(second)];
}

describe('HEAD', () => {
  it('answers HEAD on every route with the status and headers of a GET, no body, no viewer, no error', async () => {
    const { server, log } = await start();
    const consoleError = vi.spyOn(console, 'error');
    for (const [route, status] of ROUTES) {
      const get = route.endsWith('/events')
        ? undefined
        : parseAnswer(await rawRequest(server.port, `GET ${route} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      // Keep-alive, then another request on the same connection: a HEAD answer with a body would corrupt it.
      const [head, next] = await thenHealth(server.port, `HEAD ${route} HTTP/1.1\r\nHost: x\r\n\r\n`);
      const answer = parseAnswer(head);
      expect(answer.status, route).toBe(status);
      expect(answer.body, route).toBe('');
      expect(parseAnswer(next).status, `${route}, the request after it`).toBe(200);
      for (const name of [
        'content-type',
        'etag',
        'cache-control',
        'access-control-allow-origin',
        'x-content-type-options',
      ]) {
        if (get) expect(answer.headers[name], `${route} ${name}`).toBe(get.headers[name]);
      }
    }
    const events = parseAnswer(
      (await thenHealth(server.port, 'HEAD /api/feeds/saint-etienne/events HTTP/1.1\r\nHost: x\r\n\r\n'))[0],
    );
    expect(events.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(server.delivery.hub.viewerCount).toBe(0);
    expect(consoleError).not.toHaveBeenCalled();
    expect(log.lines.filter((line) => / (warn|error) /.test(line))).toEqual([]);
  });
});

describe('X-Content-Type-Options', () => {
  it('is nosniff on every answer: every route, 304, preflight, refusals and operator errors', async () => {
    const { server } = await start();
    const answers: [string, Response][] = [];
    for (const [route] of ROUTES) {
      const controller = new AbortController();
      const res = await fetch(`${server.url}${route}`, { signal: controller.signal });
      answers.push([route, res]);
      controller.abort();
    }
    const snapshot = `${server.url}/api/feeds/saint-etienne`;
    const etag = answers[1]![1].headers.get('etag')!;
    answers.push(['304', await fetch(snapshot, { headers: { 'if-none-match': etag } })]);
    answers.push(['preflight', await fetch(snapshot, { method: 'OPTIONS', headers: preflight })]);
    const live = new AbortController();
    await fetch(`${snapshot}/events`, { signal: live.signal });
    answers.push(['refused stream', await fetch(`${snapshot}/events`)]);
    live.abort();
    answers.push(['operator', await fetch(`${snapshot}/resume`, { method: 'POST' })]);
    for (const [name, res] of answers) expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
    expect(answers.map(([name, res]) => [name, res.status]).slice(-4)).toEqual([
      ['304', 304],
      ['preflight', 204],
      ['refused stream', 503],
      ['operator', 403],
    ]);
  });
});

const preflight = {
  origin: 'https://www.ville.fr',
  'access-control-request-method': 'GET',
  'access-control-request-headers': 'if-none-match',
};

describe('a database another process holds busy', () => {
  it("answers an organiser's write with a JSON 503 and Retry-After, stores nothing, and stores it once free", async () => {
    cleanups.push(cleanUp);
    const s = services(testConfig(), { adminToken: TEST_ADMIN_TOKEN });
    s.sources.get('saint-etienne').posts([testPost(1), testPost(2)]);
    await s.engines.get('saint-etienne')!.pollNow();
    const { cookie } = await signedInAs(s.auth, 'moderator', 'mona');
    const hide = () =>
      adminRequest(s.app, 'feeds/saint-etienne/posts/p2/decision', { body: { action: 'hide' }, cookie });
    const shown = async () =>
      ((await (await s.app.request('/api/feeds/saint-etienne')).json()) as { posts: { id: string }[] }).posts.map(
        (p) => p.id,
      );

    const other = holdDatabase(s.store.file);
    let res: Response;
    try {
      res = await hide();
    } finally {
      other.release();
    }
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ error: { status: 503, message: BUSY_MESSAGE } });
    expect(await shown()).toEqual(['p2', 'p1']);

    expect((await hide()).status).toBe(200);
    expect(await shown()).toEqual(['p1']);
  });
});

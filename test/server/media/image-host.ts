/** A stand-in for X's image host, and a media proxy in front of it, for the media proxy's tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoryLogger } from '../../../server/log.js';
import { MediaProxy, type MediaProxyOptions } from '../../../server/media/media-proxy.js';
import { tempDir } from '../../helpers/config.js';

/** Known paths answer images, paths in `failing` answer 503, and every hit is counted. */
export async function startImageHost() {
  const hits: string[] = [];
  const failing = new Set<string>();
  const routes = new Map<string, { type: string; body: Buffer; delayMs?: number }>([
    ['/media/a.jpg?name=small', { type: 'image/jpeg', body: Buffer.from('JPEG-BYTES') }],
    ['/profile_images/1/x_400x400.png', { type: 'image/png', body: Buffer.from('PNG-BYTES') }],
    ['/page.html', { type: 'text/html', body: Buffer.from('<script>alert(1)</script>') }],
    ['/huge.jpg', { type: 'image/jpeg', body: Buffer.alloc(64 * 1024) }],
    ['/slow.jpg', { type: 'image/jpeg', body: Buffer.from('late'), delayMs: 500 }],
  ]);
  const server = http.createServer((req, res) => {
    hits.push(req.url!);
    if (failing.has(req.url!)) return void res.writeHead(503).end('busy');
    const route = routes.get(req.url!);
    if (!route) return void res.writeHead(404).end();
    setTimeout(() => res.writeHead(200, { 'content-type': route.type }).end(route.body), route.delayMs ?? 0);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    failing,
    /** Serves more JPEG images, each its path as bytes. */
    serve: (...paths: string[]) => {
      for (const p of paths) routes.set(p, { type: 'image/jpeg', body: Buffer.from(p) });
    },
    /** Serves one real image. */
    serveImage: (p: string, type: string, body: Buffer) => void routes.set(p, { type, body }),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A proxy on its own image host, showing every image. */
export async function proxyOnImageHost(
  cleanups: (() => Promise<void> | void)[],
  options: Partial<MediaProxyOptions> = {},
) {
  const host = await startImageHost();
  cleanups.push(host.close);
  const log = memoryLogger();
  const proxy = new MediaProxy({
    dir: tempDir(),
    log,
    upstream: () => host.base,
    isShown: () => true,
    isImageHost: (h) => h === 'pbs.twimg.com',
    ...options,
  });
  return { host, proxy, log };
}

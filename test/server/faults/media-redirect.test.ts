/** The image proxy is no open proxy: it follows no redirect, so an image host cannot send it to a private address. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../server/log.js';
import { MediaProxy } from '../../../server/media/media-proxy.js';
import { tempDir } from '../../helpers/config.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe('the image proxy and redirects', () => {
  it('follows no redirect of an image host, to a private address or anywhere', async () => {
    const hits: string[] = [];
    // Stands for an address inside the town's network (a router's page, a cloud's metadata service).
    const inside = await listen((req, res) => {
      hits.push(req.url!);
      res.writeHead(200, { 'content-type': 'image/png' }).end('SECRET-INSIDE');
    });
    const host = await listen((req, res) => {
      const status = req.url!.includes('301') ? 301 : req.url!.includes('307') ? 307 : 302;
      res.writeHead(status, { location: `${inside}/latest/meta-data.png` }).end();
    });
    const proxy = new MediaProxy({
      dir: tempDir(),
      log: memoryLogger(),
      upstream: () => host,
      isShown: () => true,
      isImageHost: (h) => h === 'pbs.twimg.com',
    });
    for (const path of ['/media/a302.jpg', '/media/a301.jpg', '/media/a307.jpg']) {
      const refused = await proxy.get('pbs.twimg.com', path).then(
        () => undefined,
        (err: { status: number }) => err,
      );
      expect(refused?.status).toBe(502);
    }
    expect(hits).toEqual([]);
  });
});

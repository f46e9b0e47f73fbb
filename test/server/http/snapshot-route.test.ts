import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSnapshot } from '../../../server/contract.js';
import { memoryLogger } from '../../../server/log.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { testConfig } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start() {
  const source = new ScriptedSource().posts([testPost(1), testPost(2)]);
  server = await startServer(testConfig(), {
    clock: new FakeClock(),
    log: memoryLogger(),
    sourceFor: () => source,
    startEngines: false,
  });
  await server.engines.get('saint-etienne')!.pollNow();
  return { url: `${server.url}/api/feeds/saint-etienne`, app: server.app };
}

describe('the snapshot over a real socket', () => {
  it('answers exactly as the Hono route does: same bytes, same ETag, same headers', async () => {
    const { url, app } = await start();
    for (const encoding of ['', 'gzip', 'br']) {
      const headers = encoding ? { 'accept-encoding': encoding } : undefined;
      const viaSocket = await fetch(url, { headers: { ...headers, 'accept-encoding': encoding || 'identity' } });
      const viaApp = await app.request('/api/feeds/saint-etienne', { headers });
      expect(viaSocket.status).toBe(200);
      expect(viaSocket.headers.get('etag')).toBe(viaApp.headers.get('etag'));
      for (const name of ['cache-control', 'access-control-allow-origin', 'vary', 'content-type']) {
        expect(viaSocket.headers.get(name), name).toBe(viaApp.headers.get(name));
      }
    }
  });

  it('answers 304 to If-None-Match, HEAD without a body, and unknown feeds with a JSON 404', async () => {
    const { url } = await start();
    const raw = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    const etag = raw.headers.get('etag')!;
    expect(raw.headers.get('content-encoding')).toBe('gzip');
    // fetch decompresses by itself.
    const body = (await raw.json()) as FeedSnapshot;
    expect(body.posts.map((p) => p.id)).toEqual(['p2', 'p1']);

    const again = await fetch(url, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('access-control-allow-origin')).toBe('*');

    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const unknown = await fetch(url.replace('saint-etienne', 'nowhere'));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toBe('unknown feed "nowhere"');
    const withQuery = await fetch(`${url}?t=1`);
    expect(withQuery.status).toBe(200);
    expect(withQuery.headers.get('etag')?.slice(0, 20)).toBe(etag.slice(0, 20));
  });
});

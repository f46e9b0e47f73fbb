/**
 * Floods while visitors watch: slow clients trickling their headers, and a brute force on the
 * organisers' login. Each is cut or refused, and the open event streams and the snapshot readers
 * keep being served meanwhile.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../server/log.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import type { ServerDeps } from '../../../server/services.js';
import { addOrganiser, TEST_PASSWORD } from '../../helpers/admin.js';
import { testConfig } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { rawConnect, type RawSocket } from '../../helpers/raw-http.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';
import { openSse, type SseConnection } from '../../helpers/sse-client.js';

/** Whole request 600 ms, headers 300 ms, checked every 50 ms. */
const SHORT: ServerDeps['http'] = { requestTimeoutMs: 600, headersTimeoutMs: 300, checkIntervalMs: 50 };
const FEED = 'saint-etienne';

let server: RunningServer | undefined;
const sockets: RawSocket[] = [];
const streams: SseConnection[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.close());
  streams.splice(0).forEach((s) => s.close());
  await server?.close();
  server = undefined;
});

/** A server on a fake clock; `http`: its time bounds on receiving requests (the real ones by default). */
async function start(http?: ServerDeps['http']) {
  const source = new ScriptedSource();
  const clock = new FakeClock();
  server = await startServer(testConfig(), {
    clock,
    log: memoryLogger(),
    sourceFor: () => source,
    startEngines: false,
    ...(http && { http }),
  });
  source.posts([testPost(1)]);
  await server.engines.get(FEED)!.pollNow();
  return { server, source, clock };
}

/** A viewer's snapshot read: its status. */
async function read(url: string): Promise<number> {
  const res = await fetch(`${url}/api/feeds/${FEED}`);
  await res.arrayBuffer();
  return res.status;
}

describe('slow clients and floods while visitors watch', () => {
  it('drops 200 clients trickling their headers within a bounded time, while open streams get every post', async () => {
    const { server, source } = await start(SHORT);
    const viewers = await Promise.all(
      Array.from({ length: 20 }, () => openSse(`${server.url}/api/feeds/${FEED}/events`)),
    );
    streams.push(...viewers);
    const slow = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const raw = await rawConnect(server.port, `127.0.1.${(i % 250) + 1}`);
        sockets.push(raw);
        raw.socket.write('GET /api/feeds HTTP/1.1\r\n');
        raw.trickle(`X-Slow: ${'a'.repeat(2000)}`, 50);
        return raw;
      }),
    );
    // Meanwhile a post arrives and snapshot readers come.
    source.posts([testPost(2)]);
    await server.engines.get(FEED)!.pollNow();
    expect(await Promise.all(Array.from({ length: 20 }, () => read(server.url)))).toEqual(Array(20).fill(200));
    // Every slow client is cut: headers are bounded at 300 ms, checked every 50 ms (generous margin for a busy CI).
    const closed = await Promise.all(slow.map((raw) => raw.closedWithin(10_000)));
    expect(Math.max(...closed.map((c) => c.afterMs))).toBeLessThan(10_000);
    expect(closed.every((c) => c.text.startsWith('HTTP/1.1 408'))).toBe(true);
    // The streams were not disturbed: each got the post, and is still open.
    await Promise.all(viewers.map((v) => v.waitFor((f) => f.event === 'post' && f.id === '2')));
    expect(server.delivery.hub.viewerCount).toBe(20);
  }, 30_000);

  it('holds the login throttle under a brute force of 300 parallel guesses, and viewers are served meanwhile', async () => {
    const { server } = await start();
    await addOrganiser(server.auth, 'admin', 'mona');
    const guess = (i: number) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ username: i % 2 ? 'mona' : 'MONA', password: `devine ${i}` });
        const req = http.request(
          `${server.url}/api/admin/login`,
          {
            method: 'POST',
            agent: false,
            localAddress: `127.0.2.${(i % 30) + 1}`,
            headers: {
              'content-type': 'application/json',
              origin: server.url,
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const attack = Promise.all(Array.from({ length: 300 }, (_, i) => guess(i)));
    const viewers = Promise.all(Array.from({ length: 50 }, () => read(server.url)));
    const [statuses, served] = await Promise.all([attack, viewers]);
    expect(served).toEqual(Array(50).fill(200));
    const checked = statuses.filter((s) => s === 401).length;
    const refused = statuses.filter((s) => s === 429).length;
    // Five failures are free; attempts still being checked count, so parallel guesses cannot slip through.
    expect(checked).toBeLessThanOrEqual(5);
    // Every guess is either checked or refused (the odd one out is named, if any).
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(checked + refused).toBe(300);
    // Even the right password waits now (the fake clock does not move).
    const res = await fetch(`${server.url}/api/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'mona', password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(429);
  }, 60_000);
});

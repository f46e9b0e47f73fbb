import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import type { Config } from '../../../server/config.js';
import type { Post } from '../../../server/contract.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { memoryLogger } from '../../../server/log.js';
import { testConfig } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';
import { openSse, type SseConnection } from '../../helpers/sse-client.js';

let running: RunningServer | undefined;
const connections: SseConnection[] = [];
afterEach(async () => {
  connections.splice(0).forEach((c) => c.close());
  await running?.close();
  running = undefined;
});

async function start(options: { maxViewers?: number; hub?: Record<string, number>; config?: Partial<Config> } = {}) {
  const source = new ScriptedSource();
  running = await startServer(testConfig({ maxViewers: options.maxViewers ?? 100, ...options.config }), {
    clock: new FakeClock(),
    log: memoryLogger(),
    sourceFor: () => source,
    startEngines: false,
    hub: options.hub,
  });
  const engine = running.engines.get('saint-etienne')!;
  const url = `${running.url}/api/feeds/saint-etienne/events`;
  const connect = async (headers: Record<string, string> = {}, query = '', from?: string) => {
    const c = await openSse(url + query, headers, from);
    connections.push(c);
    return c;
  };
  return { source, engine, url, connect, server: running };
}

const posts = (c: SseConnection) =>
  c.frames.filter((f) => f.event === 'post').map((f) => (JSON.parse(f.data!) as Post).id);

describe('GET /api/feeds/:id/events', () => {
  it('streams post events with ids, after the retry hint and the current status', async () => {
    const { source, engine, connect } = await start();
    const c = await connect();
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(c.headers['access-control-allow-origin']).toBe('*');
    await c.waitFor((f) => f.event === 'status');
    expect(c.frames[0]!.retry).toBe('3000');

    source.posts([testPost(1), testPost(2)]);
    await engine.pollNow();
    const got = await c.waitFor((f) => f.event === 'post', 2);
    expect(got.map((f) => f.id)).toEqual(['1', '2']);
    expect(JSON.parse(got[0]!.data!)).toEqual(testPost(1));
  });

  it('sends remove events, and status events when the feed turns stale and fresh', async () => {
    const { source, engine, connect } = await start();
    source.posts([testPost(1)]);
    await engine.pollNow();
    const c = await connect();
    source.push({ removals: ['p1'] }, new Error('X is down'), { posts: [] });
    await engine.pollNow();
    await engine.pollNow();
    await engine.pollNow();
    const removes = await c.waitFor((f) => f.event === 'remove');
    expect(JSON.parse(removes[0]!.data!)).toEqual({ id: 'p1' });
    const statuses = await c.waitFor((f) => f.event === 'status', 3);
    expect(statuses.map((f) => JSON.parse(f.data!).stale)).toEqual([false, true, false]);
  });

  it('replays what a reconnecting viewer missed after Last-Event-ID', async () => {
    const { source, engine, connect } = await start();
    source.posts([testPost(1), testPost(2), testPost(3), testPost(4)]);
    await engine.pollNow();
    const c = await connect({ 'last-event-id': '2' });
    await c.waitFor((f) => f.event === 'status');
    expect(posts(c)).toEqual(['p3', 'p4']);
    expect(c.frames.some((f) => f.event === 'reset')).toBe(false);

    // The snapshot's revision works the same way, for the first connection.
    const d = await connect({}, '?since=3');
    await d.waitFor((f) => f.event === 'status');
    expect(posts(d)).toEqual(['p4']);
  });

  it('tells a viewer that missed more than the buffer holds to fetch the snapshot again', async () => {
    const { source, engine, connect } = await start({ hub: { replaySize: 2 } });
    source.posts([testPost(1), testPost(2), testPost(3), testPost(4)]);
    await engine.pollNow();
    const c = await connect({ 'last-event-id': '1' });
    const reset = await c.waitFor((f) => f.event === 'reset');
    expect(reset[0]!.id).toBe('4');
    expect(posts(c)).toEqual([]);
    const future = await connect({ 'last-event-id': '99' });
    await future.waitFor((f) => f.event === 'reset');
  });

  it('sends heartbeat comments so that proxies keep the stream open', async () => {
    const { connect } = await start({ hub: { heartbeatMs: 50 } });
    const c = await connect();
    await c.waitFor((f) => f.comment === 'ping', 2);
  });

  it('answers 503 with Retry-After beyond the viewer cap, and admits again once a viewer leaves', async () => {
    const { connect, server } = await start({ maxViewers: 2 });
    const a = await connect();
    await connect();
    expect(await expectRefused(await connect())).toBe('too many viewers on this server, try again shortly');
    a.close();
    await a.closed;
    await waitUntil(() => server.delivery.hub.viewerCount === 1);
    const again = await connect();
    expect(again.status).toBe(200);
  });

  it('caps the viewers of one address, lets other addresses in, and admits again once one leaves', async () => {
    const { connect, server } = await start({ config: { maxViewersPerAddress: 2 } });
    const a = await connect();
    await connect({}, '', '127.0.0.1');
    expect(await expectRefused(await connect())).toBe('too many viewers from your network, try again shortly');
    // Another address, another share.
    expect((await connect({}, '', '127.0.0.2')).status).toBe(200);
    expect((await connect({}, '', '127.0.0.2')).status).toBe(200);
    await expectRefused(await connect({}, '', '127.0.0.2'));
    a.close();
    await waitUntil(() => server.delivery.hub.viewerCount === 3);
    expect((await connect()).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy is in front', async () => {
    const forged = (n: number) => ({ 'x-forwarded-for': `198.51.100.${n}` });
    const direct = await start({ config: { maxViewersPerAddress: 1 } });
    expect((await direct.connect(forged(1))).status).toBe(200);
    await expectRefused(await direct.connect(forged(2)));
    connections.splice(0).forEach((c) => c.close());
    await running?.close();

    const proxied = await start({ config: { maxViewersPerAddress: 1, trustProxy: 1 } });
    expect((await proxied.connect(forged(1))).status).toBe(200);
    expect((await proxied.connect(forged(2))).status).toBe(200);
    // What the client wrote before the address nginx appended is not believed.
    await expectRefused(await proxied.connect({ 'x-forwarded-for': '203.0.113.7, 198.51.100.1' }));
  });

  it('forgets viewers on every kind of disconnect', async () => {
    const { connect, server, url } = await start();
    const a = await connect();
    const b = await connect();
    await a.waitFor((f) => f.event === 'status');
    await b.waitFor((f) => f.event === 'status');
    expect(server.delivery.hub.viewerCount).toBe(2);
    a.close(); // clean close
    b.request.socket?.resetAndDestroy(); // abrupt RST
    await waitUntil(() => server.delivery.hub.viewerCount === 0);
    // A raw socket that sends the request and vanishes half-way.
    const raw = net.connect(Number(new URL(url).port), '127.0.0.1');
    raw.write(`GET ${new URL(url).pathname} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await waitUntil(() => server.delivery.hub.viewerCount === 1);
    raw.destroy();
    await waitUntil(() => server.delivery.hub.viewerCount === 0);
  });

  it('writes a broadcast in slices, every viewer getting every event once and in order', async () => {
    const { source, engine, connect, server } = await start({ hub: { sliceSize: 2 } });
    const viewers = await Promise.all(Array.from({ length: 5 }, () => connect()));
    await Promise.all(viewers.map((v) => v.waitFor((f) => f.event === 'status')));
    source.posts([testPost(1), testPost(2), testPost(3)]);
    const publishing = engine.pollNow();
    // A viewer arriving while the broadcast is under way, holding revision 0, gets each event exactly once.
    const late = await connect({}, '?since=0');
    await publishing;
    for (const v of [...viewers, late]) {
      await v.waitFor((f) => f.event === 'post', 3);
      await new Promise((r) => setTimeout(r, 50));
      expect(posts(v)).toEqual(['p1', 'p2', 'p3']);
    }
    expect(server.delivery.hub.viewerCount).toBe(6);
  });

  it('drops a viewer that stops reading once its unread bytes pass the bound', async () => {
    const { source, engine, url, server } = await start({ hub: { maxBufferedBytes: 64 * 1024 } });
    // A client that never reads: a raw socket with a tiny receive window that we pause.
    const raw = net.connect({ port: Number(new URL(url).port), host: '127.0.0.1' });
    await new Promise((r) => raw.once('connect', r));
    raw.pause();
    raw.write(`GET ${new URL(url).pathname} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await waitUntil(() => server.delivery.hub.viewerCount === 1);
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 300 && server.delivery.hub.droppedCount === 0; i++) {
      source.posts([testPost(100 + i, { text: big, entities: { hashtags: [], mentions: [], links: [] } })]);
      await engine.pollNow();
    }
    expect(server.delivery.hub.droppedCount).toBe(1);
    await waitUntil(() => server.delivery.hub.viewerCount === 0);
    raw.destroy();
  });
});

/** A viewer turned away: 503, a jittered Retry-After, a JSON message; returns the message. */
async function expectRefused(c: SseConnection): Promise<string> {
  expect(c.status).toBe(503);
  expect(Number(c.headers['retry-after'])).toBeGreaterThanOrEqual(10);
  expect(Number(c.headers['retry-after'])).toBeLessThan(30);
  expect(c.headers['content-type']).toMatch(/^application\/json/);
  expect(c.headers['access-control-allow-origin']).toBe('*');
  await c.closed;
  const body = JSON.parse(c.body) as { error: { status: number; message: string } };
  expect(body.error.status).toBe(503);
  return body.error.message;
}

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

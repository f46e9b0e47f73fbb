/**
 * Several instances in this process on a real Redis (`redis-server` on a free loopback port),
 * each with its own data folder, all reading one counting upstream.
 */
import { createClient } from 'redis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEYS } from '../../../server/cluster/redis.js';
import type { RunningServer } from '../../../server/server.js';
import {
  CountingUpstream,
  firstAdmin,
  leaderOf,
  snapshotOf as snapshot,
  startInstance,
} from '../../helpers/cluster.js';
import { redisFor, type TestRedis } from '../../helpers/redis-server.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { openSse, type SseConnection, type SseFrame } from '../../helpers/sse-client.js';

const FEED = 'saint-etienne';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const redis = (options: { aof?: boolean } = {}): Promise<TestRedis> => redisFor(cleanups, options);

async function instances(url: string, upstream: CountingUpstream, count: number, fatal: string[], leaseMs?: number) {
  const out: RunningServer[] = [];
  for (let i = 0; i < count; i++) {
    const server = await startInstance(url, upstream, `i${i}`, { fatal, leaseMs });
    cleanups.push(() => server.close());
    out.push(server);
  }
  return out;
}

async function viewer(server: RunningServer, headers: Record<string, string> = {}, query = ''): Promise<SseConnection> {
  const sse = await openSse(`${server.url}/api/feeds/${FEED}/events${query}`, headers);
  cleanups.push(() => sse.close());
  return sse;
}

const events = (sse: SseConnection, name: string) => sse.frames.filter((f) => f.event === name);
const postIds = (frames: SseFrame[]) => frames.map((f) => (JSON.parse(f.data!) as { id: string }).id);

describe('several instances through Redis', () => {
  it('three instances poll each source once at a time, and every viewer of every instance gets each post once, with the same ids', async () => {
    const r = await redis();
    const upstream = new CountingUpstream();
    const fatal: string[] = [];
    const servers = await instances(r.url, upstream, 3, fatal);
    const start = await snapshot(servers[0]!);
    const viewers = await Promise.all(
      servers.flatMap((s) => [viewer(s, {}, `?since=${start.revision}`), viewer(s, {}, `?since=${start.revision}`)]),
    );
    const before = upstream.polls.length;
    await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(before + 12), { timeout: 10_000 });
    const last = (await snapshot(servers[0]!)).revision;
    await Promise.all(viewers.map((v) => v.waitFor((f) => f.event === 'post' && Number(f.id) >= last)));

    expect(upstream.overlaps).toBe(0);
    expect(new Set(upstream.polls.map((p) => p.instance)).size).toBe(1);
    expect(leaderOf(servers)).toHaveLength(1);
    // Each poll started from the cursor the previous one stored: nothing was read twice.
    const cursors = upstream.polls.map((p) => Number(p.cursor ?? 0));
    expect(cursors).toEqual(cursors.map((_, i) => cursors[0]! + i));

    const reference = events(viewers[0]!, 'post').filter((f) => Number(f.id) <= last);
    expect(reference.length).toBeGreaterThanOrEqual(10);
    for (const v of viewers) {
      const posts = events(v, 'post').filter((f) => Number(f.id) <= last);
      expect(posts.map((f) => [f.id, f.data])).toEqual(reference.map((f) => [f.id, f.data]));
      expect(new Set(postIds(posts)).size).toBe(posts.length);
    }
    const snapshots = await Promise.all(servers.map(snapshot));
    expect(new Set(snapshots.map((s) => s.revision)).size).toBe(1);
    expect(fatal).toEqual([]);
  }, 30_000);

  it('an organiser signed in on one instance is signed in on all, and a decision taken on any reaches every viewer of every instance once', async () => {
    const r = await redis();
    const upstream = new CountingUpstream();
    const fatal: string[] = [];
    const servers = await instances(r.url, upstream, 3, fatal);
    await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    upstream.perPoll = 0;
    const followers = servers.filter((s) => !s.cluster!.leading);
    // Made through a follower: forwarded to the leader, committed, and known everywhere at once.
    const cookie = await firstAdmin(followers[0]!.url);
    for (const s of servers) {
      const res = await fetch(`${s.url}/api/admin/session`, { headers: { cookie } });
      expect(res.status, s.url).toBe(200);
    }
    const shown = (await snapshot(servers[0]!)).posts[0]!;
    const viewers = await Promise.all(servers.map((s) => viewer(s)));
    await Promise.all(viewers.map((v) => v.waitFor((f) => f.event === 'status')));

    const target = followers[1]!;
    const res = await fetch(`${target.url}/api/admin/feeds/${FEED}/posts/${shown.id}/decision`, {
      method: 'POST',
      headers: { cookie, origin: target.url, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'hide' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { item: { visibility: string } }).item.visibility).toBe('hidden');
    // Read-your-writes: the instance that answered already shows it.
    expect((await snapshot(target)).posts.map((p) => p.id)).not.toContain(shown.id);

    await Promise.all(viewers.map((v) => v.waitFor((f) => f.event === 'remove')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const removes = viewers.map((v) => events(v, 'remove').map((f) => [f.id, f.data]));
    expect(removes[0]).toEqual([[expect.any(String), JSON.stringify({ id: shown.id })]]);
    for (const list of removes) expect(list).toEqual(removes[0]);

    // The audit log of any instance has it.
    const audit = await fetch(`${servers[0]!.url}/api/admin/feeds/${FEED}/audit`, { headers: { cookie } });
    expect(((await audit.json()) as { entries: { action: string }[] }).entries.map((e) => e.action)).toContain('hide');
    expect(fatal).toEqual([]);
  }, 30_000);

  it('a viewer who reconnects to another instance with Last-Event-ID gets exactly what it missed', async () => {
    const r = await redis();
    const upstream = new CountingUpstream();
    const [a, b] = await instances(r.url, upstream, 2, []);
    const first = await viewer(a!, {}, `?since=${(await snapshot(a!)).revision}`);
    const seen = await first.waitFor((f) => f.event === 'post', 3);
    first.close();
    const lastId = Number(seen[2]!.id);
    const polled = upstream.polls.length;
    await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(polled + 5), { timeout: 10_000 });
    const moved = await viewer(b!, { 'last-event-id': String(lastId) });
    const caughtUp = (await moved.waitFor((f) => f.event === 'post', 4)).slice(0, 4);
    expect(events(moved, 'reset')).toEqual([]);
    expect(caughtUp.map((f) => Number(f.id))).toEqual([lastId + 1, lastId + 2, lastId + 3, lastId + 4]);
    const missed = postIds(caughtUp);
    expect(new Set([...postIds(seen), ...missed]).size).toBe(seen.length + missed.length);
  }, 30_000);

  it("the leader's shutdown hands polling over at once, from its cursor", async () => {
    const r = await redis();
    const upstream = new CountingUpstream();
    const fatal: string[] = [];
    const servers = await instances(r.url, upstream, 2, fatal);
    await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(4), { timeout: 10_000 });
    const [leader] = leaderOf(servers);
    const other = servers.find((s) => s !== leader)!;
    await leader!.close();
    const handedAt = upstream.polls.length;
    await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(handedAt + 4), { timeout: 5_000 });
    expect(other.cluster!.leading).toBe(true);
    const cursors = upstream.polls.map((p) => Number(p.cursor ?? 0));
    expect(cursors).toEqual(cursors.map((_, i) => cursors[0]! + i));
    expect(upstream.overlaps).toBe(0);
    const posts = (await snapshot(other)).posts.map((p) => p.id);
    expect(posts).toContain(`p${handedAt}`);
    expect(fatal).toEqual([]);
  }, 30_000);

  it('an instance away while the change log moved past it (trimmed) asks to be restarted, and starts again from Redis with every post', async () => {
    const r = await redis();
    const upstream = new CountingUpstream();
    const fatal: string[] = [];
    const [leader] = await instances(r.url, upstream, 1, fatal);
    const link = await startTcpProxy({ port: r.port });
    cleanups.push(() => link.close());
    const away = await startInstance(`redis://127.0.0.1:${link.port}`, upstream, 'away', { fatal });
    cleanups.push(() => away.close());
    link.cut();
    const polled = upstream.polls.length;
    await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(polled + 3), { timeout: 10_000 });
    // What Redis does once the log holds its capacity: the oldest entries go.
    const admin = createClient({ url: r.url });
    await admin.connect();
    cleanups.push(() => admin.destroy());
    await admin.sendCommand(['XTRIM', KEYS.log, 'MAXLEN', '1']);
    link.heal();
    await vi.waitFor(() => expect(fatal).toEqual([expect.stringContaining('away: the change log moved on')]), {
      timeout: 10_000,
    });
    expect((await fetch(`${away.url}/api/ready`)).status).toBe(503);

    // Restarted (by its supervisor): it starts from Redis's copy of the tables, which are whole.
    const restarted = await startInstance(r.url, upstream, 'restarted', { fatal });
    cleanups.push(() => restarted.close());
    const want = await snapshot(leader!);
    await vi.waitFor(async () => expect((await snapshot(restarted)).revision).toBeGreaterThanOrEqual(want.revision));
    const ids = (await snapshot(restarted)).posts.map((p) => p.id);
    for (const p of want.posts) expect(ids).toContain(p.id);
    expect(fatal).toHaveLength(1);
  }, 30_000);

  it('with Redis away every instance serves its last snapshot flagged stale and nobody polls; after a restart nothing committed is lost', async () => {
    const r = await redis({ aof: true });
    const upstream = new CountingUpstream();
    const fatal: string[] = [];
    // A lease longer than the outage: the leader still holds it when Redis is back.
    const servers = await instances(r.url, upstream, 2, fatal, 10_000);
    await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(5), { timeout: 10_000 });
    const viewers = await Promise.all(servers.map((s) => viewer(s)));
    await r.stop();
    const committed = await Promise.all(servers.map(snapshot));
    await vi.waitFor(
      async () => {
        for (const s of servers) expect((await snapshot(s)).stale).toBe(true);
      },
      { timeout: 8_000, interval: 200 },
    );
    // The leader's lease ran out on its own clock: nobody polls while Redis is away.
    const during = upstream.polls.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(upstream.polls.length).toBe(during);
    for (const [i, s] of servers.entries()) expect((await snapshot(s)).posts).toEqual(committed[i]!.posts);
    await Promise.all(viewers.map((v) => v.waitFor((f) => f.event === 'status' && f.data!.includes('"stale":true'))));

    await r.start();
    await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(during + 3), { timeout: 15_000 });
    await vi.waitFor(
      async () => {
        const after = await Promise.all(servers.map(snapshot));
        expect(after.map((s) => s.stale)).toEqual([false, false]);
        expect(after[0]!.revision).toBe(after[1]!.revision);
        for (const [i, s] of after.entries()) {
          const ids = s.posts.map((p) => p.id);
          for (const p of committed[i]!.posts) expect(ids).toContain(p.id);
          expect(s.revision).toBeGreaterThan(committed[i]!.revision);
        }
      },
      { timeout: 20_000, interval: 200 },
    );
    // The poll made as Redis went away was committed when it came back: nothing was read twice.
    const cursors = upstream.polls.map((p) => Number(p.cursor ?? 0));
    expect(cursors).toEqual(cursors.map((_, i) => cursors[0]! + i));
    expect(upstream.overlaps).toBe(0);
    expect(fatal).toEqual([]);
  }, 40_000);
});

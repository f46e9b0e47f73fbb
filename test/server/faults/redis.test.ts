/**
 * Redis faults of a cluster (REDIS_URL): two instances in this process on a real Redis, with a
 * short lease. Redis is stopped past the lease and restarted; or each instance reaches it through
 * a TCP proxy that the test breaks like a network, cut (connections reset) or blackholed (nothing
 * answers, nothing closes), then heals.
 */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../../server/server.js';
import { CountingUpstream, firstAdmin, leaderOf, snapshotOf, startInstance } from '../../helpers/cluster.js';
import { redisFor, type TestRedis } from '../../helpers/redis-server.js';
import { openSse, type SseConnection } from '../../helpers/sse-client.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';

const FEED = 'saint-etienne';
const LEASE_MS = 2_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const redis = (options: { aof?: boolean } = {}): Promise<TestRedis> => redisFor(cleanups, options);

/** How each instance was started: where it reaches Redis, its name, where it says it must restart. */
const started = new Map<RunningServer, { url: string; name: string; fatal: string[] }>();

async function instance(url: string, upstream: CountingUpstream, name: string, fatal: string[], dataDir?: string) {
  const server = await startInstance(url, upstream, name, { fatal, leaseMs: LEASE_MS, dataDir });
  started.set(server, { url, name, fatal });
  cleanups.push(() => server.close());
  return server;
}

/**
 * What a supervisor does for `main.ts`, which exits when its instance says it must start again
 * from Redis: a new instance on the same data folder, in its place in `servers`. Resolves with
 * the places restarted and the reasons given.
 */
async function restartThoseWhoAsked(servers: RunningServer[], upstream: CountingUpstream) {
  const places: number[] = [];
  const reasons: string[] = [];
  for (const [i, server] of servers.entries()) {
    const { url, name, fatal } = started.get(server)!;
    const asked = fatal.filter((f) => f.startsWith(`${name}: `));
    if (asked.length === 0) continue;
    reasons.push(...asked.map((f) => f.slice(name.length + 2)));
    fatal.splice(0, fatal.length, ...fatal.filter((f) => !asked.includes(f)));
    await server.close();
    servers[i] = await instance(url, upstream, name, fatal, path.dirname(server.store.file));
    places.push(i);
  }
  return { places, reasons };
}

/**
 * The restart an instance may ask for after an outage past its lease: it had written what Redis never
 * took (a poll or its state, under a lease that ran out meanwhile), so its file is no one's truth.
 */
const REFUSED = 'this instance wrote what the cluster refused';

/** Viewers of every instance, from one revision on. */
async function viewers(servers: RunningServer[]): Promise<SseConnection[]> {
  const since = (await snapshotOf(servers[0]!)).revision;
  return Promise.all(servers.map((s) => viewer(s, since)));
}

async function viewer(server: RunningServer, since: number): Promise<SseConnection> {
  const sse = await openSse(`${server.url}/api/feeds/${FEED}/events?since=${since}`);
  cleanups.push(() => sse.close());
  return sse;
}

function decide(server: RunningServer, cookie: string, postId: string): Promise<Response> {
  return fetch(`${server.url}/api/admin/feeds/${FEED}/posts/${postId}/decision`, {
    method: 'POST',
    headers: { cookie, origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'hide' }),
  });
}

/**
 * A decision that must be taken: made again while answered 503, as the console does. On this
 * shared machine a short lease may change hands without any fault; a write caught by it is
 * answered 503, never acknowledged and then lost.
 */
async function decided(server: RunningServer, cookie: string, postId: string): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await decide(server, cookie, postId);
    if (res.status !== 503 || attempt === 3) return res;
    await sleep(500);
  }
}

async function admin(server: RunningServer): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await firstAdmin(server.url);
    } catch (err) {
      if (!(err as Error).message.includes('503') || attempt === 3) throw err;
      await sleep(500);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const number = (id: string) => Number(id.slice(1));
const ids = (server: RunningServer) => snapshotOf(server).then((s) => s.posts.map((p) => p.id));

/**
 * Once the wall stands still: every viewer got the same posts and removals with the same ids,
 * none twice, and the posts read, shown or hidden, run without a gap (none lost, none read twice).
 */
async function nothingLostNorRepeated(
  upstream: CountingUpstream,
  servers: RunningServer[],
  viewers: SseConnection[],
  hidden: string[],
) {
  upstream.perPoll = 0;
  await sleep(500);
  const last = (await snapshotOf(servers[0]!)).revision;
  await vi.waitFor(async () => {
    for (const s of servers) expect((await snapshotOf(s)).revision).toBe(last);
  });
  const seen = (v: SseConnection) =>
    v.frames.filter((f) => (f.event === 'post' || f.event === 'remove') && Number(f.id) <= last);
  await Promise.all(viewers.map((v) => v.waitFor((f) => Number(f.id) >= last)));
  const reference = seen(viewers[0]!).map((f) => [f.id, f.event, f.data]);
  for (const v of viewers) {
    expect(seen(v).map((f) => [f.id, f.event, f.data])).toEqual(reference);
    const posts = seen(v).filter((f) => f.event === 'post');
    expect(new Set(posts.map((f) => f.data)).size).toBe(posts.length);
  }
  const shown = await ids(servers[0]!);
  for (const id of hidden) expect(shown).not.toContain(id);
  const all = [...shown, ...hidden].map(number).sort((x, y) => x - y);
  expect(all).toEqual(all.map((_, i) => all[0]! + i));
}

/**
 * Each instance reaches Redis through a proxy of its own; the leader's is broken `how`, then healed.
 */
async function partitionTheLeader(how: 'cut' | 'blackhole'): Promise<void> {
  const r = await redis();
  const upstream = new CountingUpstream();
  const fatal: string[] = [];
  const proxies = await Promise.all([0, 1].map(() => startTcpProxy({ port: r.port })));
  const servers: RunningServer[] = [];
  for (const [i, proxy] of proxies.entries()) {
    cleanups.push(() => proxy.close());
    servers.push(await instance(proxy.url, upstream, `i${i}`, fatal));
  }
  // A test that fails mid-partition heals it first: an instance closes once its last batch is committed.
  cleanups.push(() => proxies.forEach((p) => p.heal()));
  await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
  await vi.waitFor(() => expect(leaderOf(servers)).toHaveLength(1), { timeout: 3 * LEASE_MS });
  const a = leaderOf(servers)[0]!;
  const b = servers.find((s) => s !== a)!;
  const proxy = proxies[servers.indexOf(a)]!;
  const [aName, bName] = [`i${servers.indexOf(a)}`, `i${servers.indexOf(b)}`];
  const cookie = await admin(b);
  const hidden = [(await ids(b))[0]!];
  expect((await decided(b, cookie, hidden[0]!)).status).toBe(200);
  const watching = await viewers([a, b]);

  const brokenAt = Date.now();
  proxy[how]();
  // The other instance takes over once the lease has run out in Redis.
  await vi.waitFor(() => expect(b.cluster!.leading).toBe(true), { timeout: 3 * LEASE_MS, interval: 20 });
  // The partitioned one says the wall is stale, and has not polled since its lease ran out on its clock.
  await vi.waitFor(async () => expect((await snapshotOf(a)).stale).toBe(true), { timeout: 10_000, interval: 100 });
  expect(upstream.polls.filter((p) => p.instance === aName && p.at > brokenAt + LEASE_MS)).toEqual([]);
  expect(upstream.polls.filter((p) => p.instance === bName).length).toBeGreaterThan(0);
  // Decisions: taken on the healthy side; refused (never acknowledged then lost) on the partitioned one.
  hidden.push((await ids(b))[0]!);
  expect((await decided(b, cookie, hidden[1]!)).status).toBe(200);
  const onA = (await ids(a)).find((id) => !hidden.includes(id))!;
  const refused = await decide(a, cookie, onA);
  expect(refused.status).toBe(503);
  expect(((await refused.json()) as { error: { status: number } }).error.status).toBe(503);

  proxy.heal();
  // It learns that it lost the lease; having written what Redis never took, it may ask to restart.
  const ai = servers.indexOf(a);
  await vi.waitFor(() => expect(a.cluster!.leading).toBe(false), { timeout: 10_000, interval: 50 });
  await sleep(LEASE_MS);
  const { places, reasons } = await restartThoseWhoAsked(servers, upstream);
  expect(places.filter((i) => i !== ai)).toEqual([]);
  expect(reasons.filter((r) => r !== REFUSED)).toEqual([]);
  const rejoined = servers[ai]!;
  await vi.waitFor(
    async () => {
      const [sa, sb] = [await snapshotOf(rejoined), await snapshotOf(b)];
      expect(sa.stale).toBe(false);
      expect(sa.revision).toBe(sb.revision);
      expect(rejoined.cluster!.leading).toBe(false);
    },
    { timeout: 10_000, interval: 100 },
  );
  // Rejoined: its writes reach the leader again.
  expect((await decided(rejoined, cookie, onA)).status).toBe(200);
  hidden.push(onA);
  await nothingLostNorRepeated(upstream, servers, places.includes(ai) ? [watching[1]!] : watching, hidden);
  expect(leaderOf(servers)).toEqual([b]);
  expect(upstream.overlaps).toBe(0);
  expect(fatal).toEqual([]);
}

/** Two instances reaching Redis directly, polling; a post hidden by an organiser through the follower. */
async function twoInstancesAndADecision(r: TestRedis) {
  const upstream = new CountingUpstream();
  const fatal: string[] = [];
  const servers = [await instance(r.url, upstream, 'a', fatal), await instance(r.url, upstream, 'b', fatal)];
  await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
  await vi.waitFor(() => expect(leaderOf(servers)).toHaveLength(1), { timeout: 3 * LEASE_MS });
  const follower = servers.find((s) => !s.cluster!.leading)!;
  const cookie = await admin(follower);
  const hidden = [(await ids(follower))[0]!];
  expect((await decided(follower, cookie, hidden[0]!)).status).toBe(200);
  return { upstream, fatal, servers, hidden };
}

describe('Redis faults', () => {
  it('Redis stopped longer than the lease: every instance serves its last snapshot flagged stale and nobody polls; restarted, nothing committed is lost and one leader polls', async () => {
    const r = await redis({ aof: true });
    const { upstream, fatal, servers, hidden } = await twoInstancesAndADecision(r);
    const watching = await viewers(servers);

    await r.stop();
    const stoppedAt = Date.now();
    const committed = await Promise.all(servers.map(snapshotOf));
    await vi.waitFor(
      async () => {
        for (const s of servers) expect((await snapshotOf(s)).stale).toBe(true);
      },
      { timeout: 8_000, interval: 100 },
    );
    await sleep(Math.max(0, stoppedAt + 2 * LEASE_MS - Date.now()));
    expect(upstream.polls.filter((p) => p.at > stoppedAt + LEASE_MS)).toEqual([]);
    for (const [i, s] of servers.entries()) expect((await snapshotOf(s)).posts).toEqual(committed[i]!.posts);

    await r.start();
    const restartedAt = Date.now();
    // One instance polls again; an old leader that had written what Redis never took may ask to restart.
    await vi.waitFor(() => expect(upstream.polls.filter((p) => p.at > restartedAt).length).toBeGreaterThanOrEqual(3), {
      timeout: 10_000,
    });
    await sleep(LEASE_MS);
    const { places, reasons } = await restartThoseWhoAsked(servers, upstream);
    expect(reasons.filter((reason) => reason !== REFUSED)).toEqual([]);
    await vi.waitFor(
      async () => {
        for (const s of servers) expect((await snapshotOf(s)).stale).toBe(false);
        expect(leaderOf(servers)).toHaveLength(1);
      },
      { timeout: 10_000, interval: 100 },
    );
    const after = upstream.polls.filter((p) => p.at > restartedAt);
    expect(new Set(after.map((p) => p.instance)).size).toBe(1);
    for (const s of servers) {
      const shown = await ids(s);
      for (const p of committed[0]!.posts) expect(shown).toContain(p.id);
    }
    await nothingLostNorRepeated(
      upstream,
      servers,
      watching.filter((_, i) => !places.includes(i)),
      hidden,
    );
    expect(upstream.overlaps).toBe(0);
    expect(fatal).toEqual([]);
  }, 40_000);

  it('Redis restarted empty (no persistence): every instance asks to start again, the first copies its file into Redis, and nothing committed is lost', async () => {
    const r = await redis();
    const { upstream, fatal, servers, hidden } = await twoInstancesAndADecision(r);
    await vi.waitFor(async () =>
      expect((await snapshotOf(servers[0]!)).posts.map((p) => p.id)).not.toContain(hidden[0]),
    );

    await r.stop();
    const committed = await Promise.all(servers.map(snapshotOf));
    await r.start();
    // Neither takes an empty Redis for the truth: each asks to start again from a copy (the old
    // leader may find out first that Redis refused its last write).
    await vi.waitFor(() => expect(fatal).toHaveLength(2), { timeout: 10_000, interval: 50 });
    for (const f of fatal) expect(['Redis lost the shared tables', REFUSED]).toContain(f.slice(3));
    const polled = upstream.polls.length;
    const { places } = await restartThoseWhoAsked(servers, upstream);
    expect(places).toEqual([0, 1]);
    await vi.waitFor(() => expect(upstream.polls.length).toBeGreaterThanOrEqual(polled + 3), { timeout: 10_000 });
    expect(leaderOf(servers)).toHaveLength(1);
    for (const s of servers) {
      const shown = await ids(s);
      for (const p of committed[0]!.posts) expect(shown).toContain(p.id);
      expect(shown).not.toContain(hidden[0]);
    }
    // Polling went on from the cursor the files held: nothing read twice.
    const cursors = upstream.polls.map((p) => Number(p.cursor ?? 0));
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(fatal).toEqual([]);
  }, 40_000);

  it('the network between the leader and Redis cut: another instance polls within the lease, the cut one serves stale and refuses writes, then rejoins with no post or decision lost or repeated', async () => {
    await partitionTheLeader('cut');
  }, 40_000);

  it('the network between the leader and Redis blackholed (nothing answers, nothing closes): another instance polls within the lease, the silent one serves stale and refuses writes, then rejoins on a fresh connection with no post or decision lost or repeated', async () => {
    await partitionTheLeader('blackhole');
  }, 40_000);
});

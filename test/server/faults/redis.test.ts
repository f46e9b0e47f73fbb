/**
 * Redis faults of a cluster (REDIS_URL): two instances in this process on a real Redis, with a
 * short lease, each reaching it through a TCP proxy that the test breaks like a network: here
 * blackholed (nothing answers, nothing closes), then healed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../../server/server.js';
import { CountingUpstream, firstAdmin, leaderOf, snapshotOf, startInstance } from '../../helpers/cluster.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { openSse, type SseConnection } from '../../helpers/sse-client.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';

const FEED = 'saint-etienne';
const LEASE_MS = 1_200;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function redis(): Promise<TestRedis> {
  const r = await startRedis();
  cleanups.push(() => r.stop());
  return r;
}

async function instance(url: string, upstream: CountingUpstream, name: string, fatal: string[]) {
  const server = await startInstance(url, upstream, name, { fatal, leaseMs: LEASE_MS });
  cleanups.push(() => server.close());
  return server;
}

async function viewer(server: RunningServer): Promise<SseConnection> {
  const sse = await openSse(`${server.url}/api/feeds/${FEED}/events?since=${(await snapshotOf(server)).revision}`);
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
  for (const s of servers) expect((await snapshotOf(s)).revision).toBe(last);
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
async function partitionTheLeader(how: 'blackhole'): Promise<void> {
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
  const cookie = await firstAdmin(b.url);
  const hidden = [(await ids(b))[0]!];
  expect((await decide(b, cookie, hidden[0]!)).status).toBe(200);
  const viewers = [await viewer(a), await viewer(b)];

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
  expect((await decide(b, cookie, hidden[1]!)).status).toBe(200);
  const onA = (await ids(a)).find((id) => !hidden.includes(id))!;
  const refused = await decide(a, cookie, onA);
  expect(refused.status).toBe(503);
  expect(((await refused.json()) as { error: { status: number } }).error.status).toBe(503);

  proxy.heal();
  await vi.waitFor(
    async () => {
      const [sa, sb] = [await snapshotOf(a), await snapshotOf(b)];
      expect(sa.stale).toBe(false);
      expect(sa.revision).toBe(sb.revision);
      expect(a.cluster!.leading).toBe(false);
    },
    { timeout: 10_000, interval: 100 },
  );
  // Rejoined: its writes reach the leader again.
  expect((await decide(a, cookie, onA)).status).toBe(200);
  hidden.push(onA);
  await nothingLostNorRepeated(upstream, [a, b], viewers, hidden);
  expect(leaderOf(servers)).toEqual([b]);
  expect(upstream.overlaps).toBe(0);
  expect(fatal).toEqual([]);
}

describe('Redis faults', () => {
  it('the network between the leader and Redis blackholed (nothing answers, nothing closes): another instance polls within the lease, the silent one serves stale and refuses writes, then rejoins on a fresh connection with no post or decision lost or repeated', async () => {
    await partitionTheLeader('blackhole');
  }, 40_000);
});

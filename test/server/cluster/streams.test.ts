/**
 * A live stream (here Mastodon's streaming API, on the fake instance) runs on the leader only: a
 * leader that loses its lease stops it at once, a push that reaches it after that is neither
 * committed nor shown, and the next leader streams and reads what was missed from the committed
 * cursor. Two instances in this process on a real Redis, with a short lease.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { feedSchema } from '../../../server/config.js';
import { memoryLogger } from '../../../server/log.js';
import type { FeedSnapshot } from '../../../server/contract.js';
import type { RunningServer } from '../../../server/server.js';
import { startFakeMastodon, type FakeMastodon } from '../../fake-mastodon/fake-mastodon-server.js';
import { fakeAccount, fakeStatus, mastodonIdAt } from '../../fake-mastodon/statuses.js';
import { startInstance } from '../../helpers/cluster.js';
import { startRedis } from '../../helpers/redis-server.js';
import { openSse, type SseConnection } from '../../helpers/sse-client.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';

const FEED = 'saint-etienne';
const TOKEN = 'mastodon-token-for-the-cluster-0123456789';
/** Trusted for 1.6 s after each renewal (sent every 666 ms); gone from Redis 2 s after it. */
const LEASE_MS = 2_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

let seq = 0;

async function setup() {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const mastodon = await startFakeMastodon({ token: TOKEN });
  cleanups.push(() => mastodon.close());
  const town = mastodon.addAccount(fakeAccount({ username: 'ville' }));
  mastodon.streaming.followed.add(town.id);
  mastodon.addStatus(fakeStatus({ account: town, text: 'Programme du samedi', id: mastodonIdAt(Date.now(), seq++) }));
  const feed = feedSchema.parse({
    id: FEED,
    title: 'Fête du livre',
    hashtags: ['FeteDuLivre'],
    sources: [{ network: 'mastodon', instance: mastodon.baseUrl, accounts: ['ville@ville.social'] }],
  });
  const fatal: string[] = [];
  const logs = new Map<RunningServer, string[]>();
  const start = async (url: string, name: string) => {
    const log = memoryLogger();
    const server = await startInstance(url, null, name, {
      log,
      fatal,
      leaseMs: LEASE_MS,
      config: { feeds: [feed], mastodon: { tokens: { [mastodon.host]: TOKEN } } },
    });
    cleanups.push(() => server.close());
    logs.set(server, log.lines);
    return server;
  };
  const publish = (text: string) =>
    mastodon.publish(fakeStatus({ account: town, text, id: mastodonIdAt(Date.now(), seq++) })).id;
  /** What an instance sent to Redis and Redis refused: a write made under a lease it no longer held. */
  const refused = (server: RunningServer) => logs.get(server)!.filter((l) => l.includes('cluster.write_fenced'));
  return { redis, mastodon, fatal, start, publish, refused };
}

async function viewer(server: RunningServer): Promise<SseConnection> {
  const { revision } = (await (await fetch(`${server.url}/api/feeds/${FEED}`)).json()) as FeedSnapshot;
  const sse = await openSse(`${server.url}/api/feeds/${FEED}/events?since=${revision}`);
  cleanups.push(() => sse.close());
  return sse;
}

const shown = (sse: SseConnection, mastodon: FakeMastodon, id: string) =>
  sse.frames.filter((f) => f.event === 'post' && f.data!.includes(`"mastodon:${mastodon.host}:${id}"`));

/** The two instances, the one that leads first (waiting for one to lead). */
async function leaderFirst(servers: RunningServer[]): Promise<[RunningServer, RunningServer]> {
  await vi.waitFor(() => expect(servers.filter((s) => s.cluster!.leading)).toHaveLength(1), { timeout: 10_000 });
  const leader = servers.find((s) => s.cluster!.leading)!;
  return [leader, servers.find((s) => s !== leader)!];
}

/** Waits until `id` reached every viewer, then a little more: each must have had it exactly once. */
async function shownOnceEverywhere(viewers: SseConnection[], mastodon: FakeMastodon, id: string) {
  for (const v of viewers) await v.waitFor(() => shown(v, mastodon, id).length > 0, 1, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const v of viewers) expect(shown(v, mastodon, id)).toHaveLength(1);
}

describe('live streams on a cluster', () => {
  it('a leader cut off from Redis closes its stream once its lease runs out on its own clock, the next leader streams, and each push is shown once', async () => {
    const c = await setup();
    // Each instance reaches Redis through a link the test can cut.
    const links = await Promise.all([startTcpProxy({ port: c.redis.port }), startTcpProxy({ port: c.redis.port })]);
    cleanups.push(() => Promise.all(links.map((l) => l.close())).then(() => {}));
    const servers = [
      await c.start(`redis://127.0.0.1:${links[0]!.port}`, 'a'),
      await c.start(`redis://127.0.0.1:${links[1]!.port}`, 'b'),
    ];
    const [a, b] = await leaderFirst(servers);
    const link = links[servers.indexOf(a)]!;
    await c.mastodon.streaming.waitForClients(1, 1);
    const viewers = await Promise.all([viewer(a), viewer(b)]);

    const cutAt = Date.now();
    link.cut();
    await vi.waitFor(() => expect(b.cluster!.leading).toBe(true), { timeout: 5_000, interval: 20 });
    expect(a.cluster!.leading).toBe(false);
    // One stream, the new leader's: the old one was closed without waiting for Redis to answer.
    await c.mastodon.streaming.waitForClients(1, 1);
    expect(Date.now() - cutAt).toBeLessThan(5_000);

    const id = c.publish('En direct du stand #FeteDuLivre');
    await viewers[1]!.waitFor(() => shown(viewers[1]!, c.mastodon, id).length > 0, 1, 5_000);
    // Back on Redis, the old leader follows: its viewers catch up from the log, and it wrote nothing the cluster refused.
    link.heal();
    await shownOnceEverywhere(viewers, c.mastodon, id);
    expect(c.refused(a)).toEqual([]);
    expect(c.fatal).toEqual([]);
  }, 30_000);

  it('a leader paused past its lease drops the push it reads on waking, and the next leader shows it once from the committed cursor', async () => {
    const c = await setup();
    const [a, b] = await leaderFirst([await c.start(c.redis.url, 'a'), await c.start(c.redis.url, 'b')]);
    await c.mastodon.streaming.waitForClients(1, 1);
    const viewers = await Promise.all([viewer(a), viewer(b)]);

    // Pushed to the leader's socket, then the whole process stops past the lease (as SIGSTOP
    // would): on waking, the leader reads the push from its socket after its lease ran out.
    const id = c.publish('Pendant la pause #FeteDuLivre');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LEASE_MS + 500);

    await shownOnceEverywhere(viewers, c.mastodon, id);
    // Read again by the poll of whoever leads now, from the cursor committed before the pause.
    await vi.waitFor(() => expect([a, b].filter((s) => s.cluster!.leading)).toHaveLength(1));
    await c.mastodon.streaming.waitForClients(1, 1);
    // The push read on waking was not even written: nothing went to Redis under the lost lease.
    expect(c.refused(a)).toEqual([]);
    expect(c.fatal).toEqual([]);
  }, 30_000);
});

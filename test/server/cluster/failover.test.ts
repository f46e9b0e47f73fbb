/**
 * Fail-over between real processes (`node dist/server/main.js`, as an operator starts
 * them) on a real Redis, reading the fake X over HTTP: the leader killed (SIGKILL), or paused
 * (SIGSTOP) past its lease and then resumed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeTweet, startFakeX, type FakeX } from '../../fake-x/fake-x-server.js';
import { tempDir } from '../../helpers/config.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { startProcess, type StartedProcess } from '../../helpers/server-process.js';
import { openSse, type SseConnection } from '../../helpers/sse-client.js';

const FEED = 'saint-etienne';
const LEASE_MS = 2_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

interface Cluster {
  redis: TestRedis;
  x: FakeX;
  start(): Promise<StartedProcess>;
  tweet(text: string): void;
}

async function cluster(): Promise<Cluster> {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const token = 'jeton-de-test-pour-le-faux-x-0123456789';
  const x = await startFakeX({ token });
  cleanups.push(() => x.close());
  const town = x.addUser({ username: 'saint_etienne_', name: 'Ville de Saint-Étienne' });
  const tweet = (text: string) => {
    const { tweet, media } = fakeTweet({ author: town, text, createdAt: new Date(Date.now() - 1_000).toISOString() });
    x.addTweet(tweet, media);
  };
  tweet('Ouverture de la #FeteDuLivre ce matin');
  const file = path.join(tempDir(), 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      feeds: [
        {
          id: FEED,
          title: 'Fête du livre',
          source: 'x',
          accounts: ['saint_etienne_'],
          hashtags: ['FeteDuLivre'],
          pollSeconds: 1,
        },
      ],
    }),
  );
  const env = {
    REDIS_URL: redis.url,
    REDIS_LEASE_MS: String(LEASE_MS),
    X_BEARER_TOKEN: token,
    X_API_BASE_URL: x.baseUrl,
    COMMUNE_FEED_CONFIG: file,
  };
  return {
    redis,
    x,
    tweet,
    start: async () => {
      const started = await startProcess({ env });
      cleanups.push(() => {
        started.child.kill('SIGCONT');
        started.child.kill('SIGKILL');
      });
      return started;
    },
  };
}

async function role(p: StartedProcess): Promise<string> {
  return ((await (await fetch(`${p.url}/api/ready`)).json()) as { role: string }).role;
}

async function viewer(p: StartedProcess): Promise<SseConnection> {
  const snapshot = (await (await fetch(`${p.url}/api/feeds/${FEED}`)).json()) as { revision: number };
  const sse = await openSse(`${p.url}/api/feeds/${FEED}/events?since=${snapshot.revision}`);
  cleanups.push(() => sse.close());
  return sse;
}

const searches = (x: FakeX) => x.callsTo('search/recent');

/** The shortest time between two searches: one poller at a time keeps it near its cadence. */
function shortestGap(x: FakeX, after = 0): number {
  const at = searches(x)
    .map((c) => c.at)
    .filter((t) => t >= after);
  return Math.min(...at.slice(1).map((t, i) => t - at[i]!));
}

const postsWith = (sse: SseConnection, text: string) =>
  sse.frames.filter((f) => f.event === 'post' && f.data!.includes(text));

const queryOf = (call: { query: Record<string, string> }) => JSON.stringify(call.query);

/** Waits for the searches to resume after `count` of them; resolves with the instance that leads then. */
async function takenOver(x: FakeX, count: number, candidates: StartedProcess[]): Promise<StartedProcess> {
  await vi.waitFor(() => expect(searches(x).length).toBeGreaterThan(count), { timeout: LEASE_MS + 8_000 });
  const roles = await Promise.all(candidates.map(role));
  expect(roles.filter((r) => r === 'leader')).toHaveLength(1);
  return candidates[roles.indexOf('leader')]!;
}

describe('fail-over between processes', () => {
  it('the polling process paused (SIGSTOP) past its lease, then killed (SIGKILL): another takes over within seconds from its cursors, nobody polls twice, every viewer gets each post once', async () => {
    const c = await cluster();
    const all = await Promise.all([c.start(), c.start(), c.start()]);
    await vi.waitFor(() => expect(searches(c.x).length).toBeGreaterThanOrEqual(2), { timeout: 60_000 });
    const roles = await Promise.all(all.map(role));
    expect(roles.filter((r) => r === 'leader')).toHaveLength(1);
    const first = all[roles.indexOf('leader')]!;
    const viewers = new Map(await Promise.all(all.map(async (p) => [p, await viewer(p)] as const)));

    // Paused past its lease: another one takes over.
    first.child.kill('SIGSTOP');
    const second = await takenOver(
      c.x,
      searches(c.x).length,
      all.filter((p) => p !== first),
    );
    c.tweet('Le tram 3 est dévié jusqu’à 18 h #FeteDuLivre');
    for (const p of all.filter((p) => p !== first))
      await viewers.get(p)!.waitFor((f) => f.event === 'post' && f.data!.includes('tram 3'), 1, 10_000);

    // Resumed: it learns it lost the lease, polls no more, and its viewers catch up from the log.
    const resumedAt = Date.now();
    first.child.kill('SIGCONT');
    await vi.waitFor(() => expect(first.stderr()).toContain('cluster.leader_lost'), { timeout: 5_000 });
    await viewers.get(first)!.waitFor((f) => f.event === 'post' && f.data!.includes('tram 3'), 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    // Two pollers would show as searches a fraction of the cadence apart.
    expect(shortestGap(c.x, resumedAt - 1_000)).toBeGreaterThan(500);
    expect(await role(first)).toBe('follower');
    expect(await role(second)).toBe('leader');

    // Killed: another one takes over within seconds, from the cursor the dead one committed.
    const lastBefore = searches(c.x).at(-1)!;
    const count = searches(c.x).length;
    second.child.kill('SIGKILL');
    const killedAt = Date.now();
    const survivors = all.filter((p) => p !== second);
    await takenOver(c.x, count, survivors);
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + 5_000);
    expect(queryOf(searches(c.x)[count]!)).toBe(queryOf(lastBefore));
    c.tweet('Remise du prix des lecteurs à 16 h #FeteDuLivre');
    for (const p of survivors)
      await viewers.get(p)!.waitFor((f) => f.event === 'post' && f.data!.includes('prix des lecteurs'), 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    for (const p of survivors) {
      expect(postsWith(viewers.get(p)!, 'tram 3')).toHaveLength(1);
      expect(postsWith(viewers.get(p)!, 'prix des lecteurs')).toHaveLength(1);
    }
    // The account was resolved once, by the first leader: the others read it from the shared state.
    expect(c.x.callsTo('users/by/username')).toHaveLength(1);
    expect(shortestGap(c.x)).toBeGreaterThan(500);
  }, 150_000);
});

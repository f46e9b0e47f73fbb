import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSnapshot } from '../../server/contract.js';
import { feedSchema } from '../../server/config.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { fakeTweet, startFakeX, type FakeX } from '../fake-x/fake-x-server.js';
import { testConfig } from '../helpers/config.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { openSse, type SseConnection } from '../helpers/sse-client.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** A real server reading the fake X through the real client, with `readers` visitors during two polls. */
async function callsToXWith(readers: number): Promise<{ calls: string[]; posts: number }> {
  const clock = new FakeClock(Date.parse('2026-10-10T10:00:00Z'));
  const x: FakeX = await startFakeX({ now: () => clock.now() });
  cleanups.push(() => x.close());
  const town = x.addUser({ username: 'saint_etienne_', name: 'Ville de Saint-Étienne' });
  const resident = x.addUser({ username: 'lecteur42', name: 'Un lecteur' });
  const add = (author: typeof town, text: string) => {
    const { tweet, media } = fakeTweet({ author, text, createdAt: new Date(clock.now() - 60_000).toISOString() });
    x.addTweet(tweet, media);
  };
  add(town, 'Ouverture de la #FeteDuLivre ce matin 📚');
  add(resident, 'Déjà la queue aux dédicaces #FeteDuLivre');

  const feed = feedSchema.parse({
    id: 'saint-etienne',
    title: 'Fête du livre',
    source: 'x',
    accounts: ['saint_etienne_'],
    hashtags: ['FeteDuLivre'],
  });
  const config = testConfig({ feeds: [feed], x: { bearerToken: 'test-token', baseUrl: x.baseUrl } });
  const server: RunningServer = await startServer(config, { clock, log: memoryLogger(), startEngines: false });
  cleanups.push(() => server.close());
  const engine = server.engines.get('saint-etienne')!;

  await engine.pollNow();
  const streams: SseConnection[] = [];
  const visit = async () => {
    const res = await fetch(`${server.url}/api/feeds/saint-etienne`);
    const snapshot = (await res.json()) as FeedSnapshot;
    const sse = await openSse(`${server.url}/api/feeds/saint-etienne/events?since=${snapshot.revision}`);
    streams.push(sse);
    return snapshot.posts.length;
  };
  const first = (await (await fetch(`${server.url}/api/feeds/saint-etienne`)).json()) as FeedSnapshot;
  // Visitors load X's images from this server, never from X.
  expect(first.posts.every((p) => p.author.avatarUrl.startsWith('/media/pbs.twimg.com/'))).toBe(true);
  const before = x.calls.length;
  const counts = await Promise.all(Array.from({ length: readers }, visit));
  expect(x.calls.length, 'visitors caused calls to X').toBe(before);

  add(town, 'Remise du prix des lecteurs à 16 h #FeteDuLivre');
  await engine.pollNow();
  await Promise.all(streams.map((s) => s.waitFor((f) => f.event === 'post')));
  cleanups.push(() => streams.forEach((s) => s.close()));
  return { calls: x.calls.map((c) => `${c.method} ${c.endpoint}`), posts: Math.min(...counts) };
}

describe('visitors never cause calls to X', () => {
  it('1 and 1,000 concurrent readers of a feed lead to the same calls to X', async () => {
    const one = await callsToXWith(1);
    const many = await callsToXWith(1000);
    expect(one.posts).toBe(2);
    expect(many.posts).toBe(2);
    expect(many.calls).toEqual(one.calls);
    expect(one.calls.length).toBeGreaterThan(0);
  }, 60_000);
});

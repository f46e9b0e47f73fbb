/**
 * The X source inside the real feed engine and SQLite store, against the fake X API:
 * what the lead's wiring relies on (cursor and state persisted with the posts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedSchema } from '../../../../server/config.js';
import { FeedEngine } from '../../../../server/engine/feed-engine.js';
import { memoryLogger } from '../../../../server/log.js';
import { Store } from '../../../../server/store/store.js';
import type { FeedChange } from '../../../../server/store/store.js';
import type { Config } from '../../../../server/config.js';
import { networkPolicy } from '../../../../server/sources/index.js';
import { createXSource, type XSourceOptions } from '../../../../server/sources/x/x-source.js';
import { fakeTweet, startFakeX } from '../../../fake-x/fake-x-server.js';
import type { FakeX } from '../../../fake-x/fake-x-server.js';
import { testConfig } from '../../../helpers/config.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const TOKEN = 'engine-test-token';
const MIN = 60_000;
const feed = feedSchema.parse({
  id: 'fete',
  title: 'Fête',
  source: 'x',
  accounts: ['saint_etienne_'],
  hashtags: ['FeteDuLivre'],
});

let fake: FakeX;
let clock: FakeClock;
let store: Store;
const engines: FeedEngine[] = [];

beforeEach(async () => {
  clock = new FakeClock(Date.parse('2026-10-10T08:00:00Z'));
  fake = await startFakeX({ token: TOKEN, now: () => clock.now() });
  store = new Store({ location: ':memory:' });
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  store.close();
  await fake.close();
});

/** An engine as server.ts builds one (one shared-state instance for all X feeds, X's network policy). */
function engine(
  sharedState = store.sourceState('x'),
  settings = feed,
  options: { x?: Config['x']; source?: Partial<XSourceOptions>; random?: () => number } = {},
) {
  const changes: FeedChange[] = [];
  const log = memoryLogger();
  const config = testConfig({ x: { bearerToken: TOKEN, baseUrl: fake.baseUrl, ...options.x } });
  const source = createXSource(
    {
      feed: settings,
      source: settings.sources[0]!,
      state: store.sourceState(`${settings.id}:x`),
      sharedState,
      clock,
      log,
      displayedIds: () => store.recentIds(settings.id, 100),
    },
    { bearerToken: TOKEN, baseUrl: fake.baseUrl, ...options.source },
  );
  const e = new FeedEngine({
    feed: settings,
    sourceFor: () => source,
    policyFor: (entry, f) => networkPolicy(entry, f, config),
    store,
    clock,
    log,
    random: options.random,
    onChanges: (c) => changes.push(...c),
    onStatus: () => {},
  });
  engines.push(e);
  return { engine: e, changes, log };
}

/** Waits (on the real clock) until `done`, while the engine's own timers poll the fake X over HTTP. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 5_000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Moves the fake clock by `ms` and lets the poll it starts reach the fake X. */
async function step(ms: number): Promise<void> {
  const before = fake.calls.length;
  await clock.advance(ms);
  await until(() => fake.calls.length > before);
  await clock.advance(0);
}

describe('X source in the feed engine', () => {
  it('stores posts and the cursor together, and reads nothing twice after a restart', async () => {
    const town = fake.addUser({ username: 'saint_etienne_' });
    const a = fakeTweet({ author: town, text: 'Bienvenue #FeteDuLivre' }).tweet;
    fake.addTweet(a);

    const first = engine();
    await first.engine.pollNow();
    expect(store.recentPosts(feed.id, 10).map((p) => p.id)).toEqual([a.id]);
    await first.engine.stop();
    const callsBefore = fake.calls.length;

    const b = fakeTweet({ author: town, text: 'Programme #FeteDuLivre' }).tweet;
    fake.addTweet(b);
    const second = engine(store.sourceState('x'));
    await second.engine.pollNow();
    expect(store.recentPosts(feed.id, 10).map((p) => p.id)).toEqual([b.id, a.id]);
    expect(second.changes.map((c) => (c.kind === 'post' ? c.post.id : c.kind))).toEqual([b.id]);
    const after = fake.calls.slice(callsBefore);
    expect(after.some((c) => c.endpoint === 'users/by/username')).toBe(false);
    expect(after.every((c) => c.endpoint === 'tweets' || c.query.since_id === a.id)).toBe(true);
    await second.engine.stop();
  });

  it('waits the whole 30 days of a rate-limit reset X announces, then reads again', async () => {
    fake.addUser({ username: 'saint_etienne_' });
    fake.fault('*', { kind: 'rate-limit', resetInSeconds: 30 * 86_400 });
    const { engine: e } = engine();
    e.start();
    await clock.advance(0);
    await e.pollNow();
    const calls = fake.calls.length;
    expect(e.health()[0]).toMatchObject({ details: { state: 'rate-limited' } });
    await clock.advance(30 * 86_400_000);
    expect(fake.calls.length).toBe(calls);
    await clock.advance(1_000);
    // The engine's own timer polls now (real HTTP to the fake: wait for it without polling by hand).
    await until(() => e.health()[0]!.consecutiveFailures === 0);
    expect(fake.calls.length).toBeGreaterThan(calls);
    expect(e.health()[0]).toMatchObject({ lastError: null, consecutiveFailures: 0 });
    await e.stop();
  });

  it('removes a deleted post from the store at the compliance re-check', async () => {
    const town = fake.addUser({ username: 'saint_etienne_' });
    const a = fakeTweet({ author: town, text: 'Bientôt supprimé #FeteDuLivre' }).tweet;
    fake.addTweet(a);
    const { engine: e } = engine();
    await e.pollNow();
    expect(store.recentIds(feed.id, 10)).toEqual([a.id]);
    fake.state.deleted.add(a.id);
    await clock.advance(24 * 3_600_000);
    await e.pollNow();
    expect(store.recentIds(feed.id, 10)).toEqual([]);
    await e.stop();
  });

  it("polls fast inside the event window, slow outside, on X's intervals, waking at its start", async () => {
    fake.addUser({ username: 'saint_etienne_' });
    const T0 = clock.now();
    const eventWindow = {
      start: new Date(T0 + 5 * MIN).toISOString(),
      end: new Date(T0 + 8 * MIN + 30_000).toISOString(),
    };
    const { engine: e } = engine(
      undefined,
      { ...feed, eventWindow },
      { x: { fastPollSeconds: 60, slowPollSeconds: 600 } },
    );
    e.start();
    await step(0);
    for (const ms of [5 * MIN, MIN, MIN, MIN, MIN, 10 * MIN]) await step(ms);
    const searches = fake.callsTo('search/recent').map((c) => (c.at - T0) / MIN);
    expect(searches).toEqual([0, 5, 6, 7, 8, 9, 19]);
  });

  it('never polls below the rate-limit floor that all X feeds share, whatever pollSeconds asks', async () => {
    // The legacy Basic tier allows 60 searches per 15 minutes: 5 queries (20 long hashtags) → 75 s.
    fake.state.limits['search/recent'] = 60;
    const many = Array.from({ length: 20 }, (_, i) => `Tag${i}${'x'.repeat(94)}`);
    const settings = feedSchema.parse({ id: 'many', title: 'Many', source: 'x', hashtags: many, pollSeconds: 10 });
    const { engine: e } = engine(undefined, settings);
    e.start();
    await step(0);
    const T0 = fake.calls[0]!.at;
    await clock.advance(74_000);
    expect(fake.callsTo('search/recent')).toHaveLength(5);
    await step(1_000);
    expect(fake.callsTo('search/recent').at(-1)!.at - T0).toBe(75_000);
  });

  it("backs off on X's own policy after 503s: 30 s doubling, with jitter", async () => {
    fake.addUser({ username: 'saint_etienne_' });
    fake.fault('*', { kind: 'unavailable' }, 12);
    const { engine: e } = engine(undefined, feed, { random: () => 1 });
    e.start();
    await step(0);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const wait = Date.parse(e.health()[0]!.nextPollAt!) - clock.now();
      waits.push(wait);
      await step(wait);
    }
    expect(waits).toEqual([30_000, 60_000, 120_000]);
    expect(e.health()[0]).toMatchObject({ details: { state: 'unavailable' }, stale: true });
  });

  it('polls again within recheckHours even when pollSeconds and the budget pace ask for longer', async () => {
    fake.addUser({ username: 'saint_etienne_' });
    const month = new Date(clock.now()).toISOString().slice(0, 7);
    store.sourceState('x').set('monthlyReads', { month, posts: 950, users: 0 });
    const settings = { ...feed, pollSeconds: 86_400 };
    const { engine: e } = engine(undefined, settings, { source: { recheckHours: 6, monthlyPostBudget: 1000 } });
    e.start();
    await step(0);
    expect(Date.parse(e.health()[0]!.nextPollAt!) - clock.now()).toBe(6 * 3_600_000 - 60_000);
  });
});

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
import { createXSource } from '../../../../server/sources/x/x-source.js';
import { fakeTweet, startFakeX } from '../../../fake-x/fake-x-server.js';
import type { FakeX } from '../../../fake-x/fake-x-server.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const TOKEN = 'engine-test-token';
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

beforeEach(async () => {
  clock = new FakeClock(Date.parse('2026-10-10T08:00:00Z'));
  fake = await startFakeX({ token: TOKEN, now: () => clock.now() });
  store = new Store({ location: ':memory:' });
});
afterEach(async () => {
  store.close();
  await fake.close();
});

/** An engine as server.ts builds one (one shared-state instance for all X feeds). */
function engine(sharedState = store.sourceState('x')) {
  const changes: FeedChange[] = [];
  const log = memoryLogger();
  const source = createXSource(
    {
      feed,
      state: store.sourceState(`${feed.id}:x`),
      sharedState,
      clock,
      log,
      displayedIds: () => store.recentIds(feed.id, 100),
    },
    { bearerToken: TOKEN, baseUrl: fake.baseUrl },
  );
  const e = new FeedEngine({
    feed,
    sourceFor: () => source,
    store,
    clock,
    log,
    onChanges: (c) => changes.push(...c),
    onStatus: () => {},
  });
  return { engine: e, changes, log };
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
    for (let waited = 0; e.health()[0]!.consecutiveFailures > 0 && waited < 5_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
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
});

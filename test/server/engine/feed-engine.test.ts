import { afterEach, describe, expect, it } from 'vitest';
import type { FeedStatus } from '../../../server/contract.js';
import { ENGINE_BACKOFF, FeedEngine } from '../../../server/engine/feed-engine.js';
import type { FeedSettings, FeedSource } from '../../../server/feeds/settings.js';
import { backoffMs } from '../../../server/pacing/backoff.js';
import { memoryLogger } from '../../../server/log.js';
import { SourceError, type NetworkPolicy, type PollIntervals } from '../../../server/sources/source.js';
import { Store, type FeedChange } from '../../../server/store/store.js';
import { testFeed } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';

const engines: FeedEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

const MIN = 60_000;
/** A network polled every 10 s by default, every minute in an event window, every 15 minutes outside. */
const INTERVALS: PollIntervals = { fastMs: MIN, slowMs: 15 * MIN, defaultMs: 10_000, backoff: ENGINE_BACKOFF };

interface SetupOptions {
  feed?: Record<string, unknown>;
  policy?: Partial<NetworkPolicy>;
  sources?: Record<string, ScriptedSource>;
  random?: () => number;
}

function setup(options: SetupOptions = {}, store = new Store({ location: ':memory:' })) {
  const clock = new FakeClock();
  const source = new ScriptedSource();
  const sources: Record<string, ScriptedSource> = options.sources ?? { demo: source };
  const log = memoryLogger();
  const changes: FeedChange[][] = [];
  const statuses: FeedStatus[] = [];
  const made: FeedSource[] = [];
  const engine = new FeedEngine({
    feed: testFeed(options.feed),
    sourceFor: (entry) => {
      made.push(entry);
      return sources[entry.network]!;
    },
    policyFor: () => ({ intervals: INTERVALS, imageHosts: [], ...options.policy }),
    store,
    clock,
    log,
    random: options.random,
    onChanges: (c) => changes.push(c),
    onStatus: (s) => statuses.push(s),
  });
  engines.push(engine);
  /** The times (ms after the start) at which the source was polled. */
  const times: number[] = [];
  const start = clock.now();
  const poll = source.poll.bind(source);
  source.poll = (cursor) => {
    times.push(clock.now() - start);
    return poll(cursor);
  };
  return { clock, source, log, changes, statuses, engine, store, times, made };
}

describe('FeedEngine', () => {
  it("polls on its network's schedule, handing back the stored cursor", async () => {
    const { clock, source, engine, times } = setup();
    source.push({ posts: [testPost(1)], cursor: 'a' }, { cursor: 'b' });
    engine.start();
    await clock.advance(0);
    await clock.advance(9_999);
    expect(source.polls).toBe(1);
    await clock.advance(1);
    expect(times).toEqual([0, 10_000]);
    expect(source.cursorsSeen).toEqual([null, 'a']);
  });

  it('hands delivery only what changed', async () => {
    const { source, engine, changes } = setup();
    source
      .posts([testPost(1)])
      .posts([testPost(1)])
      .push({ removals: ['p1'] });
    await engine.pollNow();
    await engine.pollNow();
    await engine.pollNow();
    expect(changes).toEqual([
      [{ kind: 'post', revision: 1, post: testPost(1) }],
      [{ kind: 'remove', revision: 2, id: 'p1' }],
    ]);
  });

  it('keeps the last good posts, turns stale on failure and fresh on recovery', async () => {
    const { source, engine, statuses, store } = setup();
    source.posts([testPost(1)]);
    await engine.pollNow();
    expect(statuses.map((s) => s.stale)).toEqual([false]);
    source.push(new SourceError('X answered 503'));
    await engine.pollNow();
    expect(engine.status().stale).toBe(true);
    expect(store.recentPosts('saint-etienne', 10).map((p) => p.id)).toEqual(['p1']);
    source.push({});
    await engine.pollNow();
    expect(statuses.map((s) => s.stale)).toEqual([false, true, false]);
  });

  it('retries at the time a source names, and otherwise with growing backoff', async () => {
    const { clock, source, engine } = setup();
    source.push(new SourceError('rate limited', { state: 'rate-limited', notBefore: clock.now() + MIN }));
    engine.start();
    await clock.advance(0);
    await clock.advance(MIN - 1);
    expect(source.polls).toBe(1);
    source.push(new Error('boom'), new Error('boom'));
    await clock.advance(1);
    expect(source.polls).toBe(2);
    const first = Date.parse(engine.health()[0]!.nextPollAt!) - clock.now();
    await clock.advance(first);
    const second = Date.parse(engine.health()[0]!.nextPollAt!) - clock.now();
    expect(source.polls).toBe(3);
    expect(second).toBeGreaterThan(first / 2);
    expect(second).toBeLessThanOrEqual(backoffMs(3, ENGINE_BACKOFF, () => 1));
  });

  it("backs off on the network's own policy, with jitter", async () => {
    const backoff = { baseMs: 30_000, capMs: 15 * MIN };
    const jitter = [0, 0.99, 0.5, 0.25];
    let i = 0;
    const { clock, source, engine } = setup({
      policy: { intervals: { ...INTERVALS, backoff } },
      random: () => jitter[i++ % jitter.length]!,
    });
    source.push(...Array.from({ length: 4 }, () => new SourceError('X answered 503')));
    engine.start();
    await clock.advance(0);
    const delays: number[] = [];
    for (let n = 0; n < 4; n++) {
      const delay = Date.parse(engine.health()[0]!.nextPollAt!) - clock.now();
      delays.push(delay);
      await clock.advance(delay);
    }
    // Steps of 30 s, 60 s, 120 s, 240 s, each jittered within [step/2, step].
    expect(delays).toEqual([15_000, 59_700, 90_000, 150_000]);
    expect(engine.health()[0]).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });

  it('logs one line per distinct failure, not one per poll', async () => {
    const { source, engine, log } = setup();
    source.push(new Error('401 Unauthorized'), new Error('401 Unauthorized'), new Error('401 Unauthorized'));
    await engine.pollNow();
    await engine.pollNow();
    await engine.pollNow();
    expect(log.lines.filter((l) => l.includes('feed.poll_failed'))).toHaveLength(1);
    expect(engine.health()[0]!.consecutiveFailures).toBe(3);
  });

  it('turns stale when no poll succeeds for too long, even while a poll hangs', async () => {
    const { clock, source, engine } = setup();
    source.push({});
    engine.start();
    await clock.advance(0);
    expect(engine.status().stale).toBe(false);
    source.gate = new Promise(() => {}); // the next poll never answers
    await clock.advance(119_000);
    expect(engine.status().stale).toBe(false);
    await clock.advance(2_000);
    expect(engine.status().stale).toBe(true);
  });

  it('abandons a poll that takes longer than the poll timeout', async () => {
    const { clock, source, engine } = setup();
    source.gate = new Promise(() => {});
    engine.start();
    await clock.advance(120_000);
    expect(engine.health('operator')[0]!.lastError?.message).toMatch(/timed out/);
  });
});

describe('FeedEngine schedule', () => {
  const T0 = Date.parse('2026-10-10T10:00:00Z');

  it('polls fast inside the event window, slow outside it, and wakes up at its start', async () => {
    const eventWindow = {
      start: new Date(T0 + 20 * MIN).toISOString(),
      end: new Date(T0 + 23 * MIN).toISOString(),
    };
    const { clock, engine, times } = setup({ feed: { eventWindow } });
    engine.start();
    await clock.advance(60 * MIN);
    expect(times.map((t) => t / MIN)).toEqual([0, 15, 20, 21, 22, 23, 24, 39, 54]);
  });

  it('polls every pollSeconds, whatever the window and the network say', async () => {
    const eventWindow = { start: new Date(T0).toISOString(), end: new Date(T0 + 60 * MIN).toISOString() };
    const { clock, engine, times } = setup({ feed: { eventWindow, pollSeconds: 25 } });
    engine.start();
    await clock.advance(100_000);
    expect(times).toEqual([0, 25_000, 50_000, 75_000, 100_000]);
  });

  it('counts each interval from when the poll was due, so that a slow poll does not push the next ones back', async () => {
    const { clock, source, engine, times } = setup({ feed: { pollSeconds: 30 } });
    engine.start();
    await clock.advance(0);
    let answer!: () => void;
    source.gate = new Promise((resolve) => (answer = resolve));
    await clock.advance(30_000);
    await clock.advance(4_000); // the second poll takes 4 s
    source.gate = undefined;
    answer();
    await clock.advance(26_000);
    expect(times).toEqual([0, 30_000, 60_000]);
  });

  it('applies a new event window or pollSeconds at once, counted from the last poll', async () => {
    const { clock, engine, times, made } = setup({ feed: { pollSeconds: 3_600 } });
    engine.start();
    await clock.advance(10 * MIN);
    engine.reconfigure(testFeed({ pollSeconds: 3_000 }));
    await clock.advance(0);
    expect(times).toEqual([0]);
    expect(engine.health()[0]!.nextPollAt).toBe(new Date(T0 + 50 * MIN).toISOString());
    // Overdue under the new interval: at once, then at the new pace.
    engine.reconfigure(testFeed({ pollSeconds: 300 }));
    await clock.advance(20 * MIN);
    expect(times.map((t) => t / MIN)).toEqual([0, 10, 15, 20, 25, 30]);
    // The schedule is the engine's: the source was not made again for it.
    expect(made).toHaveLength(1);
  });

  it('respects what the source reports: its rate-limit floor, budget pace, deadline and not-before', async () => {
    const { clock, source, engine, times } = setup({ feed: { pollSeconds: 60 } });
    source.push(
      { pacing: { minIntervalMs: 90_000 } },
      { pacing: { minIntervalMs: 90_000, slowdown: 2 } },
      { pacing: { slowdown: 10, pollBy: T0 + 10 * MIN } },
      { pacing: { notBefore: T0 + 60 * MIN, pollBy: T0 + 20 * MIN } },
    );
    engine.start();
    await clock.advance(70 * MIN);
    expect(times.slice(0, 5).map((t) => t / 1000)).toEqual([0, 90, 270, 600, 3_600]);
  });

  it('stores what a partly failed poll brought, stays fresh, and waits as after a failure', async () => {
    const { clock, source, engine, store, log } = setup({ feed: { pollSeconds: 60 } });
    source.push({
      posts: [testPost(1)],
      partialFailure: new SourceError('search answered 503'),
    });
    engine.start();
    await clock.advance(0);
    expect(store.recentPosts('saint-etienne', 10).map((p) => p.id)).toEqual(['p1']);
    expect(engine.status().stale).toBe(false);
    expect(engine.health('operator')[0]).toMatchObject({
      consecutiveFailures: 1,
      lastError: { state: 'unavailable', message: 'search answered 503' },
    });
    expect(log.lines.some((l) => l.includes('feed.poll_failed'))).toBe(true);
    // The backoff (5 s to 10 min) is shorter than a minute here: the regular interval holds.
    expect(Date.parse(engine.health()[0]!.nextPollAt!) - clock.now()).toBe(MIN);

    source.push({ partialFailure: new SourceError('usage cap', { notBefore: T0 + MIN + 3_600_000 }) });
    await clock.advance(MIN);
    expect(Date.parse(engine.health()[0]!.nextPollAt!) - clock.now()).toBe(3_600_000);
    source.push({});
    await clock.advance(3_600_000);
    expect(engine.health()[0]).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });
});

describe('FeedEngine ingest', () => {
  const photo = (url: string) => ({ kind: 'photo' as const, url, previewUrl: url, alt: '', width: 1, height: 1 });

  it("rewrites images on the network's hosts to this server's /media/ where posts enter the store", async () => {
    const { source, engine, store } = setup({ policy: { imageHosts: ['images.example'] } });
    const author = { ...testPost(1).author, avatarUrl: 'https://images.example/a.png' };
    source.posts([
      testPost(1, {
        author,
        media: [photo('https://images.example/m/1.jpg'), photo('https://elsewhere.example/2.jpg')],
      }),
    ]);
    await engine.pollNow();
    const [stored] = store.recentPosts('saint-etienne', 10);
    expect(stored!.author.avatarUrl).toBe('/media/images.example/a.png');
    expect(stored!.media.map((m) => m.url)).toEqual([
      '/media/images.example/m/1.jpg',
      'https://elsewhere.example/2.jpg',
    ]);
  });

  it('keeps one cursor per source of the feed', async () => {
    const x = new ScriptedSource().push({ cursor: 'x-1' });
    const demo = new ScriptedSource().push({ cursor: 'demo-1' });
    const sources: FeedSettings['sources'] = [
      { network: 'x', accounts: ['saint_etienne_'] },
      { network: 'demo', accounts: [] },
    ];
    const { engine, store } = setup({
      feed: { source: undefined, accounts: undefined, sources },
      sources: { x, demo },
    });
    await engine.pollNow();
    expect([store.cursor('saint-etienne', 'x'), store.cursor('saint-etienne', 'demo')]).toEqual(['x-1', 'demo-1']);
    await engine.pollNow();
    expect([x.cursorsSeen, demo.cursorsSeen]).toEqual([
      [null, 'x-1'],
      [null, 'demo-1'],
    ]);
  });
});

describe('FeedEngine logging', () => {
  it('stays quiet about a failure the source has already logged with its own hint', async () => {
    const { clock, source, engine, log } = setup();
    source.push(
      new SourceError('HTTP 401', { state: 'misconfigured', notBefore: clock.now() + 900_000, reported: true }),
    );
    await engine.pollNow();
    expect(log.lines.filter((l) => l.includes('feed.poll_failed'))).toEqual([]);
    expect(engine.health('operator')[0]!.lastError?.message).toBe('HTTP 401');
    expect(engine.status().stale).toBe(true);
  });
});

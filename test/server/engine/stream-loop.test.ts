/** A source that can push, in the feed engine: pushes stored at once, polling as a backfill while live. */
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_BACKOFF, FeedEngine } from '../../../server/engine/feed-engine.js';
import { memoryLogger } from '../../../server/log.js';
import type { PollIntervals } from '../../../server/sources/source.js';
import { Store, type FeedChange } from '../../../server/store/store.js';
import { testFeed } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { StreamingSource } from '../../helpers/scripted-source.js';

const MIN = 60_000;
/** Polled every 10 s, and every 15 minutes as a backfill while the stream is live. */
const INTERVALS: PollIntervals = { fastMs: MIN, slowMs: 15 * MIN, defaultMs: 10_000, backoff: ENGINE_BACKOFF };

const engines: FeedEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

function setup(feed: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const store = new Store({ location: ':memory:' });
  let source = new StreamingSource();
  const changes: FeedChange[] = [];
  const log = memoryLogger();
  const engine = new FeedEngine({
    feed: testFeed(feed),
    sourceFor: () => source,
    policyFor: () => ({ intervals: INTERVALS, imageHosts: ['images.example'] }),
    store,
    clock,
    log,
    random: () => 1,
    onChanges: (c) => changes.push(...c),
    onStatus: () => {},
  });
  engines.push(engine);
  const ids = () => store.recentPosts('saint-etienne', 100).map((p) => p.id);
  return {
    clock,
    engine,
    store,
    log,
    changes,
    ids,
    get source() {
      return source;
    },
    /** The source the engine makes next (settings changed). */
    next(s: StreamingSource) {
      source = s;
    },
  };
}

describe('a streaming source in the engine', () => {
  it('stores pushed posts at once, between polls, with their images proxied and the cursor given', async () => {
    const s = setup();
    s.engine.start();
    await s.clock.advance(0);
    expect(s.source.polls).toBe(1);
    s.source.connect();
    const photo = 'https://images.example/p.jpg';
    s.source.pushPosts(
      [testPost(7, { media: [{ kind: 'photo', url: photo, previewUrl: photo, alt: '', width: 1, height: 1 }] })],
      [],
      'c-7',
    );
    expect(s.ids()).toEqual(['p7']);
    expect(s.changes.map((c) => c.kind)).toEqual(['post']);
    expect(s.store.recentPosts('saint-etienne', 1)[0]!.media[0]!.url).toBe('/media/images.example/p.jpg');
    expect(s.store.cursor('saint-etienne', 'demo')).toBe('c-7');
    expect(s.source.polls).toBe(1);
    // Removals pushed without a cursor keep the stored one.
    s.source.pushPosts([], ['p7']);
    expect(s.ids()).toEqual([]);
    expect(s.store.cursor('saint-etienne', 'demo')).toBe('c-7');
  });

  it('hands a stream the cursor stored last, so that it resumes where it stopped after a restart', async () => {
    const s = setup();
    s.engine.start();
    await s.clock.advance(0);
    expect(s.source.sink!.cursor()).toBeNull();
    s.source.connect().pushPosts([testPost(4)], [], 'jetstream-us-1700000000000000');
    await s.engine.stop();
    const restarted = new StreamingSource();
    const again = new FeedEngine({
      feed: testFeed(),
      sourceFor: () => restarted,
      policyFor: () => ({ intervals: INTERVALS, imageHosts: [] }),
      store: s.store,
      clock: s.clock,
      log: s.log,
      onChanges: () => {},
      onStatus: () => {},
    });
    engines.push(again);
    again.start();
    expect(restarted.sink!.cursor()).toBe('jetstream-us-1700000000000000');
  });

  it('polls only as a slow backfill while the stream is live, and at once, then at its pace, when it drops', async () => {
    const s = setup();
    s.engine.start();
    await s.clock.advance(0);
    s.source.connect();
    expect(s.engine.health()[0]).toMatchObject({ live: true });
    await s.clock.advance(14 * MIN);
    expect(s.source.polls).toBe(1);
    await s.clock.advance(MIN);
    expect(s.source.polls).toBe(2); // the backfill, 15 minutes after the first poll

    await s.clock.advance(2 * MIN);
    s.source.drop();
    await s.clock.advance(0);
    expect(s.source.polls).toBe(3); // at once
    expect(s.engine.health()[0]).toMatchObject({ live: false });
    await s.clock.advance(20_000);
    expect(s.source.polls).toBe(5); // every 10 s again
    s.source.connect(); // the stream reconnected by itself
    await s.clock.advance(10 * MIN);
    expect(s.source.polls).toBe(5);
  });

  it('keeps the feed fresh while the stream is live, even when polls fail', async () => {
    const s = setup();
    s.source.push(new Error('AppView answered 503'));
    s.engine.start();
    await s.clock.advance(0);
    expect(s.engine.status().stale).toBe(true);
    s.source.connect();
    expect(s.engine.status().stale).toBe(false);
    s.source.drop();
    await s.clock.advance(0);
    expect(s.engine.status().stale).toBe(false); // the poll at the drop succeeded
  });

  it('calls a stream that gave up again after a backoff, and polls meanwhile', async () => {
    const s = setup();
    s.engine.start();
    await s.clock.advance(0);
    s.source.connect();
    s.source.end(new Error('gone'));
    await s.clock.advance(0);
    expect(s.source.polls).toBe(2); // the stream is down: poll at once
    expect(s.log.lines.some((l) => l.includes('feed.stream_ended') && l.includes('gone'))).toBe(true);
    expect(s.source.streams).toBe(1);
    await s.clock.advance(ENGINE_BACKOFF.baseMs);
    expect(s.source.streams).toBe(2);
    expect(s.source.streaming).toBe(true);
  });

  it('logs a push that cannot be stored, without counting it as a success or stopping the stream', async () => {
    const s = setup();
    s.engine.start();
    await s.clock.advance(0);
    const polledAt = s.engine.health()[0]!.lastSuccessAt;
    s.source.connect();
    await s.clock.advance(MIN);
    s.store.close();
    expect(() => s.source.pushPosts([testPost(3)])).not.toThrow();
    expect(s.log.lines.filter((l) => l.includes('feed.push_failed'))).toHaveLength(1);
    expect(s.engine.health()[0]!.lastSuccessAt).toBe(polledAt);
    expect(s.source.streaming).toBe(true);
  });

  it('stops the stream while the feed is paused, and ignores what a stopped stream still pushes', async () => {
    const s = setup();
    s.engine.start();
    await s.clock.advance(0);
    const first = s.source;
    first.connect();
    const stopped = first.sink!;
    s.engine.reconfigure(testFeed({ state: 'paused' }));
    expect(first.streaming).toBe(false);
    expect(s.engine.health()[0]).toMatchObject({ live: false });
    stopped.posts([testPost(9)]);
    stopped.live(true);
    expect(s.ids()).toEqual([]);
    expect(s.engine.health()[0]).toMatchObject({ live: false });
    s.engine.reconfigure(testFeed());
    await s.clock.advance(0);
    expect(first.streams).toBe(2);

    // New settings make a new source: the old stream stops, the new one runs.
    const second = new StreamingSource();
    s.next(second);
    s.engine.reconfigure(testFeed({ hashtags: ['Autre'] }));
    expect(first.streaming).toBe(false);
    expect(second.streams).toBe(1);
    second.connect();
    second.pushPosts([testPost(2)]);
    expect(s.ids()).toEqual(['p2']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { FeedStatus } from '../../../server/contract.js';
import { ENGINE_BACKOFF, FeedEngine } from '../../../server/engine/feed-engine.js';
import { backoffMs } from '../../../server/pacing/backoff.js';
import { memoryLogger } from '../../../server/log.js';
import { SourceError } from '../../../server/sources/source.js';
import { Store, type FeedChange } from '../../../server/store/store.js';
import { testFeed } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';

const engines: FeedEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

function setup(store = new Store({ location: ':memory:' })) {
  const clock = new FakeClock();
  const source = new ScriptedSource();
  const log = memoryLogger();
  const changes: FeedChange[][] = [];
  const statuses: FeedStatus[] = [];
  const engine = new FeedEngine({
    feed: testFeed(),
    sourceFor: () => source,
    store,
    clock,
    log,
    onChanges: (c) => changes.push(c),
    onStatus: (s) => statuses.push(s),
  });
  engines.push(engine);
  return { clock, source, log, changes, statuses, engine, store };
}

describe('FeedEngine', () => {
  it('polls on the schedule the source asks for, handing back the stored cursor', async () => {
    const { clock, source, engine } = setup();
    source.push({ posts: [testPost(1)], cursor: 'a', nextPollInMs: 10_000 }, { cursor: 'b', nextPollInMs: 10_000 });
    engine.start();
    await clock.advance(0);
    expect(source.polls).toBe(1);
    await clock.advance(9_999);
    expect(source.polls).toBe(1);
    await clock.advance(1);
    expect(source.polls).toBe(2);
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
    source.push(new SourceError('X answered 503', 30_000));
    await engine.pollNow();
    expect(engine.status().stale).toBe(true);
    expect(store.recentPosts('saint-etienne', 10).map((p) => p.id)).toEqual(['p1']);
    source.push({});
    await engine.pollNow();
    expect(statuses.map((s) => s.stale)).toEqual([false, true, false]);
  });

  it('retries a SourceError when the source says, and other errors with growing backoff', async () => {
    const { clock, source, engine } = setup();
    source.push(new SourceError('rate limited', 60_000, 'rate-limited'));
    engine.start();
    await clock.advance(0);
    await clock.advance(59_999);
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
    expect(backoffMs(50, ENGINE_BACKOFF, () => 1)).toBe(600_000);
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
    source.push({ nextPollInMs: 10_000 });
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

describe('FeedEngine logging', () => {
  it('stays quiet about a failure the source has already logged with its own hint', async () => {
    const { source, engine, log } = setup();
    source.push(new SourceError('HTTP 401', 900_000, 'misconfigured', { reported: true }));
    await engine.pollNow();
    expect(log.lines.filter((l) => l.includes('feed.poll_failed'))).toEqual([]);
    expect(engine.health('operator')[0]!.lastError?.message).toBe('HTTP 401');
    expect(engine.status().stale).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Post } from '../../../../server/contract.js';
import { feedSchema } from '../../../../server/config.js';
import { memoryLogger } from '../../../../server/log.js';
import { createBlueskySource } from '../../../../server/sources/bluesky/bluesky-source.js';
import { createBlueskyClient } from '../../../../server/sources/bluesky/client.js';
import { decodeBlueskyCursor } from '../../../../server/sources/bluesky/cursor.js';
import type { PushSink, Source } from '../../../../server/sources/source.js';
import { startFakeBluesky, type FakeBluesky } from '../../../fake-bluesky/fake-bluesky-server.js';
import { fakeActor, fakePost, tagFacet } from '../../../fake-bluesky/fixtures.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { memoryState } from '../../../helpers/memory-state.js';
import { until as untilOn } from '../../../helpers/until.js';

const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';
const town = fakeActor('ville.bsky.social');
const resident = fakeActor('habitante.bsky.social');

let fake: FakeBluesky;
let clock: FakeClock;
let log: ReturnType<typeof memoryLogger>;
let state: ReturnType<typeof memoryState>;
let displayed: string[];
const signal = new AbortController().signal;

beforeEach(async () => {
  clock = new FakeClock(Date.parse('2026-10-10T10:00:00.000Z'));
  fake = await startFakeBluesky({ now: () => clock.now() });
  fake.addAccount(town, APP_PASSWORD);
  fake.addActor(resident);
  log = memoryLogger();
  state = memoryState();
  displayed = [];
});
afterEach(async () => {
  await fake.close();
});

function make(login = true): Source {
  const settings = feedSchema.parse({
    id: 'fete',
    title: 'Fête',
    hashtags: ['FeteDuLivre'],
    sources: [{ network: 'bluesky', accounts: ['ville.bsky.social'] }],
  });
  const client = createBlueskyClient({
    appViewUrl: fake.appViewUrl,
    pdsUrl: fake.pdsUrl,
    ...(login ? { credentials: { identifier: 'ville.bsky.social', appPassword: APP_PASSWORD } } : {}),
    now: () => clock.now(),
  });
  return createBlueskySource(
    {
      feed: settings,
      source: settings.sources[0]!,
      state,
      sharedState: memoryState(),
      clock,
      log,
      displayedIds: () => displayed,
    },
    { client, jetstreamUrl: fake.jetstreamUrl, live: { hydrate: { batchMs: 0 } } },
  );
}

let seq = 0;
/** A post a second after the one before, within the last minute. */
function post(text: string, author = resident) {
  const facets = text.includes('#FeteDuLivre') ? [tagFacet(text, '#FeteDuLivre')] : [];
  return fakePost({ author, text, facets, createdAt: new Date(clock.now() - 60_000 + seq++ * 1000).toISOString() });
}

describe('the Bluesky source', () => {
  it('reads the town’s feed and the hashtag, then only what is newer, from one cursor kept across restarts', async () => {
    fake.addPost(post('Ouverture samedi', town));
    fake.addPost(post('J’y serai #FeteDuLivre'));
    const first = await make().poll(null, signal);
    expect(first.posts.map((p) => p.text).sort()).toEqual(['J’y serai #FeteDuLivre', 'Ouverture samedi']);
    expect(first.posts.every((p) => p.source === 'bluesky')).toBe(true);

    fake.addPost(post('Quelle affluence #FeteDuLivre'));
    const second = await make().poll(first.cursor, signal);
    expect(second.posts.map((p) => p.text)).toEqual(['Quelle affluence #FeteDuLivre']);
    expect(Object.keys(decodeBlueskyCursor(second.cursor).marks).sort()).toEqual([
      'author:ville.bsky.social',
      'tag:fetedulivre',
    ]);
  });

  it('says when hashtag search is unavailable without the town’s app password, and still reads accounts', async () => {
    fake.addPost(post('Ouverture samedi', town));
    fake.addPost(post('J’y serai #FeteDuLivre'));
    const source = make(false);
    const result = await source.poll(null, signal);
    expect(result.posts.map((p) => p.text)).toEqual(['Ouverture samedi']);
    expect(fake.callsTo('searchPosts')).toHaveLength(0);
    const health = source.health!('public');
    expect(health.search).toBe('unavailable');
    expect(JSON.stringify(health)).toContain('BLUESKY_APP_PASSWORD');
    expect(log.lines.some((l) => l.includes('BLUESKY_APP_PASSWORD'))).toBe(true);
  });

  it('never shows the app password, whatever happens', async () => {
    const source = make();
    fake.fault('searchPosts', { kind: 'unavailable' } as never);
    await source.poll(null, signal).catch(() => undefined);
    expect(JSON.stringify([source.health!('operator'), log.lines])).not.toContain(APP_PASSWORD);
  });

  it('pushes Jetstream’s posts with the time cursor, and resumes from it after a restart', async () => {
    const pushed: { posts: Post[]; removals: string[]; cursor: string | null | undefined }[] = [];
    let stored: string | null = null;
    const live: boolean[] = [];
    const sink: PushSink = {
      posts: (posts, removals = [], cursor) => {
        pushed.push({ posts, removals, cursor });
        if (cursor !== undefined) stored = cursor;
      },
      live: (l) => live.push(l),
      cursor: () => stored,
    };
    fake.addPost(post('Ouverture samedi', town));
    const first = await make().poll(null, signal);
    stored = first.cursor;
    const controller = new AbortController();
    const running = make().stream!(sink, controller.signal);
    await untilOn(clock, () => expect(live).toContain(true), 50);
    const news = post('En direct #FeteDuLivre');
    fake.publish(news);
    await untilOn(clock, () => expect(pushed.length).toBeGreaterThan(0), 50);
    expect(pushed[0]!.posts[0]!.text).toBe('En direct #FeteDuLivre');
    const us = decodeBlueskyCursor(stored).jetstreamUs;
    expect(us).toBeGreaterThan(0);
    // The marks of the polls are kept beside Jetstream's time.
    expect(Object.keys(decodeBlueskyCursor(stored).marks)).toContain('author:ville.bsky.social');
    controller.abort();
    await running;

    // A restart resumes Jetstream from the stored time.
    const again = new AbortController();
    const resumed = make().stream!(sink, again.signal);
    await untilOn(clock, () => expect(fake.jetstream.connects.length).toBe(2), 50);
    expect(fake.jetstream.connects[1]!.cursor).toBeLessThanOrEqual(us!);
    expect(fake.jetstream.connects[1]!.cursor).toBeGreaterThan(us! - 10_000_000);
    // A poll keeps the later Jetstream time the pushes stored.
    const polled = await make().poll(stored, signal);
    expect(decodeBlueskyCursor(polled.cursor).jetstreamUs).toBe(us);
    again.abort();
    await resumed;
  });
});

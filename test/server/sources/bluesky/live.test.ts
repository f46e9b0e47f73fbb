import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Post } from '../../../../server/contract.js';
import { memoryLogger } from '../../../../server/log.js';
import { createBlueskyClient, type BlueskyClient } from '../../../../server/sources/bluesky/client.js';
import { Hydrator } from '../../../../server/sources/bluesky/hydrator.js';
import { openBlueskyLive, type BlueskyLive } from '../../../../server/sources/bluesky/live.js';
import { postId } from '../../../../server/sources/bluesky/normalize.js';
import { startFakeBluesky, type FakeBluesky } from '../../../fake-bluesky/fake-bluesky-server.js';
import { fakeActor, fakePost, noUnauthenticated } from '../../../fake-bluesky/fixtures.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { until as untilOn } from '../../../helpers/until.js';

const town = fakeActor('ville-saint-etienne.fr');
const resident = fakeActor('habitante.bsky.social');
const restricted = fakeActor('discret.bsky.social');
restricted.labels = [noUnauthenticated(restricted)];

let fake: FakeBluesky;
let clock: FakeClock;
let client: BlueskyClient;
let log: ReturnType<typeof memoryLogger>;
let shown: Post[];
let removed: string[];

/** Lets real I/O run and the fake clock move by `stepMs` until `check` passes. */
function until(check: () => void, stepMs = 100): Promise<void> {
  return untilOn(clock, check, stepMs);
}

function post(text: string, author = resident) {
  return fakePost({ author, text, createdAt: new Date(clock.now()).toISOString() });
}

beforeEach(async () => {
  clock = new FakeClock(Date.parse('2026-10-10T10:00:00.000Z'));
  fake = await startFakeBluesky({ now: () => clock.now() });
  client = createBlueskyClient({ appViewUrl: fake.appViewUrl, pdsUrl: fake.pdsUrl, now: () => clock.now() });
  log = memoryLogger();
  shown = [];
  removed = [];
});

afterEach(async () => {
  await fake.close();
});

describe('hydration of Jetstream’s posts through the AppView', () => {
  let hydrator: Hydrator;
  beforeEach(() => {
    hydrator = new Hydrator({
      client,
      clock,
      log,
      onPost: (p) => shown.push(p),
      onRemoval: (id) => removed.push(id),
      random: () => 1,
    });
  });
  afterEach(() => hydrator.close());

  it('asks for posts arriving together in one call, and shows them with their author', async () => {
    const views = [post('Un'), post('Deux', town), post('Trois')].map((v) => fake.addPost(v));
    views.forEach((v, i) => hydrator.add(v.uri, 100 + i));
    expect(hydrator.oldestTimeUs()).toBe(100);
    await until(() => expect(shown).toHaveLength(3));
    expect(fake.callsTo('getPosts').map((c) => c.query.getAll('uris'))).toEqual([views.map((v) => v.uri)]);
    expect(shown.map((p) => [p.text, p.author.name])).toEqual([
      ['Un', resident.displayName],
      ['Deux', town.displayName],
      ['Trois', resident.displayName],
    ]);
    expect(hydrator.size).toBe(0);
  });

  it('asks again for a post the AppView has not indexed yet', async () => {
    const late = fake.addPost(post('Tout frais'), { unindexedFor: 2 });
    hydrator.add(late.uri, 1);
    await until(() => expect(shown.map((p) => p.text)).toEqual(['Tout frais']), 500);
    expect(fake.callsTo('getPosts')).toHaveLength(3);
  });

  it('gives up on a post that never shows up', async () => {
    hydrator.add('at://did:plc:nobody/app.bsky.feed.post/3kxyz', 1);
    await until(() => expect(hydrator.size).toBe(0), 5_000);
    expect(fake.callsTo('getPosts')).toHaveLength(5);
    expect(shown).toEqual([]);
    expect(log.lines.some((l) => l.includes('bluesky.hydrate.gave_up'))).toBe(true);
  });

  it('keeps an author labelled !no-unauthenticated off the wall, as a removal', async () => {
    const hidden = fake.addPost(post('Discret', restricted));
    hydrator.add(hidden.uri, 1);
    await until(() => expect(removed).toEqual([postId(hidden.uri)]));
    expect(shown).toEqual([]);
  });

  it('waits and asks again when the AppView fails', async () => {
    const view = fake.addPost(post('Patience'));
    fake.fault('getPosts', { kind: 'unavailable', status: 503 }, 2);
    hydrator.add(view.uri, 1);
    await until(() => expect(shown).toHaveLength(1), 500);
    expect(fake.callsTo('getPosts').map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('does not ask for a post deleted while it waited', async () => {
    const view = fake.addPost(post('Aussitôt supprimé'));
    hydrator.add(view.uri, 1);
    hydrator.cancel(view.uri);
    await clock.advance(5_000);
    expect(fake.callsTo('getPosts')).toHaveLength(0);
  });
});

describe('Bluesky pushed live', () => {
  let live: BlueskyLive;
  const open = (cursorUs: number | null = null) => {
    live = openBlueskyLive({
      client,
      hashtags: ['FeteDuLivre'],
      dids: [town.did],
      url: fake.jetstreamUrl,
      cursorUs,
      clock,
      log,
      onPost: (p) => shown.push(p),
      onRemoval: (id) => removed.push(id),
      jetstream: { random: () => 1 },
      hydrate: { random: () => 1 },
    });
  };
  afterEach(() => live.close());

  it('shows followed posts, keeps restricted authors off, and passes deletions on', async () => {
    open();
    await until(() => expect(live.status().state).toBe('open'));
    const a = fake.publish(post('Ouverture #FeteDuLivre'));
    fake.publish(post('Je suis discret #FeteDuLivre', restricted));
    fake.jetstream.noise(200);
    const b = fake.publish(post('Horaires', town));
    await until(() => expect(shown.map((p) => p.text)).toEqual(['Ouverture #FeteDuLivre', 'Horaires']));
    expect(removed).toHaveLength(1);
    fake.deletePost(a.uri);
    await until(() => expect(removed).toContain(postId(a.uri)));
    expect(shown.map((p) => p.id)).toEqual([postId(a.uri), postId(b.uri)]);
  });

  it('never gives a cursor past a post still being hydrated', async () => {
    open();
    await until(() => expect(live.status().state).toBe('open'));
    const late = fake.publish(post('En retard #FeteDuLivre'), { unindexedFor: 3 });
    const event = fake.jetstream.events.at(-1)!;
    fake.jetstream.noise(20);
    await until(() => expect(live.status().frames).toBeGreaterThan(15), 10);
    expect(live.status().hydrating).toBe(1);
    expect(live.cursorUs()).toBe(event.time_us - 1);
    await until(() => expect(shown.map((p) => p.id)).toEqual([postId(late.uri)]), 500);
    expect(live.cursorUs()).toBe(fake.jetstream.events.at(-1)!.time_us);
  });
});

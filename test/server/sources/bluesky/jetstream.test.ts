import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../../server/log.js';
import {
  openJetstream,
  type JetstreamConnection,
  type JetstreamOptions,
  type JetstreamPost,
} from '../../../../server/sources/bluesky/jetstream.js';
import { postId, postUri } from '../../../../server/sources/bluesky/normalize.js';
import { startFakeBluesky, type FakeBluesky } from '../../../fake-bluesky/fake-bluesky-server.js';
import { fakeActor, fakePost, fakeTid } from '../../../fake-bluesky/fixtures.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { until as untilOn } from '../../../helpers/until.js';

const town = fakeActor('ville-saint-etienne.fr');
const resident = fakeActor('habitante.bsky.social');

let fake: FakeBluesky;
let clock: FakeClock;
let log: ReturnType<typeof memoryLogger>;
let posts: JetstreamPost[];
let deletes: string[];
let stream: JetstreamConnection | undefined;

/** Lets real I/O run and the fake clock move by `stepMs` until `check` passes. */
function until(check: () => void, stepMs = 0): Promise<void> {
  return untilOn(clock, check, stepMs);
}

function open(options: Partial<JetstreamOptions> = {}): JetstreamConnection {
  stream = openJetstream({
    url: fake.jetstreamUrl,
    hashtags: ['FeteDuLivre'],
    dids: [town.did],
    clock,
    log,
    onPost: (post) => posts.push(post),
    onDelete: (id) => deletes.push(id),
    backoff: { baseMs: 1_000, capMs: 8_000 },
    random: () => 1,
    ...options,
  });
  return stream;
}

async function opened(connects = 1): Promise<void> {
  await until(() => {
    expect(fake.jetstream.clients).toBeGreaterThanOrEqual(1);
    expect(fake.jetstream.connects).toHaveLength(connects);
    expect(stream!.status().state).toBe('open');
  }, 100);
}

function publish(text: string, author = resident) {
  return fake.jetstream.create(author.did, fakeTid(), fakePost({ author, text }).record);
}

beforeEach(async () => {
  clock = new FakeClock(Date.parse('2026-10-10T10:00:00.000Z'));
  fake = await startFakeBluesky({ now: () => clock.now() });
  log = memoryLogger();
  posts = [];
  deletes = [];
});

afterEach(async () => {
  stream?.close();
  stream = undefined;
  await fake.close();
});

describe('Jetstream for a feed', () => {
  it('passes on the posts the feed follows and drops the firehose’s noise', async () => {
    open();
    await opened();
    fake.jetstream.noise(3_000);
    const a = publish('Ouverture de la #FeteDuLivre');
    fake.jetstream.noise(2_000);
    const b = publish('Les horaires du jour', town);
    fake.jetstream.noise(500);
    // Everything sent arrived (likes are not sent: the stream asks for posts only).
    await until(() => expect(stream!.status().cursorUs).toBe(fake.jetstream.events.at(-1)!.time_us));
    expect(stream!.status().frames).toBeGreaterThan(4_000);
    expect(posts.map((p) => p.record.text)).toEqual(['Ouverture de la #FeteDuLivre', 'Les horaires du jour']);
    expect(posts[0]).toMatchObject({
      id: postId(postUri(resident.did, a.commit!.rkey)),
      did: resident.did,
      timeUs: a.time_us,
    });
    expect(posts[1]!.timeUs).toBe(b.time_us);
    expect(stream!.status()).toMatchObject({
      matched: 2,
      badFrames: 0,
      cursorUs: fake.jetstream.events.at(-1)!.time_us,
    });
    expect(fake.jetstream.connects[0]).toEqual({
      cursor: undefined,
      wantedCollections: ['app.bsky.feed.post'],
      wantedDids: [],
    });
  });

  it('resumes after a drop from the last event seen, less a margin, losing no post and repeating none', async () => {
    open();
    await opened();
    publish('Avant la coupure #FeteDuLivre');
    await until(() => expect(posts).toHaveLength(1));
    const lastSeen = stream!.status().cursorUs!;
    fake.jetstream.drop();
    await until(() => expect(stream!.status().state).toBe('waiting'));
    publish('Pendant la coupure #FeteDuLivre');
    fake.jetstream.noise(50);
    publish('Toujours pendant #FeteDuLivre');
    await opened(2);
    await until(() => expect(posts).toHaveLength(3));
    expect(fake.jetstream.connects[1]!.cursor).toBe(lastSeen - 3_000_000);
    publish('Après #FeteDuLivre');
    await until(() => expect(posts).toHaveLength(4));
    expect(posts.map((p) => p.record.text)).toEqual([
      'Avant la coupure #FeteDuLivre',
      'Pendant la coupure #FeteDuLivre',
      'Toujours pendant #FeteDuLivre',
      'Après #FeteDuLivre',
    ]);
  });

  it('resumes from the cursor stored before a restart', async () => {
    const missed = publish('Publié pendant l’arrêt #FeteDuLivre');
    open({ cursorUs: missed.time_us - 1, rewindUs: 0 });
    await until(() => expect(posts.map((p) => p.record.text)).toEqual(['Publié pendant l’arrêt #FeteDuLivre']), 100);
    expect(fake.jetstream.connects[0]!.cursor).toBe(missed.time_us - 1);
  });

  it('declares a silent stream dead, pinging first, and connects again', async () => {
    open({ silenceMs: 60_000, pingEveryMs: 20_000 });
    await opened();
    fake.jetstream.goSilent();
    fake.jetstream.speak();
    await until(() => expect(fake.jetstream.connects).toHaveLength(2), 5_000);
    expect(log.lines.some((l) => l.includes('bluesky.jetstream.closed') && l.includes('silent for'))).toBe(true);
    await opened(2);
    publish('De retour #FeteDuLivre');
    await until(() => expect(posts).toHaveLength(1));
  });

  it('keeps a quiet stream that answers its pings', async () => {
    open({ hashtags: [], dids: [town.did], silenceMs: 60_000, pingEveryMs: 20_000 });
    await opened();
    for (let t = 0; t < 300_000; t += 5_000) {
      await clock.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(fake.jetstream.connects).toHaveLength(1);
    expect(stream!.status()).toMatchObject({ state: 'open', frames: 0 });
  });

  it('waits longer after each refused connection', async () => {
    fake.jetstream.refuse(3);
    const states: string[] = [];
    open({ onState: (s) => states.push(s.state) });
    await until(() => expect(stream!.status().failures).toBe(3), 500);
    expect(fake.jetstream.connects).toHaveLength(0);
    await opened(1);
    // The shared backoff (here without jitter, random = 1): 1 s, 2 s, 4 s.
    const waits = log.lines
      .filter((l) => l.includes('bluesky.jetstream.closed'))
      .map((l) => /retryInMs=(\d+)/.exec(l)![1]);
    expect(waits).toEqual(['1000', '2000', '4000']);
    // Failures in a row count until the stream proves alive.
    expect(stream!.status().failures).toBe(3);
    publish('Enfin #FeteDuLivre');
    await until(() => expect(stream!.status().failures).toBe(0));
    expect(states).toContain('waiting');
    expect(states.at(-1)).toBe('open');
  });

  it('logs unreadable frames once, skips them, and goes on', async () => {
    open();
    await opened();
    fake.jetstream.sendRaw('garbage');
    fake.jetstream.sendRaw(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
    fake.jetstream.sendRaw('{"did":"x","time_us":1,"kind":"commit","commit":{"operation":"delete"');
    publish('Toujours là #FeteDuLivre');
    await until(() => expect(posts).toHaveLength(1));
    expect(stream!.status().badFrames).toBe(3);
    expect(log.lines.filter((l) => l.includes('bluesky.jetstream.bad_frame'))).toHaveLength(1);
  });

  it('passes on deletions of posts it passed on or the feed shows, and no others', async () => {
    const shown = postId(postUri(resident.did, 'shown1'));
    open({ isKnown: (id) => id === shown });
    await opened();
    const a = publish('À supprimer #FeteDuLivre');
    await until(() => expect(posts).toHaveLength(1));
    fake.jetstream.delete(resident.did, a.commit!.rkey);
    fake.jetstream.delete(resident.did, 'stranger1');
    fake.jetstream.delete(resident.did, 'shown1');
    publish('Fin #FeteDuLivre');
    await until(() => expect(posts).toHaveLength(2));
    expect(deletes).toEqual([postId(postUri(resident.did, a.commit!.rkey)), shown]);
  });

  it('asks only for the feed’s accounts when it follows no hashtag', async () => {
    open({ hashtags: [], dids: [town.did] });
    await opened();
    expect(fake.jetstream.connects[0]!.wantedDids).toEqual([town.did]);
    publish('Hors sujet #FeteDuLivre');
    publish('De la ville', town);
    await until(() => expect(posts.map((p) => p.record.text)).toEqual(['De la ville']));
  });

  it('keeps going when a handler throws', async () => {
    open({
      onPost: (post) => {
        posts.push(post);
        throw new Error('engine hiccup');
      },
    });
    await opened();
    publish('Un #FeteDuLivre');
    publish('Deux #FeteDuLivre');
    await until(() => expect(posts).toHaveLength(2));
    expect(log.lines.filter((l) => l.includes('handler_failed'))).toHaveLength(2);
    expect(stream!.status().state).toBe('open');
  });

  it('says so, and does not throw, when the URL cannot work', () => {
    for (const url of ['not a url', 'ftp://jetstream.example/subscribe']) {
      const states: string[] = [];
      expect(() => open({ url, onState: (s) => states.push(s.state) })).not.toThrow();
      expect(stream!.status()).toMatchObject({ state: 'closed', lastError: expect.stringContaining('ws://') });
      expect(states).toEqual(['closed']);
    }
  });

  it('stops for good when closed', async () => {
    open();
    await opened();
    stream!.close();
    await until(() => expect(fake.jetstream.clients).toBe(0));
    await clock.advance(60_000);
    expect(fake.jetstream.connects).toHaveLength(1);
    expect(stream!.status().state).toBe('closed');
  });
});

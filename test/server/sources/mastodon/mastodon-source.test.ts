import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Post } from '../../../../server/contract.js';
import { feedSchema } from '../../../../server/config.js';
import { memoryLogger } from '../../../../server/log.js';
import type { MastodonAccount } from '../../../../server/sources/mastodon/api-types.js';
import {
  createMastodonSource,
  type MastodonSourceOptions,
} from '../../../../server/sources/mastodon/mastodon-source.js';
import { SourceError, type PushSink, type Source } from '../../../../server/sources/source.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { memoryState } from '../../../helpers/memory-state.js';
import {
  startFakeMastodon,
  type FakeMastodon,
  type FakeMastodonOptions,
} from '../../../fake-mastodon/fake-mastodon-server.js';
import { fakeAccount, fakeStatus, mastodonIdAt } from '../../../fake-mastodon/statuses.js';

const TOKEN = 'masto-token-for-the-source-tests-0123456789';

let fake: FakeMastodon;
let clock: FakeClock;
let town: MastodonAccount;
let reader: MastodonAccount;
let log: ReturnType<typeof memoryLogger>;
let state: ReturnType<typeof memoryState>;
let sharedState: ReturnType<typeof memoryState>;
let displayed: string[];
const signal = new AbortController().signal;
let seq = 0;

async function start(options: FakeMastodonOptions = {}) {
  fake = await startFakeMastodon({ token: TOKEN, ...options });
  town = fake.addAccount(fakeAccount({ username: 'ville' }));
  reader = fake.addAccount(fakeAccount({ username: 'lea', domain: 'piaille.fr' }));
}

beforeEach(async () => {
  clock = new FakeClock();
  log = memoryLogger();
  state = memoryState();
  sharedState = memoryState();
  displayed = [];
  await start();
});
afterEach(async () => {
  await fake.close();
});

function make(options: MastodonSourceOptions = {}, feed: Record<string, unknown> = {}): Source {
  const settings = feedSchema.parse({
    id: 'fete',
    title: 'Fête',
    hashtags: ['FeteDuLivre'],
    sources: [{ network: 'mastodon', instance: fake.baseUrl, accounts: ['ville@ville.social'] }],
    ...feed,
  });
  return createMastodonSource(
    { feed: settings, source: settings.sources[0]!, state, sharedState, clock, log, displayedIds: () => displayed },
    options,
  );
}

/** A status at a time of its own, so that ids grow with each one. */
function status(account: MastodonAccount, text: string) {
  return fakeStatus({ account, text, id: mastodonIdAt(Date.now(), seq++) });
}

async function pollError(source: Source, cursor: string | null): Promise<SourceError> {
  const err = await source.poll(cursor, signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceError);
  return err as SourceError;
}

describe('the Mastodon source', () => {
  it('reads the town’s timeline and the hashtag, then only what is newer, from a cursor kept across restarts', async () => {
    fake.addStatus(status(town, 'Ouverture samedi'));
    fake.addStatus(status(reader, 'J’y serai #FeteDuLivre'));
    const first = await make().poll(null, signal);
    expect(first.posts.map((p) => p.text).sort()).toEqual(['J’y serai #FeteDuLivre', 'Ouverture samedi']);
    expect(first.posts.every((p) => p.source === 'mastodon' && p.id.startsWith(`mastodon:${fake.host}:`))).toBe(true);
    expect(first.posts.find((p) => p.text === 'Ouverture samedi')!.author.handle).toBe('ville@ville.social');

    fake.addStatus(status(reader, 'Quelle affluence #FeteDuLivre'));
    const calls = fake.calls.length;
    // A new source (a restart) reads on from the stored cursor: no lookup again, min_id on every timeline.
    const second = await make().poll(first.cursor, signal);
    expect(second.posts.map((p) => p.text)).toEqual(['Quelle affluence #FeteDuLivre']);
    const since = fake.calls.slice(calls);
    const reads = since.filter((c) => c.endpoint !== 'instance');
    expect(new Set(reads.map((c) => c.endpoint))).toEqual(new Set(['account-statuses', 'hashtag']));
    expect(reads.every((c) => c.query.min_id)).toBe(true);
  });

  it('reports the instance’s rate limit as a floor shared by every feed reading it', async () => {
    await fake.close();
    await start({ limit: 30, windowMs: 60_000 });
    const result = await make().poll(null, signal);
    // lookup, account timeline, hashtag timeline (+ the instance description) within 30 calls a minute.
    expect(result.pacing?.minIntervalMs).toBeGreaterThanOrEqual((60_000 * 3) / 30);
    const alone = result.pacing!.minIntervalMs!;
    const other = createMastodonSource(
      {
        feed: feedSchema.parse({
          id: 'autre',
          title: 'Autre',
          hashtags: ['Autre'],
          sources: [{ network: 'mastodon', instance: fake.baseUrl }],
        }),
        source: { network: 'mastodon', instance: fake.baseUrl, accounts: [] },
        state: memoryState(),
        sharedState,
        clock,
        log,
        displayedIds: () => [],
      },
      {},
    );
    await other.poll(null, signal);
    const shared = await make().poll(result.cursor, signal);
    expect(shared.pacing!.minIntervalMs!).toBeGreaterThan(alone * 0.9 + 1000);
  });

  it('waits for the reset when the instance answers 429', async () => {
    fake.fault('*', { kind: 'rate-limit', resetInSeconds: 120 }, 5);
    const err = await pollError(make(), null);
    expect(err.state).toBe('rate-limited');
    expect(err.notBefore).toBeGreaterThan(Date.now() + 60_000);
  });

  it('says an instance needs a token for its hashtag timelines, in health and logs, and never shows the token', async () => {
    await fake.close();
    await start({ hashtagFeeds: { local: 'authenticated', remote: 'authenticated' } });
    const source = make({}, { sources: [{ network: 'mastodon', instance: fake.baseUrl }] });
    const err = await pollError(source, null);
    expect(err.state).toBe('login-required');
    expect(err.notBefore).toBeDefined();
    const health = source.health!('public');
    expect(health.state).toBe('login-required');
    expect(JSON.stringify(health)).toContain('MASTODON_TOKENS');
    expect(log.lines.some((l) => JSON.stringify(l).includes('MASTODON_TOKENS'))).toBe(true);

    // With the token, it reads; the token appears nowhere.
    fake.addStatus(status(reader, 'Enfin #FeteDuLivre'));
    const withToken = make({ accessToken: TOKEN }, { sources: [{ network: 'mastodon', instance: fake.baseUrl }] });
    const read = await withToken.poll(null, signal);
    expect(read.posts.map((p) => p.text)).toEqual(['Enfin #FeteDuLivre']);
    fake.fault('hashtag', { kind: 'echo-token' });
    await withToken.poll(read.cursor, signal).catch(() => undefined);
    const everything = JSON.stringify([withToken.health!('operator'), log.lines]);
    expect(everything).not.toContain(TOKEN);
    expect(everything.toLowerCase()).not.toContain(TOKEN.toLowerCase());
  });

  it('keeps what one timeline brought when another fails', async () => {
    fake.addStatus(status(town, 'Programme du jour'));
    fake.fault('hashtag', { kind: 'unavailable' });
    const result = await make().poll(null, signal);
    expect(result.posts.map((p) => p.text)).toEqual(['Programme du jour']);
    expect(result.partialFailure?.state).toBe('unavailable');
  });

  it('pushes what the stream brings, and passes on the deletion of a post on display', async () => {
    const source = make({ accessToken: TOKEN });
    const pushed: { posts: Post[]; removals: string[]; cursor: string | null | undefined }[] = [];
    const live: boolean[] = [];
    const sink: PushSink = {
      posts: (posts, removals = [], cursor) => pushed.push({ posts, removals, cursor }),
      live: (l) => live.push(l),
      cursor: () => null,
    };
    const controller = new AbortController();
    const running = source.stream!(sink, controller.signal);
    await fake.streaming.waitForClients(1, 2);
    await eventually(
      () => live.includes(true),
      () => JSON.stringify([live, log.lines]),
    );
    const news = fake.publish(status(reader, 'En direct #FeteDuLivre'));
    await eventually(() => pushed.length === 1);
    expect(pushed[0]!.posts[0]!.text).toBe('En direct #FeteDuLivre');
    // Pushed without a cursor: the next poll still reads from the stored ids.
    expect(pushed[0]!.cursor).toBeUndefined();

    const other = fake.publish(status(reader, 'Autre #FeteDuLivre'));
    await eventually(() => pushed.length === 2);
    displayed = [pushed[0]!.posts[0]!.id];
    fake.remove(other.id);
    fake.remove(news.id);
    await eventually(() => pushed.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Deleted on both streams (hashtag and user): only the post on display is passed on.
    expect(new Set(pushed.slice(2).flatMap((p) => p.removals))).toEqual(new Set([`mastodon:${fake.host}:${news.id}`]));

    fake.streaming.drop();
    await eventually(() => live.at(-1) === false);
    controller.abort();
    await running;
  });
});

async function eventually(check: () => boolean, why = () => ''): Promise<void> {
  const deadline = Date.now() + 4000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited 4 s ${why()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

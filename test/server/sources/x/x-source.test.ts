import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedSchema } from '../../../../server/config.js';
import type { Clock } from '../../../../server/clock.js';
import { memoryLogger } from '../../../../server/log.js';
import { SourceError } from '../../../../server/sources/source.js';
import type { PollResult, Source, SourceState } from '../../../../server/sources/source.js';
import { buildSearchQueries, createXSource, startOfNextUtcMonth } from '../../../../server/sources/x/x-source.js';
import type { XSourceOptions } from '../../../../server/sources/x/x-source.js';
import type { XUser } from '../../../../server/sources/x/normalize.js';
import { fakeId, fakePhoto, fakeTweet, snowflakeAt, startFakeX } from '../../../fake-x/fake-x-server.js';
import type { FakeX } from '../../../fake-x/fake-x-server.js';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAsecret-bearer-token-for-tests';
const START = Date.parse('2026-10-10T08:00:00.000Z');

/** A persistent store as the engine gives it: JSON values. */
function memoryState(): SourceState & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: <T>(key: string) => (data.has(key) ? (JSON.parse(data.get(key)!) as T) : undefined),
    set: (key, value) => {
      data.set(key, JSON.stringify(value ?? null));
    },
  };
}

function fakeClock(start = START): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout: () => 0,
    clearTimeout: () => {},
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}

interface Harness {
  fake: FakeX;
  clock: ReturnType<typeof fakeClock>;
  state: ReturnType<typeof memoryState>;
  sharedState: ReturnType<typeof memoryState>;
  log: ReturnType<typeof memoryLogger>;
  displayed: string[];
  town: XUser;
  reader: XUser;
  make(options?: Partial<XSourceOptions>, feed?: Record<string, unknown>): Source;
}

let h: Harness;
const signal = new AbortController().signal;

beforeEach(async () => {
  const clock = fakeClock();
  const fake = await startFakeX({ token: TOKEN, now: clock.now });
  const state = memoryState();
  const sharedState = memoryState();
  const log = memoryLogger();
  const displayed: string[] = [];
  const town = fake.addUser({ username: 'saint_etienne_', name: 'Ville de Saint-Étienne' });
  const reader = fake.addUser({ username: 'lea_lit', name: 'Léa' });
  h = {
    fake,
    clock,
    state,
    sharedState,
    log,
    displayed,
    town,
    reader,
    make(options = {}, feed = {}) {
      return createXSource(
        {
          feed: feedSchema.parse({
            id: 'fete-du-livre',
            title: 'Fête du livre',
            source: 'x',
            accounts: ['saint_etienne_'],
            hashtags: ['FeteDuLivre'],
            ...feed,
          }),
          state,
          sharedState,
          clock,
          log,
          displayedIds: () => [...displayed],
        },
        { bearerToken: TOKEN, baseUrl: fake.baseUrl, requestTimeoutMs: 2000, random: () => 0.5, ...options },
      );
    },
  };
});

afterEach(async () => {
  await h.fake.close();
});

/** Adds posts to the fake, oldest first, and returns them. */
function post(author: XUser, text: string, extra: Partial<Parameters<typeof fakeTweet>[0]> = {}) {
  const { tweet, media } = fakeTweet({ author, text, ...extra });
  h.fake.addTweet(tweet, media);
  return tweet;
}

async function pollError(source: Source, cursor: string | null): Promise<SourceError> {
  try {
    await source.poll(cursor, signal);
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('poll did not fail');
}

describe('buildSearchQueries', () => {
  it('combines hashtags into one query and splits when longer than 512 characters', () => {
    expect(buildSearchQueries(['FeteDuLivre'])).toEqual(['#FeteDuLivre -is:retweet']);
    expect(buildSearchQueries(['FeteDuLivre', 'SaintEtienne'])).toEqual([
      '(#FeteDuLivre OR #SaintEtienne) -is:retweet',
    ]);
    const tags = Array.from({ length: 60 }, (_, i) => `Hashtag${String(i).padStart(3, '0')}`);
    const queries = buildSearchQueries(tags);
    expect(queries.length).toBeGreaterThan(1);
    for (const q of queries) expect(q.length).toBeLessThanOrEqual(512);
    expect(queries.join(' ').match(/#Hashtag\d+/g)).toHaveLength(60);
  });
});

describe('X source against the fake X API', () => {
  it('reads only the latest page on the first poll, with the fields the contract needs', async () => {
    for (let i = 0; i < 30; i++) post(h.town, `Annonce ${i} #FeteDuLivre`);
    const source = h.make({ firstPageSize: 10 });
    const result = await source.poll(null, signal);

    expect(h.fake.callsTo('users/by/username')).toHaveLength(1);
    const [timeline] = h.fake.callsTo('users/tweets');
    expect(timeline!.query).toMatchObject({ max_results: '10', exclude: 'replies' });
    expect(timeline!.query.since_id).toBeUndefined();
    expect(timeline!.query.expansions).toContain('referenced_tweets.id.author_id');
    expect(timeline!.query['tweet.fields']).toContain('note_tweet');
    const [search] = h.fake.callsTo('search/recent');
    expect(search!.query.query).toBe('#FeteDuLivre -is:retweet');
    expect(h.fake.calls).toHaveLength(3);
    // The same 10 newest posts from both, merged.
    expect(result.posts).toHaveLength(10);
    expect(result.posts[0]!.text).toBe('Annonce 29 #FeteDuLivre');
    expect(result.posts[0]!.author.handle).toBe('saint_etienne_');
    expect(result.removals).toEqual([]);
    expect(result.nextPollInMs).toBe(900_000);
    expect(JSON.parse(result.cursor!)).toMatchObject({ v: 1 });
  });

  it('polls incrementally with since_id and never re-reads a post', async () => {
    const first = post(h.town, 'Bienvenue #FeteDuLivre');
    const source = h.make();
    const r1 = await source.poll(null, signal);
    expect(r1.posts.map((p) => p.id)).toEqual([first.id]);

    const r2 = await source.poll(r1.cursor, signal);
    expect(r2.posts).toEqual([]);
    const second = post(h.reader, 'Superbe journée #FeteDuLivre', { media: [fakePhoto({ alt_text: 'La place' })] });
    const r3 = await source.poll(r2.cursor, signal);
    expect(r3.posts.map((p) => p.id)).toEqual([second.id]);
    expect(r3.posts[0]!.media[0]!.alt).toBe('La place');

    const searches = h.fake.callsTo('search/recent');
    expect(searches.map((c) => c.query.since_id)).toEqual([undefined, first.id, first.id]);
    expect(h.fake.callsTo('users/tweets').map((c) => c.query.since_id)).toEqual([undefined, first.id, first.id]);
    expect(h.fake.callsTo('users/by/username')).toHaveLength(1);
  });

  it('follows next_token up to the page cap when catching up', async () => {
    post(h.town, 'Premier #FeteDuLivre');
    const source = h.make({ pageSize: 10, maxPagesPerPoll: 2 }, { accounts: [] });
    const r1 = await source.poll(null, signal);
    const newOnes = Array.from({ length: 35 }, (_, i) => post(h.reader, `Message ${i} #FeteDuLivre`));
    const r2 = await source.poll(r1.cursor, signal);

    const searches = h.fake.callsTo('search/recent').slice(1);
    expect(searches).toHaveLength(2);
    expect(searches[0]!.query.next_token).toBeUndefined();
    expect(searches[1]!.query.next_token).toBeDefined();
    expect(searches[1]!.query.since_id).toBe(searches[0]!.query.since_id);
    expect(r2.posts).toHaveLength(20);
    expect(r2.posts[0]!.id).toBe(newOnes[34]!.id);
    // since_id comes from the first page: the next poll starts after the newest post.
    expect(JSON.parse(r2.cursor!).queries['#FeteDuLivre -is:retweet']).toBe(newOnes[34]!.id);
    expect(h.log.lines.some((l) => l.includes('x.catch-up.capped'))).toBe(true);
  });

  it('reads nothing twice across a restart (new instance, same state and cursor)', async () => {
    post(h.town, 'Avant #FeteDuLivre');
    const r1 = await h.make().poll(null, signal);
    const callsBefore = h.fake.calls.length;

    const restarted = h.make();
    const r2 = await restarted.poll(r1.cursor, signal);
    expect(r2.posts).toEqual([]);
    const after = h.fake.calls.slice(callsBefore);
    expect(after.map((c) => c.endpoint).sort()).toEqual(['search/recent', 'users/tweets']);
    for (const c of after) expect(c.query.since_id).toBeDefined();
  });

  it('shows reposts of the accounts with repostedBy, and removes earlier versions of edits', async () => {
    const original = post(h.reader, 'Mon coup de cœur de la #FeteDuLivre', {
      media: [fakePhoto({ alt_text: 'Couverture' })],
    });
    const source = h.make({}, { hashtags: [] });
    const r1 = await source.poll(null, signal);
    const repost = post(h.town, '', { retweetOf: { tweet: original, author: h.reader } });
    const edited = post(h.town, 'Horaires corrigés', { editedFrom: [r1.posts[0]?.id ?? '1'] });
    const r2 = await source.poll(r1.cursor, signal);
    const shown = r2.posts.find((p) => p.id === repost.id)!;
    expect(shown.text).toBe('Mon coup de cœur de la #FeteDuLivre');
    expect(shown.author.handle).toBe('lea_lit');
    expect(shown.repostedBy?.handle).toBe('saint_etienne_');
    expect(shown.media.map((m) => m.alt)).toEqual(['Couverture']);
    expect(r2.posts.find((p) => p.id === edited.id)?.edited).toBe(true);
    expect(r2.removals).toContain(r1.posts[0]?.id ?? '1');
  });

  it('keeps the good posts when X answers with partial errors', async () => {
    const a = post(h.town, 'Un #FeteDuLivre');
    h.fake.fault('search/recent', { kind: 'partial-errors' });
    const r = await h.make({}, { accounts: [] }).poll(null, signal);
    expect(r.posts.map((p) => p.id)).toEqual([a.id]);
  });

  it('accepts an empty answer with no data key', async () => {
    h.fake.fault('search/recent', { kind: 'empty' });
    const r = await h.make({}, { accounts: [] }).poll(null, signal);
    expect(r.posts).toEqual([]);
    expect(JSON.parse(r.cursor!).queries).toEqual({});
  });

  it('keeps a quiet hashtag working when its since_id falls out of the 7-day search window', async () => {
    post(h.town, 'Un #FeteDuLivre');
    const source = h.make({}, { accounts: [] });
    const r1 = await source.poll(null, signal);
    h.clock.advance(8 * 24 * 3_600_000);
    const fresh = post(h.reader, 'Enfin du nouveau #FeteDuLivre', { id: snowflakeAt(h.clock.now() - 60_000) });
    const r2 = await source.poll(r1.cursor, signal);
    expect(r2.posts.map((p) => p.id)).toEqual([fresh.id]);
    const last = h.fake.callsTo('search/recent').at(-1)!;
    expect(last.query.since_id).toBeUndefined();
    expect(Date.parse(last.query.start_time!)).toBeGreaterThan(h.clock.now() - 7 * 24 * 3_600_000);
    expect(JSON.parse(r2.cursor!).queries['#FeteDuLivre -is:retweet']).toBe(fresh.id);
  });

  it('retries once with the since_id X suggests when X finds ours too old', async () => {
    const first = post(h.town, 'Un #FeteDuLivre');
    const source = h.make({}, { accounts: [] });
    const r1 = await source.poll(null, signal);
    h.clock.advance(2 * 3_600_000);
    h.fake.state.searchWindowMs = 3_600_000; // X's clock runs ahead of ours
    const fresh = post(h.reader, 'Deux #FeteDuLivre', { id: snowflakeAt(h.clock.now() - 60_000) });
    const r2 = await source.poll(r1.cursor, signal);
    expect(r2.posts.map((p) => p.id)).toEqual([fresh.id]);
    const calls = h.fake.callsTo('search/recent').slice(1);
    expect(calls.map((c) => c.status)).toEqual([400, 200]);
    expect(calls[0]!.query.since_id).toBe(first.id);
    expect(BigInt(calls[1]!.query.since_id!)).toBeGreaterThan(BigInt(first.id));
  });

  it('makes no call to a rate-limited endpoint before its reset, even after a restart', async () => {
    post(h.town, 'Un #FeteDuLivre');
    h.fake.fault('search/recent', { kind: 'rate-limit', resetInSeconds: 600 });
    const source = h.make({}, { accounts: [] });
    const err = await pollError(source, null);
    expect(err.state).toBe('rate-limited');
    expect(err.retryInMs).toBeGreaterThanOrEqual(600_000);
    expect(err.retryInMs).toBeLessThanOrEqual(602_000);
    expect(h.fake.callsTo('search/recent')).toHaveLength(1);

    h.clock.advance(60_000);
    expect((await pollError(source, null)).state).toBe('rate-limited');
    expect((await pollError(h.make({}, { accounts: [] }), null)).state).toBe('rate-limited');
    expect(h.fake.callsTo('search/recent')).toHaveLength(1);
    expect(source.health!().state).toBe('rate-limited');

    h.clock.advance(541_000);
    const r = await source.poll(null, signal);
    expect(r.posts).toHaveLength(1);
    expect(h.fake.callsTo('search/recent')).toHaveLength(2);
    expect(h.fake.callsTo('search/recent')[1]!.at).toBeGreaterThanOrEqual(START + 600_000);
  });

  it('keeps reading the other endpoints while one is rate-limited', async () => {
    post(h.town, 'Un #FeteDuLivre');
    h.fake.fault('search/recent', { kind: 'rate-limit', resetInSeconds: 900 });
    const source = h.make({}, { pollSeconds: 60 });
    const r1 = await source.poll(null, signal);
    expect(r1.posts).toHaveLength(1);
    expect(r1.nextPollInMs).toBe(60_000);
    await source.poll(r1.cursor, signal);
    expect(h.fake.callsTo('search/recent')).toHaveLength(1);
    expect(h.fake.callsTo('users/tweets')).toHaveLength(2);
  });

  it('pauses on the monthly usage cap until an operator resumes', async () => {
    h.fake.fault('*', { kind: 'usage-cap' });
    const source = h.make();
    const err = await pollError(source, null);
    expect(err.state).toBe('usage-capped');
    expect(err.retryInMs).toBeLessThanOrEqual(3_600_000);
    const calls = h.fake.calls.length;

    h.clock.advance(20 * 60_000); // well past any rate-limit window
    for (let i = 0; i < 3; i++) expect((await pollError(source, null)).state).toBe('usage-capped');
    expect(h.fake.calls.length).toBe(calls);
    const health = source.health!();
    expect(health.state).toBe('usage-capped');
    expect(health.pausedUntil).toBe(new Date(startOfNextUtcMonth(h.clock.now())).toISOString());
    expect(h.log.lines.filter((l) => l.includes('x.usage-cap'))).toHaveLength(1);

    source.resume!();
    h.fake.clearFaults();
    const r = await source.poll(null, signal);
    expect(r.cursor).not.toBeNull();
    expect(h.fake.calls.length).toBeGreaterThan(calls);
    expect(source.health!().state).toBe('ok');
  });

  it('pauses every X feed when one of them meets the usage cap', async () => {
    h.fake.fault('search/recent', { kind: 'usage-cap' });
    await pollError(h.make({}, { accounts: [] }), null);
    const calls = h.fake.calls.length;
    const other = h.make({}, { id: 'autre-feed', hashtags: ['Autre'] });
    expect((await pollError(other, null)).state).toBe('usage-capped');
    expect(h.fake.calls.length).toBe(calls);
  });

  it('lifts the usage-cap pause at the start of the next UTC month', async () => {
    h.fake.fault('search/recent', { kind: 'usage-cap' });
    const source = h.make({}, { accounts: [] });
    await pollError(source, null);
    h.clock.set(startOfNextUtcMonth(h.clock.now()) + 1000);
    await source.poll(null, signal);
    expect(h.fake.callsTo('search/recent')).toHaveLength(2);
  });

  it.each([
    ['unauthorized', 401],
    ['forbidden', 403],
  ] as const)('reports a %s token as misconfigured with one log line over several polls', async (kind, status) => {
    h.fake.fault('*', { kind }, 10);
    const source = h.make();
    for (let i = 0; i < 4; i++) {
      const err = await pollError(source, null);
      expect(err.state).toBe('misconfigured');
      expect(err.retryInMs).toBe(15 * 60_000);
      h.clock.advance(err.retryInMs);
    }
    const lines = h.log.lines.filter((l) => l.includes('x.misconfigured'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(String(status));
    expect(source.health!().state).toBe('misconfigured');
  });

  it('reports a wrong token (rejected by X) as misconfigured', async () => {
    const source = createXSource(
      {
        feed: feedSchema.parse({ id: 'f', title: 'F', source: 'x', hashtags: ['FeteDuLivre'] }),
        state: memoryState(),
        sharedState: memoryState(),
        clock: h.clock,
        log: h.log,
        displayedIds: () => [],
      },
      { bearerToken: 'wrong-token', baseUrl: h.fake.baseUrl },
    );
    expect((await pollError(source, null)).state).toBe('misconfigured');
  });

  it('backs off with growing, jittered delays on 503 and recovers', async () => {
    h.fake.fault('search/recent', { kind: 'unavailable' }, 4);
    const jitter = [0, 0.99, 0.5, 0.25];
    let i = 0;
    const source = h.make({ random: () => jitter[i++ % jitter.length]! }, { accounts: [] });
    const delays: number[] = [];
    for (let n = 0; n < 4; n++) {
      const err = await pollError(source, null);
      expect(err.state).toBe('unavailable');
      delays.push(err.retryInMs);
      h.clock.advance(err.retryInMs);
    }
    // Steps of 30 s, 60 s, 120 s, 240 s, each jittered within [step/2, step].
    expect(delays[0]).toBe(15_000);
    expect(delays[1]).toBeGreaterThan(59_000);
    expect(delays[2]).toBe(90_000);
    expect(delays[3]).toBe(150_000);
    for (let n = 1; n < delays.length; n++) expect(delays[n]!).toBeGreaterThanOrEqual(delays[n - 1]!);
    expect(source.health!().state).toBe('unavailable');
    await source.poll(null, signal);
    expect(source.health!().state).toBe('ok');
  });

  it('treats a timeout and a truncated body as unavailable', async () => {
    h.fake.fault('search/recent', { kind: 'delay', ms: 1000 });
    const source = h.make({ requestTimeoutMs: 100 }, { accounts: [] });
    const timeout = await pollError(source, null);
    expect(timeout.state).toBe('unavailable');
    h.fake.fault('search/recent', { kind: 'malformed' });
    const malformed = await pollError(source, null);
    expect(malformed.state).toBe('unavailable');
    expect(malformed.retryInMs).toBeGreaterThan(timeout.retryInMs);
  });

  it('reports a query X rejects (400) as misconfigured', async () => {
    h.fake.fault('search/recent', {
      kind: 'bad-request',
      message: 'There were errors processing your request: Ambiguous use of or',
    });
    const err = await pollError(h.make({}, { accounts: [] }), null);
    expect(err.state).toBe('misconfigured');
    expect(err.message).toContain('Ambiguous');
  });

  it('slows down as the monthly budget is used, then stops before exceeding it', async () => {
    post(h.town, 'Un #FeteDuLivre');
    const month = new Date(START).toISOString().slice(0, 7);
    const source = h.make({ monthlyPostBudget: 1000 }, { accounts: [] });

    const fresh = await source.poll(null, signal);
    expect(fresh.nextPollInMs).toBe(900_000);

    h.sharedState.set('monthlyReads', { month, posts: 750, users: 0 });
    const slower = await source.poll(fresh.cursor, signal);
    expect(slower.nextPollInMs).toBe(1_800_000);

    h.sharedState.set('monthlyReads', { month, posts: 960, users: 0 });
    const r = await source.poll(slower.cursor, signal);
    const last = h.fake.callsTo('search/recent').at(-1)!;
    expect(Number(last.query.max_results)).toBeLessThanOrEqual(20); // half of the 40 reads left
    expect(r.nextPollInMs).toBeGreaterThan(1_800_000);

    h.sharedState.set('monthlyReads', { month, posts: 995, users: 0 });
    const calls = h.fake.calls.length;
    const err = await pollError(source, r.cursor);
    expect(err.state).toBe('budget-exhausted');
    expect(h.fake.calls.length).toBe(calls);
    expect(source.health!()).toMatchObject({
      state: 'budget-exhausted',
      budget: { monthlyPostBudget: 1000, used: 995, remaining: 5 },
    });
  });

  it('polls again within recheckHours even when the interval and the budget pace ask for longer', async () => {
    const month = new Date(START).toISOString().slice(0, 7);
    const fixed = h.make({ recheckHours: 6 }, { accounts: [], pollSeconds: 86_400 });
    expect((await fixed.poll(null, signal)).nextPollInMs).toBe(6 * 3_600_000);

    h.sharedState.set('monthlyReads', { month, posts: 950, users: 0 });
    const slowed = h.make({ slowPollSeconds: 86_400, monthlyPostBudget: 1000 }, { id: 'other', accounts: [] });
    expect((await slowed.poll(null, signal)).nextPollInMs).toBe(24 * 3_600_000);
  });

  it('counts post and user reads per day and per month', async () => {
    post(h.town, 'Un #FeteDuLivre');
    post(h.reader, 'Deux #FeteDuLivre');
    const source = h.make();
    await source.poll(null, signal);
    const health = source.health!() as {
      reads: { today: { posts: number; users: number }; month: { posts: number }; allFeedsMonth: { posts: number } };
    };
    // Timeline: 1 post + 1 user; search: 2 posts + 2 users; users/by/username: 1 user.
    expect(health.reads.today).toEqual({ posts: 3, users: 4 });
    expect(health.reads.month.posts).toBe(3);
    expect(health.reads.allFeedsMonth.posts).toBe(3);
    h.clock.advance(24 * 3_600_000);
    expect((source.health!() as typeof health).reads.today).toEqual({ posts: 0, users: 0 });
  });

  it('re-checks the displayed posts and removes deleted, protected and withheld ones', async () => {
    const protectedUser = h.fake.addUser({ username: 'prive', protected: false });
    const kept = post(h.town, 'Reste #FeteDuLivre');
    const deleted = post(h.town, 'Supprimé #FeteDuLivre');
    const hidden = post(protectedUser, 'Compte protégé #FeteDuLivre');
    const withheld = post(h.reader, 'Retenu #FeteDuLivre', { withheld: { copyright: true, country_codes: ['FR'] } });
    const ids = Array.from({ length: 150 }, () => fakeId());
    h.displayed.push(kept.id, deleted.id, hidden.id, withheld.id, ...ids);

    const source = h.make({ recheckHours: 6 }, { accounts: [] });
    const r1 = await source.poll(null, signal);
    expect(r1.removals.sort()).toEqual([...ids, withheld.id].sort()); // unknown to X, or withheld
    h.displayed.splice(3);
    expect(h.fake.callsTo('tweets')).toHaveLength(2); // 154 ids in batches of 100
    expect(h.fake.callsTo('tweets')[0]!.query.ids!.split(',')).toHaveLength(100);
    expect(h.fake.callsTo('tweets')[0]!.query.expansions).toBeUndefined(); // no user reads billed

    h.fake.state.deleted.add(deleted.id);
    h.fake.state.users.get(protectedUser.id)!.protected = true;
    h.clock.advance(3 * 3_600_000);
    const r2 = await source.poll(r1.cursor, signal);
    expect(r2.removals).toEqual([]);
    expect(h.fake.callsTo('tweets')).toHaveLength(2);

    h.clock.advance(3 * 3_600_000);
    const r3 = await source.poll(r2.cursor, signal);
    expect(r3.removals.sort()).toEqual([deleted.id, hidden.id].sort());
    expect(h.fake.callsTo('tweets')).toHaveLength(3);
  });

  it('re-checks withheld posts out of the feed', async () => {
    const withheld = post(h.reader, 'Retenu', { withheld: { copyright: false, country_codes: ['FR', 'DE'] } });
    h.displayed.push(withheld.id);
    const r = await h.make({}, { accounts: [] }).poll(null, signal);
    expect(r.removals).toEqual([withheld.id]);
  });

  it('polls fast inside the event window, slow outside, and never below the rate-limit floor', async () => {
    const window = {
      start: new Date(START + 5 * 60_000).toISOString(),
      end: new Date(START + 3_600_000).toISOString(),
    };
    const source = h.make({}, { eventWindow: window, accounts: [] });
    const before = await source.poll(null, signal);
    expect(before.nextPollInMs).toBe(5 * 60_000); // wakes up when the event starts
    h.clock.advance(10 * 60_000);
    expect((await source.poll(before.cursor, signal)).nextPollInMs).toBe(60_000);
    h.clock.advance(2 * 3_600_000);
    expect((await source.poll(before.cursor, signal)).nextPollInMs).toBe(900_000);

    // The legacy Basic tier allows 60 searches per 15 minutes: 5 queries (20 long hashtags, the most a feed has) → at least 75 s.
    const many = Array.from({ length: 20 }, (_, i) => `Tag${i}${'x'.repeat(94)}`);
    h.fake.state.limits['search/recent'] = 60;
    h.fake.state.rateLimits.delete('search/recent');
    const fixed = h.make({}, { id: 'many', hashtags: many, accounts: [], pollSeconds: 10 });
    const r = await fixed.poll(null, signal);
    expect(buildSearchQueries(many).length).toBeGreaterThanOrEqual(5);
    expect(r.nextPollInMs).toBeGreaterThanOrEqual((15 * 60_000 * buildSearchQueries(many).length) / 60);
  });

  it('never exposes or logs the token', async () => {
    h.fake.fault('*', { kind: 'unauthorized' });
    const source = h.make();
    await pollError(source, null).catch(() => undefined);
    h.fake.fault('search/recent', { kind: 'unavailable' });
    await source.poll(null, signal).catch(() => undefined);
    const health = JSON.stringify(source.health!());
    expect(health).not.toContain(TOKEN);
    expect(health).not.toContain(TOKEN.slice(0, 20));
    for (const line of h.log.lines) expect(line).not.toContain(TOKEN);
    for (const value of h.state.data.values()) expect(value).not.toContain(TOKEN);
    for (const value of h.sharedState.data.values()) expect(value).not.toContain(TOKEN);
  });

  it('hides the token a gateway echoes in another letter case, and keeps what it said for operators', async () => {
    const echoes = [TOKEN.toLowerCase(), TOKEN.toUpperCase()];
    h.fake.fault('search/recent', { kind: 'echo-token' });
    h.fake.fault('search/recent', { kind: 'echo-token', status: 503 });
    const source = h.make({}, { accounts: [] });
    const misconfigured = await pollError(source, null);
    const unavailable = await pollError(source, null);
    expect([misconfigured.state, unavailable.state]).toEqual(['misconfigured', 'unavailable']);

    const operator = JSON.stringify(source.health!('operator'));
    const texts = [misconfigured.message, unavailable.message, operator, JSON.stringify(source.health!())];
    for (const text of [...texts, ...h.log.lines]) for (const echo of echoes) expect(text).not.toContain(echo);
    expect(operator).toContain('Gateway refused bearer [redacted]');
    expect(h.log.lines.join('\n')).toContain('Gateway refused bearer [redacted]');
    // The public view says the state and when, not what upstream said.
    expect(source.health!('public')).toMatchObject({ state: 'unavailable', lastError: { kind: 'unavailable' } });
    expect(JSON.stringify(source.health!('public'))).not.toMatch(/gateway|refused|token/i);
  });

  it('remembers an account X does not know and reads the others', async () => {
    post(h.town, 'Un');
    const source = h.make({}, { accounts: ['saint_etienne_', 'inconnu_42'], hashtags: [] });
    const r1 = await source.poll(null, signal);
    expect(r1.posts).toHaveLength(1);
    await source.poll(r1.cursor, signal);
    expect(h.fake.callsTo('users/by/username')).toHaveLength(2);
    expect(h.log.lines.filter((l) => l.includes('x.account.not-found'))).toHaveLength(1);
  });

  it('stops waiting when the poll is aborted mid-request', async () => {
    h.fake.fault('search/recent', { kind: 'delay', ms: 5000 });
    const controller = new AbortController();
    const started = Date.now();
    const polling = h.make({ requestTimeoutMs: 10_000 }, { accounts: [] }).poll(null, controller.signal);
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(polling).rejects.toThrow('shutting down');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('respects x-rate-limit-remaining: 0 on a successful answer', async () => {
    h.fake.state.limits['search/recent'] = 1;
    const source = h.make({}, { accounts: [], pollSeconds: 60 });
    const r1 = await source.poll(null, signal);
    h.clock.advance(60_000);
    expect((await pollError(source, r1.cursor)).state).toBe('rate-limited');
    expect(h.fake.callsTo('search/recent')).toHaveLength(1);
  });

  it('retries a failed compliance re-check on the next poll', async () => {
    const gone = post(h.town, 'Supprimé');
    h.displayed.push(gone.id);
    h.fake.state.deleted.add(gone.id);
    h.fake.fault('tweets', { kind: 'unavailable' });
    const source = h.make({}, { accounts: [] });
    const r1 = await source.poll(null, signal);
    expect(r1.removals).toEqual([]);
    const r2 = await source.poll(r1.cursor, signal);
    expect(r2.removals).toEqual([gone.id]);
  });

  it('reads the known accounts while looking up a new one fails', async () => {
    post(h.town, 'Un');
    const source = h.make({}, { hashtags: [] });
    const r1 = await source.poll(null, signal);
    const other = h.fake.addUser({ username: 'mediatheque' });
    const second = post(other, 'Deux');
    const third = post(h.town, 'Trois');
    h.fake.fault('users/by/username', { kind: 'rate-limit', resetInSeconds: 300 });
    const grown = h.make({}, { accounts: ['mediatheque', 'saint_etienne_'], hashtags: [], pollSeconds: 60 });
    const r2 = await grown.poll(r1.cursor, signal);
    expect(r2.posts.map((p) => p.id)).toEqual([third.id]);
    h.clock.advance(301_000);
    const r3 = await grown.poll(r2.cursor, signal);
    expect(r3.posts.map((p) => p.id)).toEqual([second.id]);
  });

  it('stops before calling X when the poll is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(h.make().poll(null, controller.signal)).rejects.toThrow();
    expect(h.fake.calls).toHaveLength(0);
  });
});

export type { PollResult };

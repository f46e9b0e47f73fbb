import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedSchema } from '../../../../server/config.js';
import type { Clock } from '../../../../server/clock.js';
import { memoryLogger } from '../../../../server/log.js';
import { SourceError } from '../../../../server/sources/source.js';
import type { Source } from '../../../../server/sources/source.js';
import { startOfNextUtcMonth } from '../../../../server/sources/x/budget.js';
import { createXSource, type XSourceOptions } from '../../../../server/sources/x/x-source.js';
import type { XUser } from '../../../../server/sources/x/api-types.js';
import { fakeId, fakePhoto, fakeTweet, snowflakeAt, startFakeX } from '../../../fake-x/fake-x-server.js';
import type { FakeX } from '../../../fake-x/fake-x-server.js';
import { memoryState } from '../../../helpers/memory-state.js';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAsecret-bearer-token-for-tests';
const START = Date.parse('2026-10-10T08:00:00.000Z');

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
      const settings = feedSchema.parse({
        id: 'fete-du-livre',
        title: 'Fête du livre',
        source: 'x',
        accounts: ['saint_etienne_'],
        hashtags: ['FeteDuLivre'],
        ...feed,
      });
      return createXSource(
        {
          feed: settings,
          source: settings.sources[0]!,
          state,
          sharedState,
          clock,
          log,
          displayedIds: () => [...displayed],
        },
        { bearerToken: TOKEN, baseUrl: fake.baseUrl, requestTimeoutMs: 2000, ...options },
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
    expect(JSON.parse(result.cursor!)).toMatchObject({ v: 1 });
    // What the next poll must respect: the re-check within a day; no floor, no slow-down yet.
    expect(result.pacing).toEqual({ pollBy: START + 24 * 3_600_000 - 60_000, minIntervalMs: 2_000, slowdown: 1 });
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

  it('makes no call to a rate-limited endpoint before its reset, even after a restart', async () => {
    post(h.town, 'Un #FeteDuLivre');
    h.fake.fault('search/recent', { kind: 'rate-limit', resetInSeconds: 600 });
    const source = h.make({}, { accounts: [] });
    const err = await pollError(source, null);
    expect(err.state).toBe('rate-limited');
    expect(err.notBefore! - START).toBeGreaterThanOrEqual(600_000);
    expect(err.notBefore! - START).toBeLessThanOrEqual(602_000);
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
    const source = h.make();
    const r1 = await source.poll(null, signal);
    expect(r1.posts).toHaveLength(1);
    // No failure to wait for: the others keep their pace.
    expect(r1.partialFailure).toBeUndefined();
    expect(r1.pacing?.notBefore).toBeUndefined();
    await source.poll(r1.cursor, signal);
    expect(h.fake.callsTo('search/recent')).toHaveLength(1);
    expect(h.fake.callsTo('users/tweets')).toHaveLength(2);
  });

  it('pauses on the monthly usage cap until an operator resumes', async () => {
    h.fake.fault('*', { kind: 'usage-cap' });
    const source = h.make();
    const err = await pollError(source, null);
    expect(err.state).toBe('usage-capped');
    expect(err.notBefore).toBe(START + 3_600_000);
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

  it.each([
    ['unauthorized', 401],
    ['forbidden', 403],
  ] as const)('reports a %s token as misconfigured with one log line over several polls', async (kind, status) => {
    h.fake.fault('*', { kind }, 10);
    const source = h.make();
    for (let i = 0; i < 4; i++) {
      const err = await pollError(source, null);
      expect(err.state).toBe('misconfigured');
      expect(err.notBefore).toBe(h.clock.now() + 15 * 60_000);
      h.clock.set(err.notBefore!);
    }
    const lines = h.log.lines.filter((l) => l.includes('x.misconfigured'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(String(status));
    expect(source.health!().state).toBe('misconfigured');
  });

  it('reports a wrong token (rejected by X) as misconfigured', async () => {
    const feed = feedSchema.parse({ id: 'f', title: 'F', source: 'x', hashtags: ['FeteDuLivre'] });
    const source = createXSource(
      {
        feed,
        source: feed.sources[0]!,
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

  it('treats a 503, a timeout and a truncated body as unavailable, leaving the backoff to the engine', async () => {
    h.fake.fault('search/recent', { kind: 'unavailable' });
    h.fake.fault('search/recent', { kind: 'delay', ms: 1000 });
    h.fake.fault('search/recent', { kind: 'malformed' });
    const source = h.make({ requestTimeoutMs: 100 }, { accounts: [] });
    for (let i = 0; i < 3; i++) {
      const err = await pollError(source, null);
      expect([err.state, err.notBefore]).toEqual(['unavailable', undefined]);
    }
    expect(source.health!().state).toBe('unavailable');
    await source.poll(null, signal);
    expect(source.health!().state).toBe('ok');
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

  it('reports the budget pace as the monthly budget is used, then stops before exceeding it', async () => {
    post(h.town, 'Un #FeteDuLivre');
    const month = new Date(START).toISOString().slice(0, 7);
    const source = h.make({ monthlyPostBudget: 1000 }, { accounts: [] });

    const fresh = await source.poll(null, signal);
    expect(fresh.pacing?.slowdown).toBe(1);

    h.sharedState.set('monthlyReads', { month, posts: 750, users: 0 });
    const slower = await source.poll(fresh.cursor, signal);
    expect(slower.pacing?.slowdown).toBe(2);

    h.sharedState.set('monthlyReads', { month, posts: 960, users: 0 });
    const r = await source.poll(slower.cursor, signal);
    const last = h.fake.callsTo('search/recent').at(-1)!;
    expect(Number(last.query.max_results)).toBeLessThanOrEqual(20); // half of the 40 reads left
    expect(r.pacing?.slowdown).toBeGreaterThan(2);

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

  it('respects x-rate-limit-remaining: 0 on a successful answer', async () => {
    h.fake.state.limits['search/recent'] = 1;
    const source = h.make({}, { accounts: [], pollSeconds: 60 });
    const r1 = await source.poll(null, signal);
    h.clock.advance(60_000);
    expect((await pollError(source, r1.cursor)).state).toBe('rate-limited');
    expect(h.fake.callsTo('search/recent')).toHaveLength(1);
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
});

import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../../server/log.js';
import type { XTweetsPayload } from '../../../../server/sources/x/api-types.js';
import { XApiError } from '../../../../server/sources/x/client.js';
import { ReadLedger } from '../../../../server/sources/x/ledger.js';
import { XRateLimits } from '../../../../server/sources/x/limits.js';
import {
  buildSearchQueries,
  newer,
  parseCursor,
  snowflakeTime,
  XReader,
  type Unit,
} from '../../../../server/sources/x/reader.js';
import { fakeTweet, fakeUser, snowflakeAt } from '../../../fake-x/fake-x-server.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { memoryState } from '../../../helpers/memory-state.js';
import { stubClient } from './stub-client.js';

const NOW = Date.parse('2026-10-17T08:00:00Z');
const DAY = 86_400_000;
const signal = new AbortController().signal;
const town = fakeUser({ username: 'saint_etienne_' });
const search: Unit = { kind: 'search', key: '#FeteDuLivre -is:retweet', target: '#FeteDuLivre -is:retweet' };
const timeline: Unit = { kind: 'timeline', key: 'saint_etienne_', target: town.id };

/** A page of `n` posts, newest first, with `next_token` when more follow. */
function page(n: number, next?: string): XTweetsPayload {
  const data = Array.from({ length: n }, (_, i) => fakeTweet({ author: town, text: `Annonce ${i}` }).tweet).reverse();
  return { data, includes: { users: [town] }, meta: { result_count: n, newest_id: data[0]?.id, next_token: next } };
}

function reader(answers: Parameters<typeof stubClient>[0] = {}, options: { budgetLeft?: number } = {}) {
  const clock = new FakeClock(NOW);
  const stub = stubClient(answers);
  const shared = memoryState();
  const state = memoryState();
  const log = memoryLogger();
  const ledger = new ReadLedger(state, shared, clock);
  const r = new XReader({
    client: stub.client,
    limits: new XRateLimits(shared, clock),
    ledger,
    state,
    clock,
    log,
    budgetLeft: () => options.budgetLeft ?? Infinity,
    pageSize: 100,
    firstPageSize: 20,
    maxPages: 2,
  });
  return { reader: r, stub, clock, log, ledger, state };
}

describe('search queries and cursors', () => {
  it('combines hashtags into one query and splits when longer than 512 characters', () => {
    expect(buildSearchQueries(['FeteDuLivre'])).toEqual(['#FeteDuLivre -is:retweet']);
    expect(buildSearchQueries(['FeteDuLivre', '#SaintEtienne', 'FeteDuLivre'])).toEqual([
      '(#FeteDuLivre OR #SaintEtienne) -is:retweet',
    ]);
    const tags = Array.from({ length: 60 }, (_, i) => `Hashtag${String(i).padStart(3, '0')}`);
    const queries = buildSearchQueries(tags);
    expect(queries.length).toBeGreaterThan(1);
    for (const q of queries) expect(q.length).toBeLessThanOrEqual(512);
    expect(queries.join(' ').match(/#Hashtag\d+/g)).toHaveLength(60);
  });

  it('starts afresh from a cursor it cannot read, and keeps the newer of two ids by value', () => {
    expect(parseCursor(null)).toEqual({ v: 1, accounts: {}, queries: {} });
    expect(parseCursor('{"n":8}')).toEqual({ v: 1, accounts: {}, queries: {} });
    expect(parseCursor('not json')).toEqual({ v: 1, accounts: {}, queries: {} });
    expect(parseCursor('{"v":1,"queries":{"q":"5"}}')).toEqual({ v: 1, accounts: {}, queries: { q: '5' } });
    expect(newer('99', '100')).toBe('100');
    expect(newer(undefined, '7')).toBe('7');
    expect(snowflakeTime(snowflakeAt(NOW))).toBe(NOW);
    expect(snowflakeTime('not-an-id')).toBe(0);
  });
});

describe('XReader.read', () => {
  it('reads only the latest page, of the first-read size, when a unit has no cursor yet', async () => {
    const { reader: r, stub, ledger, clock } = reader({ search: [page(20, 'more')] });
    const read = await r.read(search, undefined, signal);
    expect(stub.calls).toHaveLength(1);
    expect(stub.calls[0]!.args).toEqual({ query: search.target, max_results: 20 });
    expect(read.posts).toHaveLength(20);
    expect(read.newest).toBe(read.posts[0]!.id);
    expect(ledger.feed(clock.now())).toMatchObject({ dayPosts: 20, dayUsers: 1 });
  });

  it('catches up page after page with the same since_id, up to the page cap, and says it skipped the rest', async () => {
    const first = page(100, 'p2');
    const { reader: r, stub, log } = reader({ timeline: [first, page(100, 'p3')] });
    const read = await r.read(timeline, '42', signal);
    expect(stub.calls.map((c) => c.args)).toEqual([
      { userId: town.id, max_results: 100, since_id: '42', exclude: 'replies' },
      { userId: town.id, max_results: 100, since_id: '42', exclude: 'replies', pagination_token: 'p2' },
    ]);
    expect(read.posts).toHaveLength(200);
    expect(read.newest).toBe(first.meta!.newest_id);
    expect(log.lines.some((l) => l.includes('x.catch-up.capped'))).toBe(true);
  });

  it('asks for at most half of what the budget leaves, and reads nothing when that is less than a page', async () => {
    const { reader: r, stub } = reader({}, { budgetLeft: 40 });
    await r.read(search, '42', signal);
    expect(stub.calls[0]!.args).toMatchObject({ max_results: 20 });
    const poor = reader({}, { budgetLeft: 19 });
    expect(await poor.reader.read(search, '42', signal)).toMatchObject({ budgetStopped: true, posts: [] });
    expect(poor.stub.calls).toEqual([]);
  });

  it('reads an empty answer with no data key as no posts, and leaves the cursor where it was', async () => {
    const { reader: r } = reader({ search: [{ meta: { result_count: 0 } }] });
    expect(await r.read(search, '42', signal)).toMatchObject({ posts: [], newest: undefined });
  });

  it("starts a quiet hashtag from the search window's edge when its since_id is older than 7 days", async () => {
    const { reader: r, stub } = reader();
    await r.read(search, snowflakeAt(NOW - 8 * DAY), signal);
    const query = stub.calls[0]!.args as Record<string, string>;
    expect(query.since_id).toBeUndefined();
    expect(Date.parse(query.start_time!)).toBe(NOW - 7 * DAY + 15 * 60_000);
  });

  it('retries once with the since_id X suggests when X finds ours too old', async () => {
    const tooOld = new XApiError(
      'bad-request',
      `HTTP 400: Invalid Request ('since_id' must be a tweet id created after 2026-10-10T08:00:00.000Z. Please use a 'since_id' that is larger than 1234567890123456789)`,
      'search',
      400,
    );
    const { reader: r, stub } = reader({ search: [tooOld, page(1)] });
    const read = await r.read(search, snowflakeAt(NOW - DAY), signal);
    expect(read.posts).toHaveLength(1);
    expect((stub.calls[1]!.args as Record<string, string>).since_id).toBe('1234567890123456789');
    const other = reader({ search: [tooOld, tooOld] });
    await expect(other.reader.read(search, snowflakeAt(NOW - DAY), signal)).rejects.toThrow('since_id');
    expect(other.stub.calls).toHaveLength(2);
  });
});

describe('XReader.timelines', () => {
  it('looks an account up once, and an account X does not know again only a day later', async () => {
    const {
      reader: r,
      stub,
      clock,
      log,
    } = reader({ user: [{ data: town }, { errors: [{ title: 'Not Found Error' }] }] });
    const units = await r.timelines(['saint_etienne_', 'inconnu_42'], signal, []);
    expect(units).toEqual([timeline]);
    await r.timelines(['saint_etienne_', 'inconnu_42'], signal, []);
    expect(stub.calls).toHaveLength(2);
    expect(log.lines.filter((l) => l.includes('x.account.not-found'))).toHaveLength(1);
    await clock.advance(DAY);
    await r.timelines(['saint_etienne_', 'inconnu_42'], signal, []);
    expect(stub.calls.map((c) => c.args)).toEqual(['saint_etienne_', 'inconnu_42', 'inconnu_42']);
  });

  it('reads the known accounts when a look-up fails, and makes no other look-up after a rate limit', async () => {
    const limited = new XApiError('rate-limit', 'X rate limit reached on user', 'user', 429);
    const { reader: r, stub, state } = reader({ user: [limited] });
    state.set('userIds', { saint_etienne_: { id: town.id, username: town.username } });
    const failures: XApiError[] = [];
    const units = await r.timelines(['mediatheque', 'bibliotheque', 'saint_etienne_'], signal, failures);
    expect(units).toEqual([timeline]);
    expect(failures).toEqual([limited]);
    expect(stub.calls).toHaveLength(1);
  });
});

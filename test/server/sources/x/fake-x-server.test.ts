import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeTweet, parseQuery, startFakeX } from '../../../fake-x/fake-x-server.js';
import type { FakeX } from '../../../fake-x/fake-x-server.js';

let fake: FakeX;
let now = Date.parse('2026-10-10T08:00:00Z');

beforeEach(async () => {
  fake = await startFakeX({ token: 't', now: () => now });
});
afterEach(async () => {
  await fake.close();
});

async function get(path: string, token = 't') {
  const res = await fetch(fake.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

describe('fake X API', () => {
  it('parses search queries with hashtags, OR, from: and -is:retweet', () => {
    const a = fake.addUser({ username: 'alice' });
    const b = fake.addUser({ username: 'bob' });
    const t1 = fakeTweet({ author: a, text: 'un #FeteDuLivre' }).tweet;
    const t2 = fakeTweet({ author: b, text: 'deux #SaintEtienne' }).tweet;
    const rt = fakeTweet({ author: b, retweetOf: { tweet: t1, author: a } }).tweet;
    const match = (q: string) => [t1, t2, rt].filter((t) => parseQuery(q)(t, fake.state.users)).map((t) => t.id);
    expect(match('(#FeteDuLivre OR #SaintEtienne) -is:retweet')).toEqual([t1.id, t2.id]);
    expect(match('#fetedulivre')).toEqual([t1.id, rt.id]);
    expect(match('from:bob')).toEqual([t2.id, rt.id]);
    expect(match('from:bob -is:retweet')).toEqual([t2.id]);
  });

  it('answers newest first with since_id and next_token pagination, and no data key when empty', async () => {
    const a = fake.addUser({ username: 'alice' });
    const tweets = Array.from({ length: 25 }, (_, i) =>
      fake.addTweet(fakeTweet({ author: a, text: `n${i} #Tag` }).tweet),
    );
    const q = '/2/tweets/search/recent?query=%23Tag&max_results=10';
    const p1 = await get(q);
    expect(p1.headers.get('content-type')).toContain('application/json');
    expect(p1.body.data.map((t: { id: string }) => t.id)).toEqual(
      tweets
        .slice(15)
        .reverse()
        .map((t) => t.id),
    );
    expect(p1.body.meta).toMatchObject({ result_count: 10, newest_id: tweets[24]!.id, next_token: expect.any(String) });
    const p2 = await get(`${q}&since_id=${tweets[4]!.id}&next_token=${p1.body.meta.next_token}`);
    expect(p2.body.data.map((t: { id: string }) => t.id)).toEqual(
      tweets
        .slice(5, 15)
        .reverse()
        .map((t) => t.id),
    );
    expect(p2.body.meta.next_token).toBeUndefined();
    const empty = await get(`${q}&since_id=${tweets[24]!.id}`);
    expect(empty.body).toEqual({ meta: { result_count: 0 } });
    expect((await get(`${q}&next_token=garbage`)).status).toBe(400);
    // Only the default fields unless asked.
    expect(Object.keys(p1.body.data[0]).sort()).toEqual(['edit_history_tweet_ids', 'id', 'text']);
  });

  it('checks the bearer token and counts down rate limits per endpoint', async () => {
    expect((await get('/2/users/by/username/alice', 'wrong')).status).toBe(401);
    fake.state.limits['users/by/username'] = 2;
    const r1 = await get('/2/users/by/username/nobody');
    expect(r1.status).toBe(200);
    expect(r1.body.errors[0].title).toBe('Not Found Error');
    expect(r1.headers.get('x-rate-limit-remaining')).toBe('1');
    await get('/2/users/by/username/nobody');
    const r3 = await get('/2/users/by/username/nobody');
    expect(r3.status).toBe(429);
    expect(Number(r3.headers.get('x-rate-limit-reset'))).toBe(Math.floor(now / 1000) + 900);
    now += 901_000;
    expect((await get('/2/users/by/username/nobody')).status).toBe(200);
    expect(fake.callsTo('users/by/username')).toHaveLength(5);
  });

  it('injects a usage cap with requests still remaining', async () => {
    fake.fault('search/recent', { kind: 'usage-cap' });
    const r = await get('/2/tweets/search/recent?query=%23a');
    expect(r.status).toBe(429);
    expect(r.body.title).toBe('UsageCapExceeded');
    expect(Number(r.headers.get('x-rate-limit-remaining'))).toBeGreaterThan(0);
  });
});

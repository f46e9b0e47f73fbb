import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBlueskyClient } from '../../../../server/sources/bluesky/client.js';
import type { BskyFeedViewPost } from '../../../../server/sources/bluesky/lexicon.js';
import { normalizeFeedItem, normalizePostView } from '../../../../server/sources/bluesky/normalize.js';
import { startFakeBluesky, type FakeBluesky } from '../../../fake-bluesky/fake-bluesky-server.js';
import { fakeActor, fakePost } from '../../../fake-bluesky/fixtures.js';
import { trapActors, trapPosts } from '../../../fake-bluesky/traps.js';

let fake: FakeBluesky;
let now: number;
const town = fakeActor('ville-saint-etienne.fr');

async function xrpc(base: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${base}/xrpc/${path}`, init);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

beforeEach(async () => {
  now = Date.parse('2026-10-10T10:00:00.000Z');
  fake = await startFakeBluesky({ now: () => now, limit: 3 });
});

afterEach(async () => {
  await fake.close();
});

describe('the fake Bluesky', () => {
  it('pages an author feed with a time cursor, newest first', async () => {
    for (let i = 0; i < 5; i++)
      fake.addPost(fakePost({ author: town, text: `${i}`, createdAt: `2026-10-10T0${i}:00:00.000Z` }));
    const first = await xrpc(fake.appViewUrl, `app.bsky.feed.getAuthorFeed?actor=${town.handle}&limit=3`);
    const feed = first.body.feed as BskyFeedViewPost[];
    expect(feed.map((i) => i.post.record.text)).toEqual(['4', '3', '2']);
    const second = await xrpc(
      fake.appViewUrl,
      `app.bsky.feed.getAuthorFeed?actor=${town.did}&limit=3&cursor=${encodeURIComponent(first.body.cursor as string)}`,
    );
    expect((second.body.feed as BskyFeedViewPost[]).map((i) => i.post.record.text)).toEqual(['1', '0']);
    expect(second.body.cursor).toBeUndefined();
  });

  it('counts requests per window in ratelimit-* headers and answers 429 past the limit', async () => {
    fake.addActor(town);
    const path = `com.atproto.identity.resolveHandle?handle=${town.handle}`;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await xrpc(fake.appViewUrl, path));
    expect(answers.map((a) => [a.status, a.headers.get('ratelimit-remaining')])).toEqual([
      [200, '2'],
      [200, '1'],
      [200, '0'],
      [429, '0'],
    ]);
    expect(answers[3]!.body).toEqual({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' });
    expect(answers[3]!.headers.get('ratelimit-reset')).toBe(String(now / 1000 + 300));
    now += 300_000;
    expect((await xrpc(fake.appViewUrl, path)).status).toBe(200);
  });

  it('takes at most 25 uris in getPosts', async () => {
    const query = Array.from({ length: 26 }, (_, i) => `uris=at://${town.did}/app.bsky.feed.post/${i}`).join('&');
    expect(await xrpc(fake.appViewUrl, `app.bsky.feed.getPosts?${query}`)).toMatchObject({
      status: 400,
      body: { error: 'InvalidRequest' },
    });
  });

  it('uses each refresh token once, and wants a token for search on the PDS', async () => {
    fake.addAccount(town, 'abcd-efgh-ijkl-mnop');
    const login = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: town.handle, password: 'abcd-efgh-ijkl-mnop' }),
    };
    const session = (await xrpc(fake.pdsUrl, 'com.atproto.server.createSession', login)).body;
    const refresh = { method: 'POST', headers: { authorization: `Bearer ${session.refreshJwt as string}` } };
    expect((await xrpc(fake.pdsUrl, 'com.atproto.server.refreshSession', refresh)).status).toBe(200);
    expect(await xrpc(fake.pdsUrl, 'com.atproto.server.refreshSession', refresh)).toMatchObject({
      status: 400,
      body: { error: 'ExpiredToken', message: 'Token has been revoked' },
    });
    expect(await xrpc(fake.pdsUrl, 'app.bsky.feed.searchPosts?q=x')).toMatchObject({
      status: 401,
      body: { error: 'AuthMissing' },
    });
  });

  it('serves every trap through the real client to the normaliser', async () => {
    const actors = trapActors();
    const traps = trapPosts(actors);
    const views = Object.entries(traps).filter(([name]) => !['repost', 'repostByRestricted', 'texts'].includes(name));
    for (const [, view] of views) fake.addPost(view as ReturnType<typeof fakePost>);
    fake.addRepost(actors.town, traps.original, '2026-10-10T12:00:00.000Z');
    const client = createBlueskyClient({ appViewUrl: fake.appViewUrl });
    const uris = views.map(([, view]) => (view as { uri: string }).uri);
    const { body } = await client.getPosts(uris);
    expect(body.posts).toHaveLength(uris.length);
    const results = body.posts.map((view) => normalizePostView(view));
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['author-restricted']);
    const feed = await client.getAuthorFeed(actors.town.handle);
    const repost = feed.body.feed.map(normalizeFeedItem).find((r) => r.ok && r.post.repostedBy);
    expect(repost?.ok && repost.post.repostedBy?.handle).toBe(actors.town.handle);
  });

  it('replays Jetstream events from a cursor, filtered by wantedDids', async () => {
    const first = fake.jetstream.create(town.did, '3a', { text: 'un' });
    fake.jetstream.create('did:plc:other', '3b', { text: 'deux' });
    fake.jetstream.create(town.did, '3c', { text: 'trois' });
    const ws = new WebSocket(
      `${fake.jetstreamUrl}?wantedCollections=app.bsky.feed.post&wantedDids=${town.did}&cursor=${first.time_us + 1}`,
    );
    const received: string[] = [];
    await new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        received.push(JSON.parse(data.toString()).commit.record.text);
        resolve();
      });
    });
    ws.terminate();
    expect(received).toEqual(['trois']);
  });
});

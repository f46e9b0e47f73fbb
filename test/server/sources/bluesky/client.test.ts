import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBlueskyClient,
  type BlueskyClient,
  type BlueskyClientOptions,
} from '../../../../server/sources/bluesky/client.js';
import { CREDENTIALS_MISSING, LOGIN_RETRY_MS } from '../../../../server/sources/bluesky/session.js';
import { BlueskyApiError } from '../../../../server/sources/bluesky/xrpc.js';
import { startFakeBluesky, type FakeBluesky } from '../../../fake-bluesky/fake-bluesky-server.js';
import { fakeActor, fakePost } from '../../../fake-bluesky/fixtures.js';

const PASSWORD = 'abcd-efgh-ijkl-mnop';
const START = Date.parse('2026-10-10T08:00:00.000Z');

let fake: FakeBluesky;
let now: number;
const town = fakeActor('ville-saint-etienne.fr');

function client(options: Partial<BlueskyClientOptions> = {}): BlueskyClient {
  return createBlueskyClient({
    appViewUrl: fake.appViewUrl,
    pdsUrl: fake.pdsUrl,
    credentials: { identifier: town.handle, appPassword: PASSWORD },
    now: () => now,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<BlueskyApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BlueskyApiError);
    return err as BlueskyApiError;
  }
  throw new Error('expected a failure');
}

const search = { q: '#FeteDuLivre' };

beforeEach(async () => {
  now = START;
  fake = await startFakeBluesky({ now: () => now });
  fake.addAccount(town, PASSWORD);
  fake.addPost(fakePost({ author: town, text: 'Ouverture de la #FeteDuLivre', createdAt: '2026-10-10T07:00:00.000Z' }));
});

afterEach(async () => {
  await fake.close();
});

describe('the public AppView, without login', () => {
  it('reads an account’s posts without replies and sends no credentials', async () => {
    const reply = fakePost({
      author: town,
      text: 'Réponse',
      replyTo: [...fake.state.posts.values()][0],
      createdAt: '2026-10-10T07:30:00.000Z',
    });
    fake.addPost(reply);
    const { body, rateLimit } = await client().getAuthorFeed(`@${town.handle}`, { limit: 10 });
    expect(body.feed.map((i) => i.post.record.text)).toEqual(['Ouverture de la #FeteDuLivre']);
    const [call] = fake.callsTo('getAuthorFeed');
    expect(call!.host).toBe('appview');
    expect(call!.authorization).toBeUndefined();
    expect(Object.fromEntries(call!.query)).toEqual({ actor: town.handle, filter: 'posts_no_replies', limit: '10' });
    expect(rateLimit).toEqual({ limit: 3000, remaining: 2999, resetAt: START + 300_000, windowMs: 300_000 });
    expect(fake.callsTo('createSession')).toHaveLength(0);
  });

  it('resolves a handle to its did, and says when it cannot', async () => {
    expect(await client().resolveHandle('@Ville-Saint-Etienne.fr')).toBe(town.did);
    const error = await failure(client().resolveHandle('inconnu.bsky.social'));
    expect(error).toMatchObject({
      kind: 'bad-request',
      status: 400,
      code: 'InvalidRequest',
      endpoint: 'resolveHandle',
    });
    expect(error.message).toContain('Unable to resolve handle');
  });

  it('asks for posts by uri 25 at a time', async () => {
    const posts = Array.from({ length: 30 }, (_, i) => fake.addPost(fakePost({ author: town, text: `n°${i}` })));
    const { body } = await client().getPosts([
      ...posts.map((p) => p.uri),
      'at://did:plc:nobody/app.bsky.feed.post/3xyz',
    ]);
    expect(body.posts.map((p) => p.record.text)).toEqual(posts.map((p) => p.record.text));
    expect(fake.callsTo('getPosts').map((c) => c.query.getAll('uris').length)).toEqual([25, 6]);
  });

  it('refuses a logged-out search, as Bluesky does since 2025', async () => {
    const response = await fetch(`${fake.appViewUrl}/xrpc/app.bsky.feed.searchPosts?q=%23FeteDuLivre`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'AuthMissing', message: 'Authentication Required' });
  });
});

describe('search, as the town’s account', () => {
  it('fails with a clear error and calls nobody when no account is configured', async () => {
    const c = client({ credentials: undefined });
    expect(c.canSearch).toBe(false);
    const error = await failure(c.searchPosts(search));
    expect(error).toMatchObject({ kind: 'credentials-missing', endpoint: 'searchPosts', message: CREDENTIALS_MISSING });
    expect(CREDENTIALS_MISSING).toBe('hashtag search on Bluesky needs BLUESKY_HANDLE and BLUESKY_APP_PASSWORD');
    expect(fake.calls).toHaveLength(0);
  });

  it('logs in once on the PDS and searches through it', async () => {
    const c = client();
    const first = await c.searchPosts({ ...search, tag: ['FeteDuLivre'], since: '2026-10-10T00:00:00.000Z' });
    await c.searchPosts(search);
    expect(first.body.posts).toHaveLength(1);
    expect(fake.callsTo('createSession')).toHaveLength(1);
    const searches = fake.callsTo('searchPosts');
    expect(searches.map((s) => s.host)).toEqual(['pds', 'pds']);
    expect(searches[0]!.authorization).toMatch(/^Bearer ey/);
    expect(searches[0]!.query.getAll('tag')).toEqual(['FeteDuLivre']);
    expect(searches[0]!.query.get('sort')).toBe('latest');
  });

  it('shares one login between searches made at the same time', async () => {
    const c = client();
    await Promise.all([c.searchPosts(search), c.searchPosts(search), c.searchPosts(search)]);
    expect(fake.callsTo('createSession')).toHaveLength(1);
  });

  it('refreshes the session when the access token has expired, and retries once', async () => {
    const c = client();
    await c.searchPosts(search);
    fake.expireTokens();
    const { body } = await c.searchPosts(search);
    expect(body.posts).toHaveLength(1);
    expect(fake.callsTo('refreshSession')).toHaveLength(1);
    expect(fake.callsTo('createSession')).toHaveLength(1);
    expect(fake.callsTo('searchPosts').map((s) => s.status)).toEqual([200, 400, 200]);
  });

  it('logs in again when the refresh token has expired too', async () => {
    const c = client();
    await c.searchPosts(search);
    fake.expireTokens({ refresh: true });
    await c.searchPosts(search);
    expect(fake.callsTo('refreshSession').map((s) => s.status)).toEqual([400]);
    expect(fake.callsTo('createSession').map((s) => s.status)).toEqual([200, 200]);
  });

  it('names the setting when the app password is refused, and does not retry the login for a while', async () => {
    const c = client({ credentials: { identifier: town.handle, appPassword: 'zzzz-zzzz-zzzz-zzzz' } });
    const error = await failure(c.searchPosts(search));
    expect(error).toMatchObject({
      kind: 'auth',
      status: 401,
      code: 'AuthenticationRequired',
      endpoint: 'createSession',
    });
    expect(error.message).toContain('BLUESKY_APP_PASSWORD');
    expect(error.message).not.toMatch(/zzzz/i);
    await failure(c.searchPosts(search));
    expect(fake.callsTo('createSession')).toHaveLength(1);
    now += LOGIN_RETRY_MS;
    await failure(c.searchPosts(search));
    expect(fake.callsTo('createSession')).toHaveLength(2);
  });

  it('never lets the app password or a token through in an error', async () => {
    const c = client();
    await c.searchPosts(search);
    const token = fake.callsTo('searchPosts')[0]!.authorization!.slice('Bearer '.length);
    fake.fault('searchPosts', { kind: 'echo-secrets', status: 502 });
    const error = await failure(c.searchPosts(search));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('[redacted]');
    for (const secret of [PASSWORD, token]) {
      expect(error.message.toLowerCase()).not.toContain(secret.toLowerCase());
      expect(JSON.stringify(error)).not.toContain(secret);
    }
  });

  it('hides the app password when the login’s refusal echoes it', async () => {
    fake.fault('createSession', { kind: 'echo-secrets', status: 401 });
    const error = await failure(client().searchPosts(search));
    expect(error).toMatchObject({ kind: 'auth', endpoint: 'createSession' });
    expect(error.message).toContain('[redacted]');
    expect(error.message.toLowerCase()).not.toContain(PASSWORD);
  });
});

describe('failures, classified', () => {
  it('reports a 429 as a rate limit with its reset time', async () => {
    fake.fault('getAuthorFeed', { kind: 'rate-limit', resetInSeconds: 120 });
    const error = await failure(client().getAuthorFeed(town.did));
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429, code: 'RateLimitExceeded' });
    expect(error.rateLimit).toMatchObject({ remaining: 0, resetAt: START + 120_000 });
  });

  it('reports a 5xx as unavailable', async () => {
    fake.fault('getAuthorFeed', { kind: 'unavailable', status: 503 });
    expect(await failure(client().getAuthorFeed(town.did))).toMatchObject({ kind: 'unavailable', status: 503 });
  });

  it('reports a CDN’s HTML 403 as an auth failure, without its page', async () => {
    fake.fault('getAuthorFeed', { kind: 'html', status: 403 });
    const error = await failure(client().getAuthorFeed(town.did));
    expect(error).toMatchObject({ kind: 'auth', status: 403 });
    expect(error.message).not.toContain('<');
  });

  it('reports garbage and cut-short answers as unavailable', async () => {
    fake.fault('getAuthorFeed', { kind: 'garbage' });
    expect(await failure(client().getAuthorFeed(town.did))).toMatchObject({ kind: 'unavailable', status: 200 });
    fake.fault('getAuthorFeed', { kind: 'truncated' });
    expect(await failure(client().getAuthorFeed(town.did))).toMatchObject({ kind: 'unavailable' });
  });

  it('reports an answer without its list as unavailable', async () => {
    const c = client({ fetch: async () => new Response('{"cursor":"x"}', { status: 200 }) });
    const error = await failure(c.getAuthorFeed(town.did));
    expect(error.message).toContain('without "feed"');
  });

  it('gives up on a slow answer after the timeout', async () => {
    fake.fault('getAuthorFeed', { kind: 'delay', ms: 2_000 });
    const error = await failure(client({ requestTimeoutMs: 100 }).getAuthorFeed(town.did));
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect(error.message).toContain('within 0.1 s');
  });

  it('reports a host that cannot be reached as unavailable', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(client({ appViewUrl: `http://127.0.0.1:${port}` }).getAuthorFeed(town.did));
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect(error.message).toContain('ECONNREFUSED');
  });
});

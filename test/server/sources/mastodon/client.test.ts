import net, { type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MastodonAccount, MastodonStatus } from '../../../../server/sources/mastodon/api-types.js';
import {
  createMastodonClient,
  MastodonApiError,
  type MastodonClient,
  type MastodonClientOptions,
} from '../../../../server/sources/mastodon/client.js';
import { rejection } from '../../../helpers/rejection.js';
import { normalizeStatuses, postId } from '../../../../server/sources/mastodon/normalize.js';
import { buildTraps } from '../../../fake-mastodon/traps.js';
import { startFakeMastodon, type FakeMastodon } from '../../../fake-mastodon/fake-mastodon-server.js';
import { fakeAccount, fakeStatus } from '../../../fake-mastodon/statuses.js';

const TOKEN = 'Tok3n-Secret_abc';
let fake: FakeMastodon;
let now = Date.parse('2026-10-10T10:00:00Z');
let town: MastodonAccount;

beforeEach(async () => {
  now = Date.parse('2026-10-10T10:00:00Z');
  fake = await startFakeMastodon({ token: TOKEN, now: () => now });
  town = fake.addAccount(fakeAccount({ username: 'ville' }));
});
afterEach(async () => {
  await fake.close();
});

function client(options: Partial<MastodonClientOptions> = {}): MastodonClient {
  return createMastodonClient({ baseUrl: fake.baseUrl, ...options });
}

/** `count` statuses by `account`, oldest first. */
function statuses(count: number, account = town, text = 'Annonce #Fete'): MastodonStatus[] {
  return Array.from({ length: count }, (_, i) => fake.addStatus(fakeStatus({ account, text: `${text} ${i}` })));
}

const ids = (list: MastodonStatus[]) => list.map((s) => s.id);
const newestFirst = (list: MastodonStatus[]) => ids(list).reverse();

const failure = (promise: Promise<unknown>) => rejection(promise, MastodonApiError);

describe('Mastodon client', () => {
  it('describes the instance: domain, streaming address, hashtag access', async () => {
    const { body } = await client().instance();
    expect(body).toEqual({
      domain: 'ville.social',
      version: '4.5.2',
      streamingUrl: fake.baseUrl.replace('http', 'ws'),
      hashtagFeeds: { local: 'public', remote: 'public' },
    });
  });

  it('resolves @user@instance to an account, and says when there is none', async () => {
    const { body, rateLimit } = await client().lookupAccount('@ville@ville.social');
    expect(body.id).toBe(town.id);
    expect(rateLimit).toMatchObject({ limit: 300, remaining: 299 });
    expect(fake.callsTo('lookup')[0]!.query.acct).toBe('ville@ville.social');
    const err = await failure(client().lookupAccount('personne'));
    expect(err).toMatchObject({ kind: 'not-found', status: 404, endpoint: 'lookup' });
  });

  it('reads the newest page of an account without replies to others, with reblogs', async () => {
    const other = fake.addAccount(fakeAccount({ username: 'claire' }));
    const own = statuses(3);
    const answer = fake.addStatus(
      fakeStatus({ account: town, text: 'réponse', replyTo: fakeStatus({ account: other }) }),
    );
    const boost = fake.addStatus(fakeStatus({ account: town, reblogOf: fakeStatus({ account: other, text: 'x' }) }));
    const result = await client().accountStatuses(town.id, {});
    expect(ids(result.statuses)).toEqual([boost.id, ...newestFirst(own)]);
    expect(ids(result.statuses)).not.toContain(answer.id);
    expect(result).toMatchObject({ cursor: boost.id, more: false, pages: 1 });
    expect(fake.callsTo('account-statuses')[0]!.query).toMatchObject({
      exclude_replies: 'true',
      exclude_reblogs: 'false',
      limit: '40',
    });
  });

  it("serves the town's timeline with its traps, which normalise into the posts a public wall may show", async () => {
    const traps = buildTraps();
    fake.state.accounts.delete(town.id);
    fake.addAccount(traps.town);
    for (const status of Object.values(traps)) if ('content' in status) fake.addStatus(status);
    const c = client();
    const { body: info } = await c.instance();
    const { body: account } = await c.lookupAccount('ville@ville.social');
    const read = await c.accountStatuses(account.id, {});
    const posts = normalizeStatuses(read.statuses, { instance: c.host, localDomain: info.domain, timeline: 'account' });
    const shown = new Set(posts.map((p) => p.id));
    const id = (status: MastodonStatus) => postId(fake.host, status.id);
    for (const status of [
      traps.entities,
      traps.nested,
      traps.reblog,
      traps.quoteAccepted,
      traps.selfReply,
      traps.unlisted,
    ]) {
      expect(shown).toContain(id(status));
    }
    for (const status of [traps.private, traps.direct, traps.sensitiveMedia]) expect(shown).not.toContain(id(status));
    expect(posts.find((p) => p.id === id(traps.reblog))).toMatchObject({
      author: { handle: 'orchestre@musique.example' },
      repostedBy: { handle: 'ville@ville.social' },
    });
  });

  it('reads incrementally from min_id, following prev links up to the empty last page', async () => {
    const old = statuses(2);
    const first = await client().hashtagStatuses('Fete', {});
    expect(first.cursor).toBe(old[1]!.id);
    const fresh = statuses(5);
    const read = await client({ pageLimit: 2 }).hashtagStatuses('fete', { minId: first.cursor, maxPages: 10 });
    expect(ids(read.statuses)).toEqual(newestFirst(fresh));
    expect(read).toMatchObject({ cursor: fresh[4]!.id, more: false, pages: 4 });
    const hashtagCalls = fake.callsTo('hashtag').slice(1);
    expect(hashtagCalls.map((c) => c.query.min_id)).toEqual([old[1]!.id, fresh[1]!.id, fresh[3]!.id, fresh[4]!.id]);
    expect(hashtagCalls[3]!.status).toBe(200);
    const again = await client().hashtagStatuses('fete', { minId: read.cursor });
    expect(again).toMatchObject({ statuses: [], cursor: fresh[4]!.id, more: false, pages: 1 });
  });

  it('stops at the page cap without losing anything: the next read goes on from the cursor', async () => {
    const old = statuses(1);
    const fresh = statuses(5);
    const c = client({ pageLimit: 2 });
    const part = await c.hashtagStatuses('fete', { minId: old[0]!.id, maxPages: 2 });
    expect(ids(part.statuses)).toEqual(newestFirst(fresh.slice(0, 4)));
    expect(part).toMatchObject({ cursor: fresh[3]!.id, more: true, pages: 2 });
    const rest = await c.hashtagStatuses('fete', { minId: part.cursor, maxPages: 2 });
    expect(ids(rest.statuses)).toEqual([fresh[4]!.id]);
    expect(rest.more).toBe(false);
  });

  it('goes back with next links on a first read, until the start of the window', async () => {
    const list = Array.from({ length: 6 }, (_, i) =>
      fake.addStatus(
        fakeStatus({ account: town, text: `#Fete ${i}`, createdAt: new Date(now - (6 - i) * 3600_000).toISOString() }),
      ),
    );
    const c = client({ pageLimit: 2 });
    const all = await c.hashtagStatuses('fete', { maxPages: 10 });
    expect(ids(all.statuses)).toEqual(newestFirst(list));
    expect(all).toMatchObject({ cursor: list[5]!.id, more: false, pages: 4 });
    const window = await c.hashtagStatuses('fete', { maxPages: 10, notBefore: now - 3.5 * 3600_000 });
    expect(ids(window.statuses)).toEqual(newestFirst(list.slice(2)));
    expect(window.pages).toBe(2);
  });

  it('pages through Link headers with entries without rel, and never follows a link to another origin', async () => {
    statuses(1);
    const fresh = statuses(4);
    fake.fault('hashtag', { kind: 'link-without-rel' });
    const c = client({ pageLimit: 2 });
    const read = await c.hashtagStatuses('fete', { minId: fake.state.statuses.keys().next().value, maxPages: 5 });
    expect(ids(read.statuses)).toEqual(newestFirst(fresh));
    fake.fault('hashtag', { kind: 'link-elsewhere' });
    const before = fake.calls.length;
    const stopped = await c.hashtagStatuses('fete', { maxPages: 5 });
    expect(fake.calls.length - before).toBe(1);
    expect(stopped.more).toBe(false);
  });

  it('sends the token as a bearer header, and asks for the readable half of a restricted timeline', async () => {
    fake.state.hashtagFeeds = { local: 'public', remote: 'authenticated' };
    const remote = fakeAccount({ username: 'orchestre', domain: 'musique.example' });
    const mine = statuses(1);
    statuses(1, remote);
    const anonymous = await client().hashtagStatuses('fete', { scope: 'local' });
    expect(ids(anonymous.statuses)).toEqual(ids(mine));
    expect(fake.calls.at(-1)!.authorization).toBeUndefined();
    const logged = await client({ accessToken: TOKEN }).hashtagStatuses('fete', {});
    expect(logged.statuses).toHaveLength(2);
    expect(fake.calls.at(-1)!.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('says that a login is needed when a hashtag timeline answers 401 without a token', async () => {
    fake.state.hashtagFeeds = { local: 'authenticated', remote: 'authenticated' };
    const err = await failure(client({ tokenSetting: 'MASTODON_TOKENS' }).hashtagStatuses('fete', {}));
    expect(err).toMatchObject({ kind: 'login-required', status: 401, endpoint: 'hashtag' });
    expect(err.message).toBe(
      `${fake.host} requires a login for hashtag timelines: set an access token for ${fake.host} (MASTODON_TOKENS)`,
    );
    const wrong = await failure(client({ accessToken: 'wrong' }).hashtagStatuses('fete', {}));
    expect(wrong).toMatchObject({ kind: 'auth', status: 401 });
    expect(wrong.message).toContain('The access token is invalid');
  });

  it('reports the rate limit of every answer, and a 429 with its reset time', async () => {
    statuses(1);
    const read = await client().hashtagStatuses('fete', {});
    expect(read.rateLimit).toEqual({ limit: 300, remaining: 299, resetAt: now + 5 * 60_000 });
    fake.fault('hashtag', { kind: 'rate-limit', resetInSeconds: 90 });
    const err = await failure(client().hashtagStatuses('fete', {}));
    expect(err).toMatchObject({ kind: 'rate-limit', status: 429, rateLimit: { remaining: 0, resetAt: now + 90_000 } });
    expect(err.message).toContain(new Date(now + 90_000).toISOString());
    now += 90_000;
    await expect(client().hashtagStatuses('fete', {})).resolves.toMatchObject({ rateLimit: { remaining: 299 } });
  });

  it('keeps what was read when the limit runs out mid-read, with the limit the 429 told', async () => {
    const old = statuses(1);
    statuses(4);
    fake.fault('hashtag', { kind: 'delay', ms: 0 });
    fake.fault('hashtag', { kind: 'rate-limit', resetInSeconds: 60 });
    const read = await client({ pageLimit: 2 }).hashtagStatuses('fete', { minId: old[0]!.id, maxPages: 5 });
    expect(read).toMatchObject({ pages: 1, more: true, rateLimit: { remaining: 0, resetAt: now + 60_000 } });
    expect(read.statuses).toHaveLength(2);
    expect(read.interrupted).toMatchObject({ kind: 'rate-limit', status: 429 });
  });

  it('stops paging when the window has no request left', async () => {
    const old = statuses(1);
    statuses(6);
    fake.state.rateLimit.remaining = 2;
    const read = await client({ pageLimit: 2 }).hashtagStatuses('fete', { minId: old[0]!.id, maxPages: 10 });
    expect(read).toMatchObject({ pages: 2, more: true, rateLimit: { remaining: 0 } });
    expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);
  });

  it('keeps what was read when a later page fails, and says so', async () => {
    const old = statuses(1);
    const fresh = statuses(4);
    fake.fault('hashtag', { kind: 'delay', ms: 0 });
    fake.fault('hashtag', { kind: 'unavailable', status: 502, html: true });
    const read = await client({ pageLimit: 2 }).hashtagStatuses('fete', { minId: old[0]!.id, maxPages: 5 });
    expect(ids(read.statuses)).toEqual(newestFirst(fresh.slice(0, 2)));
    expect(read).toMatchObject({ cursor: fresh[1]!.id, more: true, pages: 1 });
    expect(read.interrupted).toMatchObject({
      kind: 'unavailable',
      status: 502,
      message: `${fake.host} answered HTTP 502`,
    });
  });

  it('classifies 5xx, garbage and lists that are not lists as unavailable', async () => {
    fake.fault('hashtag', { kind: 'unavailable', status: 503 });
    expect(await failure(client().hashtagStatuses('fete', {}))).toMatchObject({
      kind: 'unavailable',
      status: 503,
      message: `${fake.host} answered HTTP 503: Service unavailable`,
    });
    fake.fault('hashtag', { kind: 'malformed' });
    expect(await failure(client().hashtagStatuses('fete', {}))).toMatchObject({
      kind: 'unavailable',
      message: `${fake.host} sent an unreadable answer`,
    });
    fake.fault('hashtag', { kind: 'not-a-list' });
    expect(await failure(client().hashtagStatuses('fete', {}))).toMatchObject({ kind: 'unavailable', status: 200 });
    fake.fault('lookup', { kind: 'not-a-list' });
    expect(await failure(client().lookupAccount('ville'))).toMatchObject({ kind: 'unavailable' });
  });

  it('gives up on an answer that takes too long, or is too large', async () => {
    fake.fault('hashtag', { kind: 'delay', ms: 2000 });
    const started = Date.now();
    const slow = await failure(client({ requestTimeoutMs: 100 }).hashtagStatuses('fete', {}));
    expect(slow).toMatchObject({
      kind: 'unavailable',
      message: `${fake.host} could not be reached: no answer within 100 ms`,
    });
    expect(Date.now() - started).toBeLessThan(1500);
    fake.fault('hashtag', { kind: 'huge', bytes: 20_000 });
    const huge = await failure(client({ maxBodyBytes: 10_000 }).hashtagStatuses('fete', {}));
    expect(huge.message).toContain('answer larger than 10000 bytes');
    const controller = new AbortController();
    fake.fault('hashtag', { kind: 'delay', ms: 2000 });
    const pending = client().hashtagStatuses('fete', {}, controller.signal);
    controller.abort();
    expect((await failure(pending)).message).toContain('the request was cancelled');
  });

  it('fails clearly when nothing listens', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const err = await failure(createMastodonClient({ baseUrl: `http://127.0.0.1:${port}` }).instance());
    expect(err).toMatchObject({ kind: 'unavailable', endpoint: 'instance' });
    expect(err.message).toBe(`127.0.0.1:${port} could not be reached: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('never follows a redirect, which would carry the token elsewhere', async () => {
    fake.fault('hashtag', { kind: 'redirect', location: 'http://elsewhere.example/api/v1/timelines/tag/fete' });
    const err = await failure(client({ accessToken: TOKEN }).hashtagStatuses('fete', {}));
    expect(err).toMatchObject({ kind: 'unavailable', status: 302 });
    expect(fake.calls).toHaveLength(1);
  });

  it('never echoes the token in an error, whatever its case', async () => {
    for (const status of [401, 500]) {
      fake.fault('hashtag', { kind: 'echo-token', status });
      const err = await failure(client({ accessToken: TOKEN }).hashtagStatuses('fete', {}));
      expect(err.message).toContain('[redacted]');
      expect(err.message.toLowerCase()).not.toContain(TOKEN.toLowerCase());
    }
  });
});

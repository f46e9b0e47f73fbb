import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBlueskyClient, type BlueskyClient } from '../../../../server/sources/bluesky/client.js';
import type { BskyPostView } from '../../../../server/sources/bluesky/lexicon.js';
import { postId } from '../../../../server/sources/bluesky/normalize.js';
import {
  decodeMark,
  encodeMark,
  readAuthorFeed,
  readHashtag,
  type ReadMark,
} from '../../../../server/sources/bluesky/reader.js';
import { startFakeBluesky, type FakeBluesky } from '../../../fake-bluesky/fake-bluesky-server.js';
import { fakeActor, fakePost, noUnauthenticated } from '../../../fake-bluesky/fixtures.js';

const PASSWORD = 'abcd-efgh-ijkl-mnop';
const town = fakeActor('ville-saint-etienne.fr');
const library = fakeActor('mediatheques.saint-etienne.fr');

let fake: FakeBluesky;
let client: BlueskyClient;
let minute = 0;

/** A post of `author`, one minute after the previous one. */
function post(author = town, text = `Annonce ${minute + 1} #FeteDuLivre`): BskyPostView {
  minute++;
  const createdAt = new Date(Date.parse('2026-10-10T08:00:00.000Z') + minute * 60_000).toISOString();
  return fake.addPost(fakePost({ author, text, createdAt }));
}

function texts(posts: { text: string }[]): string[] {
  return posts.map((p) => p.text);
}

beforeEach(async () => {
  minute = 0;
  fake = await startFakeBluesky();
  fake.addAccount(town, PASSWORD);
  client = createBlueskyClient({
    appViewUrl: fake.appViewUrl,
    pdsUrl: fake.pdsUrl,
    credentials: { identifier: town.handle, appPassword: PASSWORD },
  });
});

afterEach(async () => {
  await fake.close();
});

describe('an account’s posts, read incrementally', () => {
  it('reads the newest page only the first time', async () => {
    for (let i = 0; i < 8; i++) post();
    const read = await readAuthorFeed(client, town.handle, null, { pageSize: 5 });
    expect(texts(read.posts)).toEqual([8, 7, 6, 5, 4].map((n) => `Annonce ${n} #FeteDuLivre`));
    expect(read).toMatchObject({ calls: 1, complete: true, removals: [] });
    expect(read.mark).toEqual({ newestAt: read.posts[0]!.createdAt, ids: [read.posts[0]!.id] });
  });

  it('then reads only what is new, and stops at the last post seen', async () => {
    for (let i = 0; i < 3; i++) post();
    const first = await readAuthorFeed(client, town.handle, null);
    post();
    post();
    const next = await readAuthorFeed(client, town.handle, first.mark);
    expect(texts(next.posts)).toEqual(['Annonce 5 #FeteDuLivre', 'Annonce 4 #FeteDuLivre']);
    expect(next.calls).toBe(1);
    const idle = await readAuthorFeed(client, town.handle, next.mark);
    expect(idle.posts).toEqual([]);
    expect(idle.mark).toEqual(next.mark);
  });

  it('follows the cursor over several pages until the last post seen', async () => {
    post();
    const first = await readAuthorFeed(client, town.handle, null);
    for (let i = 0; i < 7; i++) post();
    const next = await readAuthorFeed(client, town.handle, first.mark, { pageSize: 3 });
    expect(texts(next.posts)).toEqual([8, 7, 6, 5, 4, 3, 2].map((n) => `Annonce ${n} #FeteDuLivre`));
    expect(next).toMatchObject({ calls: 3, complete: true });
    expect(
      fake
        .callsTo('getAuthorFeed')
        .slice(1)
        .map((c) => c.query.has('cursor')),
    ).toEqual([false, true, true]);
  });

  it('reads a bounded number of pages, and says when it could not reach the last post seen', async () => {
    post();
    const first = await readAuthorFeed(client, town.handle, null);
    for (let i = 0; i < 10; i++) post();
    const next = await readAuthorFeed(client, town.handle, first.mark, { pageSize: 2, maxPages: 2 });
    expect(next.posts).toHaveLength(4);
    expect(next).toMatchObject({ calls: 2, complete: false });
    expect(next.mark?.newestAt).toBe(next.posts[0]!.createdAt);
  });

  it('tells posts at the same second apart by id', async () => {
    const at = '2026-10-10T09:00:00.000Z';
    const a = fake.addPost(fakePost({ author: town, text: 'a', createdAt: at }));
    const first = await readAuthorFeed(client, town.handle, null);
    const b = fake.addPost(fakePost({ author: town, text: 'b', createdAt: at }));
    const next = await readAuthorFeed(client, town.handle, first.mark);
    expect(texts(next.posts)).toEqual(['b']);
    expect(new Set(next.mark!.ids)).toEqual(new Set([postId(a.uri), postId(b.uri)]));
  });

  it('shows reposts and keeps reposts by a restricted account out, as removals', async () => {
    const original = post(library, 'Atelier BD');
    const first = await readAuthorFeed(client, town.handle, null);
    fake.addRepost(town, original, '2026-10-10T10:00:00.000Z');
    const next = await readAuthorFeed(client, town.handle, first.mark);
    expect(next.posts.map((p) => [p.text, p.repostedBy?.handle])).toEqual([['Atelier BD', town.handle]]);

    const hidden = fakeActor('discret.bsky.social');
    hidden.labels = [noUnauthenticated(hidden)];
    fake.addPost(fakePost({ author: hidden, text: 'discret', createdAt: '2026-10-10T10:30:00.000Z' }));
    const read = await readAuthorFeed(client, hidden.did, null);
    expect(read.posts).toEqual([]);
    expect(read.removals).toHaveLength(1);
    expect(read.mark).not.toBeNull();
  });
});

describe('a hashtag, read incrementally through search', () => {
  it('keeps only posts that carry the hashtag, from the mark’s time on', async () => {
    fake.state.looseSearch = true;
    post(library, 'Atelier #FeteDuLivre');
    post(library, 'Atelier #FêteDuLivre');
    post(library, 'On parle de FeteDuLivre sans dièse');
    const first = await readHashtag(client, 'FeteDuLivre', null);
    expect(texts(first.posts)).toEqual(['Atelier #FeteDuLivre']);
    post(town, 'Programme #fetedulivre');
    const next = await readHashtag(client, '#FeteDuLivre', first.mark);
    expect(texts(next.posts)).toEqual(['Programme #fetedulivre']);
    const [, second] = fake.callsTo('searchPosts');
    expect(second!.query.get('q')).toBe('#FeteDuLivre');
    expect(second!.query.get('since')).toBe(first.mark!.newestAt);
  });

  it('fails with the clear error when no account is configured', async () => {
    const anonymous = createBlueskyClient({ appViewUrl: fake.appViewUrl, pdsUrl: fake.pdsUrl });
    await expect(readHashtag(anonymous, 'FeteDuLivre', null)).rejects.toMatchObject({ kind: 'credentials-missing' });
  });
});

describe('the mark as a stored cursor', () => {
  it('round-trips, and anything unreadable means starting afresh', () => {
    const mark: ReadMark = {
      newestAt: '2026-10-10T09:00:00.000Z',
      ids: ['bluesky:at://did:plc:a/app.bsky.feed.post/3k'],
    };
    expect(decodeMark(encodeMark(mark))).toEqual(mark);
    expect(encodeMark(null)).toBeNull();
    for (const bad of [null, '', 'garbage', '{"v":2}', '{"v":1,"at":"never"}', '42'])
      expect(decodeMark(bad)).toBeNull();
  });
});

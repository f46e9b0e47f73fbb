import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSnapshot, Post } from '../../../server/contract.js';
import { ConflictError, NotFoundError } from '../../../server/errors.js';
import { testConfig, testFeed } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';
import { cleanUp, server, services } from '../../helpers/services.js';
import { openSse } from '../../helpers/sse-client.js';

afterEach(cleanUp);

const camille = { username: 'camille', role: 'moderator' } as const;
const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };
/** A post of a resident (not a trusted account) with the feed's hashtag. */
const residentPost = (n: number, overrides: Partial<Post> = {}) => testPost(n, { author: resident, ...overrides });

async function snapshotOf(url: string): Promise<{ body: FeedSnapshot; etag: string }> {
  const res = await fetch(`${url}/api/feeds/saint-etienne`);
  return { body: (await res.json()) as FeedSnapshot, etag: res.headers.get('etag')! };
}

describe('ModerationService decisions', () => {
  it('hides, unhides, pins and unpins: each reaches open streams with a new revision and changes the snapshot and its ETag', async () => {
    const s = await server();
    s.sources.get('saint-etienne').posts([residentPost(1), residentPost(2)]);
    await s.engines.get('saint-etienne')!.pollNow();
    const first = await snapshotOf(s.url);
    expect(first.body.posts.map((p) => p.id)).toEqual(['p2', 'p1']);
    const sse = await openSse(`${s.url}/api/feeds/saint-etienne/events?since=${first.body.revision}`);

    const hidden = s.moderation.decide('saint-etienne', 'p2', 'hide', camille, 'insulte');
    expect(hidden.item).toMatchObject({
      visibility: 'hidden',
      reason: 'organiser',
      decision: 'hidden',
      decidedBy: 'camille',
    });
    const [remove] = await sse.waitFor((f) => f.event === 'remove');
    expect(remove).toMatchObject({ id: String(first.body.revision + 1), data: '{"id":"p2"}' });
    const second = await snapshotOf(s.url);
    expect(second.body.posts.map((p) => p.id)).toEqual(['p1']);
    expect(second.body.revision).toBe(first.body.revision + 1);
    expect(second.etag).not.toBe(first.etag);

    s.moderation.decide('saint-etienne', 'p2', 'unhide', camille);
    const [back] = await sse.waitFor((f) => f.event === 'post');
    expect(JSON.parse(back!.data!).id).toBe('p2');

    s.clock.advance(60_000);
    const pinned = s.moderation.decide('saint-etienne', 'p1', 'pin', camille);
    expect(pinned.item.post.pinnedAt).toBe(new Date(s.clock.now()).toISOString());
    const [pin] = await sse.waitFor((f) => f.event === 'post', 2);
    expect(pin && JSON.parse(sse.frames.filter((f) => f.event === 'post')[1]!.data!)).toMatchObject({
      id: 'p1',
      pinnedAt: expect.any(String),
    });
    expect((await snapshotOf(s.url)).body.posts.map((p) => [p.id, p.pinnedAt !== undefined])).toEqual([
      ['p1', true],
      ['p2', false],
    ]);

    s.moderation.decide('saint-etienne', 'p1', 'unpin', camille);
    await sse.waitFor((f) => f.event === 'post', 3);
    const unpinned = JSON.parse(sse.frames.filter((f) => f.event === 'post')[2]!.data!) as Post;
    expect(unpinned.pinnedAt).toBeUndefined();
    const last = await snapshotOf(s.url);
    expect(last.body.posts.map((p) => p.id)).toEqual(['p2', 'p1']);
    expect(last.body.revision).toBe(first.body.revision + 4);
    sse.close();

    const entries = s.moderation.audit('saint-etienne', { limit: 4 });
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['unpin', 'camille'],
      ['pin', 'camille'],
      ['unhide', 'camille'],
      ['hide', 'camille'],
    ]);
    expect(entries[3]).toMatchObject({
      postId: 'p2',
      reason: 'insulte',
      at: expect.any(String),
      summary: 'Publication masquée : @lecteur42 « Publication numéro 2 #FeteDuLivre »',
      undoable: true,
      undoneBy: null,
    });
  });

  it('approves a post held in mode pre: before it, no public route has it (snapshot, replay, its images)', async () => {
    const config = testConfig({ feeds: [testFeed({ moderation: { mode: 'pre' } })] });
    const s = await server(config);
    const image = '/media/pbs.twimg.com/media/held.jpg';
    const photo = { kind: 'photo' as const, url: image, previewUrl: image, alt: 'photo', width: 1, height: 1 };
    s.sources.get('saint-etienne').posts([residentPost(1, { media: [photo] }), testPost(2)]);
    await s.engines.get('saint-etienne')!.pollNow();

    const held = await snapshotOf(s.url);
    expect(held.body.posts.map((p) => p.id)).toEqual(['p2']); // the town's own post is trusted
    const replay = await openSse(`${s.url}/api/feeds/saint-etienne/events?since=0`);
    await replay.waitFor((f) => f.event === 'status');
    expect(replay.frames.filter((f) => f.event === 'post').map((f) => JSON.parse(f.data!).id)).toEqual(['p2']);
    expect(s.delivery.showsImage(image)).toBe(false);
    expect((await fetch(`${s.url}${image}`)).status).toBe(404);
    expect(s.moderation.queue('saint-etienne', { visibility: ['held'] }).map((i) => [i.post.id, i.reason])).toEqual([
      ['p1', 'mode-pre'],
    ]);

    s.moderation.decide('saint-etienne', 'p1', 'approve', camille);
    const [approved] = await replay.waitFor((f) => f.event === 'post' && JSON.parse(f.data!).id === 'p1');
    expect(approved).toBeDefined();
    expect((await snapshotOf(s.url)).body.posts.map((p) => p.id)).toEqual(['p2', 'p1']);
    expect(s.delivery.showsImage(image)).toBe(true);
    replay.close();
  });

  it('switching a feed to mode pre holds the posts that come next and withdraws none already shown; undoing an approval holds again', async () => {
    const s = await server();
    const alex = { username: 'alex', role: 'admin' } as const;
    const shownIds = async () => (await snapshotOf(s.url)).body.posts.map((p) => p.id);
    s.sources.get('saint-etienne').posts([residentPost(1), residentPost(2)]);
    await s.engines.get('saint-etienne')!.pollNow();
    const approval = s.moderation.decide('saint-etienne', 'p2', 'approve', camille);
    const { settings } = s.registry.require('saint-etienne');
    s.registry.update('saint-etienne', { ...settings, moderation: { ...settings.moderation, mode: 'pre' } }, alex);
    expect(await shownIds()).toEqual(['p2', 'p1']);

    s.sources.get('saint-etienne').posts([residentPost(3)]);
    await s.engines.get('saint-etienne')!.pollNow();
    expect(await shownIds()).toEqual(['p2', 'p1']);
    expect(s.moderation.queue('saint-etienne', { visibility: ['held'] }).map((i) => i.post.id)).toEqual(['p3']);
    s.moderation.undo('saint-etienne', approval.auditId!, alex);
    expect(await shownIds()).toEqual(['p1']);
  });

  it('undoes what one decision changed, once, as an entry of its own', () => {
    const s = services();
    s.store.ingest('saint-etienne', 'demo', { posts: [residentPost(1)], removals: [], cursor: null }, 1);
    const hide = s.moderation.decide('saint-etienne', 'p1', 'hide', camille);
    s.moderation.decide('saint-etienne', 'p1', 'pin', camille);
    const undone = s.moderation.undo('saint-etienne', hide.auditId!, { username: 'alex', role: 'admin' });
    // The hiding is undone; the pin made after it stays.
    expect(undone.item).toMatchObject({ visibility: 'shown', decision: null });
    expect(undone.item.post.pinnedAt).toBeDefined();
    expect(s.delivery.snapshot('saint-etienne')!.posts.map((p) => p.id)).toEqual(['p1']);
    const [undo, , original] = s.moderation.audit('saint-etienne', { limit: 3 });
    expect(undo).toMatchObject({
      action: 'undo',
      actor: 'alex',
      undoable: false,
      summary: expect.stringMatching(/^Annulé : Publication masquée/),
    });
    expect(original).toMatchObject({ id: hide.auditId, undoneBy: undone.auditId, undoable: false });
    expect(() => s.moderation.undo('saint-etienne', hide.auditId!, camille)).toThrow(ConflictError);
    expect(() => s.moderation.undo('saint-etienne', undo!.id, camille)).toThrow(ConflictError);
    expect(() => s.moderation.undo('saint-etienne', 9999, camille)).toThrow(NotFoundError);
  });

  it('answers an action that changes nothing with the item, writing nothing', () => {
    const s = services();
    s.store.ingest('saint-etienne', 'demo', { posts: [residentPost(1)], removals: [], cursor: null }, 1);
    const before = s.moderation.audit('saint-etienne', {}).length;
    const revision = s.delivery.snapshot('saint-etienne')!.revision;
    expect(s.moderation.decide('saint-etienne', 'p1', 'unpin', camille)).toMatchObject({
      auditId: null,
      item: { visibility: 'shown' },
    });
    expect(s.moderation.decide('saint-etienne', 'p1', 'unhide', camille).auditId).toBeNull();
    expect(s.moderation.audit('saint-etienne', {})).toHaveLength(before);
    expect(s.delivery.snapshot('saint-etienne')!.revision).toBe(revision);
  });

  it('refuses an unknown feed or post with a NotFoundError', () => {
    const s = services();
    expect(() => s.moderation.decide('nope', 'p1', 'hide', camille)).toThrow(NotFoundError);
    expect(() => s.moderation.decide('saint-etienne', 'nope', 'hide', camille)).toThrow(NotFoundError);
    expect(() => s.moderation.queue('nope')).toThrow(NotFoundError);
    expect(() => s.moderation.audit('nope')).toThrow(NotFoundError);
  });

  it('keeps decisions across a restart: a hidden post stays hidden when its source sends it again', () => {
    const config = testConfig();
    const a = services(config);
    a.store.ingest(
      'saint-etienne',
      'demo',
      { posts: [residentPost(1), residentPost(2)], removals: [], cursor: null },
      1,
    );
    a.moderation.decide('saint-etienne', 'p1', 'hide', camille, 'spam');
    a.moderation.decide('saint-etienne', 'p2', 'pin', camille);
    a.store.close();

    const b = services(config);
    expect(b.delivery.snapshot('saint-etienne')!.posts.map((p) => [p.id, p.pinnedAt !== undefined])).toEqual([
      ['p2', true],
    ]);
    b.sources.get('saint-etienne').posts([residentPost(1, { text: 'Publication numéro 1 #FeteDuLivre (modifiée)' })]);
    return b.engines
      .get('saint-etienne')!
      .pollNow()
      .then(() => {
        expect(b.store.posts.item('saint-etienne', 'p1')).toMatchObject({ visibility: 'hidden', decision: 'hidden' });
        expect(b.delivery.snapshot('saint-etienne')!.posts.map((p) => p.id)).toEqual(['p2']);
        expect(
          b.moderation
            .audit('saint-etienne', {})
            .map((e) => e.action)
            .slice(0, 2),
        ).toEqual(['pin', 'hide']);
      });
  });

  it('shows trusted accounts in both modes, and lists the queue newest first, page by page', async () => {
    for (const mode of ['post', 'pre']) {
      const s = services(testConfig({ feeds: [testFeed({ moderation: { mode } })] }));
      s.sources.get('saint-etienne').posts([testPost(1), residentPost(2), residentPost(3)]);
      await s.engines.get('saint-etienne')!.pollNow();
      const shown = s.delivery.snapshot('saint-etienne')!.posts.map((p) => p.id);
      expect(shown).toEqual(mode === 'pre' ? ['p1'] : ['p3', 'p2', 'p1']);
      if (mode === 'post') continue;
      expect(s.moderation.queue('saint-etienne', { limit: 2 }).map((i) => [i.post.id, i.visibility])).toEqual([
        ['p3', 'held'],
        ['p2', 'held'],
      ]);
      expect(s.moderation.queue('saint-etienne', { before: 'p2' }).map((i) => [i.post.id, i.reason])).toEqual([
        ['p1', 'trusted'],
      ]);
      expect(s.moderation.queue('saint-etienne', { visibility: ['shown'] }).map((i) => i.post.id)).toEqual(['p1']);
    }
  });
});

/** One-tap moderation through HTTP: each action and its undo, the queue, the audit log and the figures. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSnapshot, Post } from '../../../../server/contract.js';
import type { AuditEntry, QueueItem } from '../../../../server/moderation/types.js';
import { TEST_ADMIN_TOKEN, adminRequest, signedInAs, type RequestTarget } from '../../../helpers/admin.js';
import { testConfig, testFeed } from '../../../helpers/config.js';
import { testPost } from '../../../helpers/posts.js';
import { cleanUp, services } from '../../../helpers/services.js';

afterEach(cleanUp);

const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };
const residentPost = (n: number, overrides: Partial<Post> = {}) => testPost(n, { author: resident, ...overrides });

async function snapshot(app: RequestTarget): Promise<{ ids: string[]; posts: Post[]; etag: string }> {
  const res = await app.request('/api/feeds/saint-etienne');
  const body = (await res.json()) as FeedSnapshot;
  return { ids: body.posts.map((p) => p.id), posts: body.posts, etag: res.headers.get('etag')! };
}

/** The feed (mode `post` unless said) with two residents' posts, and a moderator signed in. */
async function moderated(mode: 'post' | 'pre' = 'post') {
  const s = services(testConfig({ feeds: [testFeed({ moderation: { mode } })] }), { adminToken: TEST_ADMIN_TOKEN });
  s.sources.get('saint-etienne').posts([residentPost(1), residentPost(2)]);
  await s.engines.get('saint-etienne')!.pollNow();
  const { cookie } = await signedInAs(s.auth, 'moderator', 'mona');
  const decide = async (postId: string, action: string, reason?: string) => {
    const res = await adminRequest(s.app, `feeds/saint-etienne/posts/${postId}/decision`, {
      body: reason ? { action, reason } : { action },
      cookie,
    });
    return { status: res.status, body: (await res.json()) as { item: QueueItem; auditId: number | null } };
  };
  const undo = async (auditId: number) => {
    const res = await adminRequest(s.app, `feeds/saint-etienne/audit/${auditId}/undo`, { method: 'POST', cookie });
    return { status: res.status, body: (await res.json()) as { item: QueueItem; auditId: number } };
  };
  return { s, cookie, decide, undo };
}

describe('decisions through the admin API', () => {
  it('hides and unhides a post: it leaves and comes back to the snapshot, whose ETag changes each time; undo reverts each', async () => {
    const { s, decide, undo } = await moderated();
    const before = await snapshot(s.app);
    expect(before.ids).toEqual(['p2', 'p1']);

    const hidden = await decide('p2', 'hide', 'insulte');
    expect(hidden.status).toBe(200);
    expect(hidden.body.item).toMatchObject({ visibility: 'hidden', decision: 'hidden', decidedBy: 'mona' });
    expect(hidden.body.auditId).toEqual(expect.any(Number));
    const afterHide = await snapshot(s.app);
    expect(afterHide.ids).toEqual(['p1']);
    expect(afterHide.etag).not.toBe(before.etag);

    const undone = await undo(hidden.body.auditId!);
    expect(undone.status).toBe(200);
    expect(undone.body.item).toMatchObject({ visibility: 'shown', decision: null });
    expect((await snapshot(s.app)).ids).toEqual(['p2', 'p1']);

    await decide('p2', 'hide');
    const unhidden = await decide('p2', 'unhide');
    expect(unhidden.body.item).toMatchObject({ visibility: 'shown', decision: 'approved' });
    expect((await snapshot(s.app)).ids).toEqual(['p2', 'p1']);
    await undo(unhidden.body.auditId!);
    expect((await snapshot(s.app)).ids).toEqual(['p1']);
  });

  it('pins and unpins: the pinned post comes first with its time; unpinning twice changes nothing the second time', async () => {
    const { s, decide, undo } = await moderated();
    const pinned = await decide('p1', 'pin');
    const first = await snapshot(s.app);
    expect(first.ids).toEqual(['p1', 'p2']);
    expect(first.posts[0]!.pinnedAt).toEqual(expect.any(String));
    await undo(pinned.body.auditId!);
    expect((await snapshot(s.app)).ids).toEqual(['p2', 'p1']);

    await decide('p1', 'pin');
    const unpinned = await decide('p1', 'unpin');
    expect(unpinned.body.auditId).toEqual(expect.any(Number));
    const again = await decide('p1', 'unpin');
    expect(again).toEqual({
      status: 200,
      body: { item: expect.objectContaining({ post: expect.anything() }), auditId: null },
    });
    expect((await snapshot(s.app)).posts.every((p) => p.pinnedAt === undefined)).toBe(true);
  });

  it('approves a held post in pre mode: it reaches the snapshot; undo holds it again', async () => {
    const { s, decide, undo } = await moderated('pre');
    expect((await snapshot(s.app)).ids).toEqual([]);
    const approved = await decide('p1', 'approve');
    expect(approved.body.item).toMatchObject({ visibility: 'shown', decision: 'approved' });
    expect((await snapshot(s.app)).ids).toEqual(['p1']);
    const undone = await undo(approved.body.auditId!);
    expect(undone.body.item).toMatchObject({ visibility: 'held', reason: 'mode-pre' });
    expect((await snapshot(s.app)).ids).toEqual([]);
  });

  it('writes who did what and why in the audit log, newest first, with what was undone; an undone entry cannot be undone again', async () => {
    const { s, cookie, decide, undo } = await moderated();
    const hidden = await decide('p2', 'hide', 'publicité');
    const undone = await undo(hidden.body.auditId!);
    const res = await adminRequest(s.app, 'feeds/saint-etienne/audit?limit=2', { cookie });
    const { entries } = (await res.json()) as { entries: AuditEntry[] };
    expect(entries).toEqual([
      expect.objectContaining({
        id: undone.body.auditId,
        action: 'undo',
        actor: 'mona',
        postId: 'p2',
        undoable: false,
      }),
      expect.objectContaining({
        id: hidden.body.auditId,
        action: 'hide',
        actor: 'mona',
        reason: 'publicité',
        undoneBy: undone.body.auditId,
        undoable: false,
      }),
    ]);
    const older = await adminRequest(s.app, `feeds/saint-etienne/audit?before=${hidden.body.auditId}`, { cookie });
    expect(((await older.json()) as { entries: AuditEntry[] }).entries.every((e) => e.id < hidden.body.auditId!)).toBe(
      true,
    );

    const twice = await undo(hidden.body.auditId!);
    expect(twice.status).toBe(409);
    expect(twice.body).toEqual({
      error: { status: 409, message: `audit entry ${hidden.body.auditId} was already undone` },
    });
    const settings = (await adminRequest(s.app, 'feeds/saint-etienne/audit', { cookie }).then((r) => r.json())) as {
      entries: AuditEntry[];
    };
    const seeded = settings.entries.find((e) => e.action === 'feed.create')!;
    expect((await undo(seeded.id)).status).toBe(409);
  });

  it('answers 404 for an unknown feed, post or audit entry', async () => {
    const { s, cookie, decide, undo } = await moderated();
    expect(await decide('nope', 'hide')).toEqual({
      status: 404,
      body: { error: { status: 404, message: 'no post "nope" in feed "saint-etienne"' } },
    });
    expect((await undo(99_999)).status).toBe(404);
    for (const path of ['feeds/nowhere/queue', 'feeds/nowhere/audit', 'feeds/nowhere/stats']) {
      const res = await adminRequest(s.app, path, { cookie });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.json()).toEqual({ error: { status: 404, message: 'unknown feed "nowhere"' } });
    }
  });
});

describe('the queue through the admin API', () => {
  it('lists posts newest first with where they stand, filtered by visibility, page by page', async () => {
    const { s, cookie, decide } = await moderated();
    await decide('p1', 'hide');
    const all = await adminRequest(s.app, 'feeds/saint-etienne/queue', { cookie });
    const items = ((await all.json()) as { items: QueueItem[] }).items;
    expect(items.map((i) => [i.post.id, i.visibility])).toEqual([
      ['p2', 'shown'],
      ['p1', 'hidden'],
    ]);
    const hidden = await adminRequest(s.app, 'feeds/saint-etienne/queue?visibility=hidden,held', { cookie });
    expect(((await hidden.json()) as { items: QueueItem[] }).items.map((i) => i.post.id)).toEqual(['p1']);
    const page = await adminRequest(s.app, 'feeds/saint-etienne/queue?limit=1&before=p2', { cookie });
    expect(((await page.json()) as { items: QueueItem[] }).items.map((i) => i.post.id)).toEqual(['p1']);
  });

  it('gives the feed’s figures, computed from its posts', async () => {
    const { s, cookie, decide } = await moderated();
    await decide('p1', 'hide');
    const res = await adminRequest(s.app, 'feeds/saint-etienne/stats', { cookie });
    expect(await res.json()).toMatchObject({
      feedId: 'saint-etienne',
      posts: { total: 2, shown: 1, hidden: 1, held: 0 },
      heldOrHiddenShare: 0.5,
      topHashtags: [{ tag: 'FeteDuLivre', count: 1 }],
    });
  });
});

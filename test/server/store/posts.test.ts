import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { comparePosts, POST_ORDER_SQL } from '../../../server/post-order.js';
import { Store } from '../../../server/store/store.js';
import type { Judge } from '../../../server/store/types.js';
import { testPost } from '../../helpers/posts.js';

const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));
function open() {
  const s = new Store({ location: ':memory:' });
  stores.push(s);
  return s;
}

const write = (posts: ReturnType<typeof testPost>[]) => ({ posts, removals: [], cursor: null });

describe('stored posts', () => {
  it('answers the shown posts in the one order of the wall: pinned first (latest pin first), then newest, then greater id', () => {
    const s = open();
    const at = '2026-10-10T09:00:00.000Z';
    const posts = [
      testPost(1),
      testPost(2, { id: '9', createdAt: at }),
      testPost(3, { id: '10', createdAt: at }),
      testPost(4),
      testPost(5),
      testPost(6),
    ];
    s.ingest('f', 'x', write(posts), 1);
    s.decisions.put('f', 'p1', { decision: null, pinnedMs: 1_000, decidedBy: 'a', decidedMs: 1, reason: null });
    s.decisions.put('f', 'p4', { decision: null, pinnedMs: 2_000, decidedBy: 'a', decidedMs: 1, reason: null });
    s.decisions.put('f', 'p5', { decision: 'hidden', pinnedMs: null, decidedBy: 'a', decidedMs: 1, reason: null });
    s.transaction(() =>
      s.posts.reevaluate(
        'f',
        (_p, d) => ({ visibility: d?.decision === 'hidden' ? 'hidden' : 'shown', reason: null, blur: false }),
        2,
        { changes: [], queue: [] },
      ),
    );
    const shown = s.recentPosts('f', 10);
    expect(shown.map((p) => p.id)).toEqual(['p4', 'p1', 'p6', '10', '9']);
    expect([...shown].sort(comparePosts)).toEqual(shown);
    expect(shown[0]!.pinnedAt).toBe(new Date(2_000).toISOString());
  });

  it('reads the public query through its index', () => {
    const s = open();
    const plan = s.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id, body FROM posts WHERE feed_id = ? AND visibility = 'shown'
         ORDER BY ${POST_ORDER_SQL} LIMIT 100`,
      )
      .all('f') as { detail: string }[];
    expect(plan.map((r) => r.detail).join(' ')).toMatch(/INDEX posts_public/);
    expect(plan.map((r) => r.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
  });

  it('dates a post whose time cannot be read at the time it is stored, so that the SQL and comparePosts agree', () => {
    const s = open();
    const changes = s.applyPoll(
      'f',
      'x',
      write([testPost(1, { createdAt: 'hier' }), testPost(2)]),
      Date.parse('2026-10-11T00:00:00Z'),
    );
    expect(changes.map((c) => c.kind === 'post' && c.post.createdAt)).toEqual([
      '2026-10-11T00:00:00.000Z',
      testPost(2).createdAt,
    ]);
    expect(s.recentPosts('f', 10).map((p) => [p.id, p.createdAt])).toEqual([
      ['p1', '2026-10-11T00:00:00.000Z'],
      ['p2', testPost(2).createdAt],
    ]);
  });

  it('gives a revision only to public changes: a held post changes nothing visitors see', () => {
    const s = open();
    const hold: Judge = () => ({ visibility: 'held', reason: 'mode-pre', blur: false });
    const out = s.ingest('f', 'x', write([testPost(1)]), 1, hold);
    expect(out.changes).toEqual([]);
    expect(out.queue).toEqual([
      { kind: 'queue', item: expect.objectContaining({ visibility: 'held', reason: 'mode-pre' }) },
    ]);
    expect(s.feed('f').revision).toBe(0);
    expect(s.ingest('f', 'x', write([testPost(1)]), 2, hold)).toEqual({ changes: [], queue: [] });
  });

  it('marks a post shown with covered media as sensitive on the wall', () => {
    const s = open();
    s.ingest('f', 'x', write([testPost(1)]), 1, () => ({ visibility: 'shown', reason: null, blur: true }));
    expect(s.recentPosts('f', 1)[0]).toMatchObject({ id: 'p1', sensitive: true });
    expect(s.posts.item('f', 'p1')!.reason).toBe('sensitive-media');
  });
});

describe('images of stored posts', () => {
  it('tells whether a stored post, held or hidden ones included, refers to an image URL, exactly', () => {
    const s = open();
    const url = '/media/pbs.twimg.com/media/held.jpg';
    const photo = { kind: 'photo' as const, url, previewUrl: url, alt: '', width: 1, height: 1 };
    s.ingest('f', 'x', write([testPost(1, { media: [photo] })]), 1, () => ({
      visibility: 'held',
      reason: null,
      blur: false,
    }));
    expect(s.posts.refersTo(url)).toBe(true);
    expect(s.posts.refersTo('/media/pbs.twimg.com/media/held')).toBe(false);
    expect(s.posts.refersTo('/media/pbs.twimg.com/media/other.jpg')).toBe(false);
  });
});

describe('the store folder', () => {
  it('imports nothing from the sources, and keeps each module small', () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../server/store');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/from '\.\.\/sources\//);
      expect(text.split('\n').length, file).toBeLessThan(340);
    }
  });
});

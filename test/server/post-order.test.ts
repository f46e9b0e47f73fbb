import { describe, expect, it } from 'vitest';
import { compareIds, comparePosts } from '../../server/post-order.js';
import { testPost } from '../helpers/posts.js';

describe('the order of posts', () => {
  it('puts newer posts first', () => {
    const older = testPost(0, { id: '1', createdAt: '2026-10-10T10:00:00Z' });
    const newer = testPost(0, { id: '2', createdAt: '2026-10-10T10:05:00Z' });
    expect([older, newer].sort(comparePosts).map((p) => p.id)).toEqual(['2', '1']);
  });

  it('breaks a tie of time by id, numeric ids compared as numbers', () => {
    const a = testPost(0, { id: '999', createdAt: '2026-10-10T10:00:00Z' });
    const b = testPost(0, { id: '1000', createdAt: '2026-10-10T10:00:00Z' });
    const c = testPost(0, { id: '998', createdAt: '2026-10-10T10:00:00Z' });
    expect([a, c, b].sort(comparePosts).map((p) => p.id)).toEqual(['1000', '999', '998']);
    expect(compareIds('1000', '999')).toBeGreaterThan(0);
  });

  it('puts pinned posts first, the most recently pinned first, whatever their age', () => {
    const recent = testPost(0, { id: 'r', createdAt: '2026-10-10T12:00:00Z' });
    const pinnedEarly = testPost(0, { id: 'p1', createdAt: '2026-10-09T08:00:00Z', pinnedAt: '2026-10-10T09:00:00Z' });
    const pinnedLate = testPost(0, { id: 'p2', createdAt: '2026-10-08T08:00:00Z', pinnedAt: '2026-10-10T11:00:00Z' });
    expect([recent, pinnedEarly, pinnedLate].sort(comparePosts).map((p) => p.id)).toEqual(['p2', 'p1', 'r']);
  });

  it('sorts a post with an unreadable date last instead of failing', () => {
    const bad = testPost(0, { id: 'bad', createdAt: 'not a date' });
    const good = testPost(0, { id: 'good', createdAt: '2026-10-10T10:00:00Z' });
    expect([bad, good].sort(comparePosts).map((p) => p.id)).toEqual(['good', 'bad']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Post } from '../../../server/contract.js';
import { testConfig, testFeed } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';
import { cleanUp, services } from '../../helpers/services.js';

afterEach(cleanUp);

const DAY = 86_400_000;
const alex = { username: 'alex', role: 'admin' } as const;
const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };
const residentPost = (n: number, overrides: Partial<Post> = {}) => testPost(n, { author: resident, ...overrides });

/**
 * Feed `saint-etienne` in mode pre: p1 and p2 by the town (shown), p3 approved, p4 hidden by an
 * organiser, p5 held; feed `autre` with p6, live.
 */
async function eventOver(archiveSize = 200) {
  const s = services(
    testConfig({
      feeds: [testFeed({ moderation: { mode: 'pre' } }), testFeed({ id: 'autre' })],
      archiveSize,
      retentionDays: 30,
      archiveRetentionDays: 365,
    }),
  );
  s.sources.get('saint-etienne').posts([testPost(1), testPost(2), residentPost(3), residentPost(4), residentPost(5)]);
  await s.engines.get('saint-etienne')!.pollNow();
  s.sources.get('autre').posts([testPost(6)]);
  await s.engines.get('autre')!.pollNow();
  s.moderation.decide('saint-etienne', 'p3', 'approve', alex);
  s.moderation.decide('saint-etienne', 'p4', 'hide', alex);
  s.registry.setState('saint-etienne', 'archived', alex);
  return s;
}

const stored = (s: Awaited<ReturnType<typeof eventOver>>, feedId: string) =>
  [...s.store.posts.scan(feedId)].map((r) => r.post.id).sort();

describe('retention of archives', () => {
  it("keeps an archive's posts for ARCHIVE_RETENTION_DAYS, deletes the rest after RETENTION_DAYS, and its figures stay the same", async () => {
    const s = await eventOver();
    const before = s.moderation.stats('saint-etienne');
    expect(before.posts).toMatchObject({ shown: 3, held: 1, hidden: 1 });

    await s.clock.advance(31 * DAY);
    s.prune();
    expect(stored(s, 'saint-etienne')).toEqual(['p1', 'p2', 'p3']);
    expect(stored(s, 'autre')).toEqual([]);
    const after = s.moderation.stats('saint-etienne');
    const { computedAt: _a, ...beforeFigures } = before;
    const { computedAt: _b, ...afterFigures } = after;
    expect(afterFigures).toEqual(beforeFigures);
    const page = await (await s.app.request('/archive/saint-etienne')).text();
    expect(page).toContain('Publication numéro 3');
    expect(page).not.toContain('Publication numéro 4');

    await s.clock.advance(335 * DAY);
    s.prune();
    expect(stored(s, 'saint-etienne')).toEqual([]);
    // The figures still say what the event was.
    expect(s.moderation.stats('saint-etienne').posts).toMatchObject({ shown: 3, held: 1, hidden: 1 });
  });

  it('keeps longer only the posts its page shows (ARCHIVE_SIZE), counting the others on in its figures', async () => {
    const s = await eventOver(2);
    await s.clock.advance(31 * DAY);
    s.prune();
    expect(stored(s, 'saint-etienne')).toEqual(['p2', 'p3']);
    expect(s.moderation.stats('saint-etienne').posts).toMatchObject({ shown: 3, held: 1, hidden: 1 });
  });

  it('keeps nothing longer for a feed brought back to life: it is a live feed again', async () => {
    const s = await eventOver();
    s.registry.setState('saint-etienne', 'active', alex);
    await s.clock.advance(31 * DAY);
    s.prune();
    expect(stored(s, 'saint-etienne')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Post } from '../../../server/contract.js';
import { addTallies, computeStats, MAX_HOURS, readTally, tally, TOP_SIZE } from '../../../server/moderation/stats.js';
import type { StatsRow } from '../../../server/moderation/types.js';
import { testPost } from '../../helpers/posts.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-10-16T08:00:00Z');
const NOW = Date.parse('2026-11-01T00:00:00Z');

type Shape = Partial<StatsRow> & { at?: number; tags?: string[]; handle?: string; source?: Post['source'] };

let n = 0;
/** A stored post as the figures read it: shown by default, posted at `at`. */
function row({ at = T0, tags = ['FeteDuLivre'], handle = 'lecteur', source = 'x', ...rest }: Shape = {}): StatsRow {
  n++;
  const post = testPost(n, {
    source,
    createdAt: new Date(at).toISOString(),
    author: { name: handle.toUpperCase(), handle, avatarUrl: '', profileUrl: `https://x.com/${handle}` },
    entities: { hashtags: tags.map((tag) => ({ start: 0, end: 1, tag, url: '' })), mentions: [], links: [] },
  });
  return { post, visibility: 'shown', decision: null, ...rest };
}

const stats = (rows: StatsRow[], extra: Partial<Parameters<typeof computeStats>[0]> = {}) =>
  computeStats({ feedId: 'f', rows, nowMs: NOW, ...extra });

describe('computeStats', () => {
  it.each<[string, () => StatsRow[], Record<string, unknown>]>([
    [
      'no post at all',
      () => [],
      {
        posts: { total: 0, shown: 0, held: 0, hidden: 0, filtered: 0 },
        heldOrHiddenShare: 0,
        range: null,
        postsPerHour: [],
        peakHour: null,
        firstPostAt: null,
      },
    ],
    [
      'shares of held and hidden among the posts that matched the feed (filtered ones apart)',
      () => [
        row(),
        row(),
        row({ visibility: 'held' }),
        row({ visibility: 'hidden', decision: 'hidden' }),
        row({ visibility: 'hidden' }),
        row({ visibility: 'filtered' }),
        row({ visibility: 'filtered' }),
        row({ decision: 'approved' }),
      ],
      {
        posts: { total: 8, shown: 3, held: 1, hidden: 2, filtered: 2 },
        moderation: { held: 1, hiddenByOrganisers: 1, hiddenByRules: 1, approvedByOrganisers: 1 },
        shares: { held: 1 / 6, hiddenByOrganisers: 1 / 6, hiddenByRules: 1 / 6 },
        heldOrHiddenShare: 0.5,
      },
    ],
    [
      'announcements counted apart, never as network posts',
      () => [row(), row({ source: 'organisers' }), row({ source: 'organisers', visibility: 'filtered' })],
      { announcements: 2, posts: { total: 1, shown: 1, held: 0, hidden: 0, filtered: 0 } },
    ],
    [
      'counts per network, most posts first',
      () => [row({ source: 'demo' }), row(), row({ visibility: 'hidden' }), row({ visibility: 'filtered' })],
      {
        networks: [
          { network: 'x', total: 3, shown: 1 },
          { network: 'demo', total: 1, shown: 1 },
        ],
      },
    ],
  ])('%s', (_name, rows, expected) => {
    expect(stats(rows())).toMatchObject(expected);
  });

  it.each<[string, StatsRow[], { start: string; end: string; basis: string } | null, number[], number]>([
    [
      "the posts' span, every hour from the first to the last, quiet ones at 0",
      [row({ at: T0 + 10 * 60_000 }), row({ at: T0 + 2 * HOUR + 59 * 60_000 }), row({ at: T0 + 2 * HOUR })],
      { start: '2026-10-16T08:00:00.000Z', end: '2026-10-16T11:00:00.000Z', basis: 'posts' },
      [1, 0, 2],
      0,
    ],
    [
      'filtered posts are not activity of the event',
      [row({ at: T0 }), row({ at: T0 + 5 * HOUR, visibility: 'filtered' })],
      { start: '2026-10-16T08:00:00.000Z', end: '2026-10-16T09:00:00.000Z', basis: 'posts' },
      [1],
      0,
    ],
  ])('posts per hour over %s', (_name, rows, range, counts, outside) => {
    const s = stats(rows);
    expect(s.range).toEqual(range);
    expect(s.postsPerHour.map((h) => h.count)).toEqual(counts);
    expect(s.outsideRange).toBe(outside);
  });

  it('covers the event window (cut at now while it runs) and counts posts before and after it apart', () => {
    const window = { start: '2026-10-16T10:30:00+02:00', end: '2026-10-16T12:00:00+02:00' };
    const rows = [
      row({ at: T0 - HOUR }),
      row({ at: T0 + 45 * 60_000 }),
      row({ at: T0 + HOUR }),
      row({ at: T0 + 2 * HOUR }),
    ];
    const s = stats(rows, { eventWindow: window });
    expect(s.range).toEqual({
      start: '2026-10-16T08:00:00.000Z',
      end: '2026-10-16T10:00:00.000Z',
      basis: 'event-window',
    });
    expect(s.postsPerHour).toEqual([
      { hour: '2026-10-16T08:00:00.000Z', count: 1 },
      { hour: '2026-10-16T09:00:00.000Z', count: 1 },
    ]);
    expect(s.outsideRange).toBe(2);
    expect(s.peakHour).toEqual({ hour: '2026-10-16T08:00:00.000Z', count: 1 });
    // While the event runs, the hours to come are not there yet.
    const running = stats(rows, { eventWindow: window, nowMs: T0 + 50 * 60_000 });
    expect(running.postsPerHour.map((h) => h.hour)).toEqual(['2026-10-16T08:00:00.000Z']);
    // Before it begins, the posts' span.
    expect(stats(rows, { eventWindow: window, nowMs: T0 - 2 * HOUR }).range!.basis).toBe('posts');
  });

  it(`keeps the last ${MAX_HOURS} hours of a longer range`, () => {
    const s = stats([row({ at: T0 }), row({ at: T0 + 60 * 24 * HOUR })]);
    expect(s.postsPerHour).toHaveLength(MAX_HOURS);
    expect(s.postsPerHour.at(-1)).toEqual({ hour: new Date(T0 + 60 * 24 * HOUR).toISOString(), count: 1 });
    expect(s.outsideRange).toBe(1);
    expect(s.firstPostAt).toBe(new Date(T0).toISOString());
  });

  it(`ranks hashtags (case and accents aside) and accounts of shown posts only, ties by name, at most ${TOP_SIZE}`, () => {
    const rows = [
      row({ tags: ['FêteDuLivre', 'Lecture'], handle: 'ana' }),
      row({ tags: ['fetedulivre', 'fetedulivre'], handle: 'Ana' }),
      row({ tags: ['Zola'], handle: 'bob' }),
      row({ tags: ['Insulte'], handle: 'troll', visibility: 'hidden' }),
      row({ tags: ['Insulte'], handle: 'troll', visibility: 'held' }),
      ...Array.from({ length: 12 }, (_, i) => row({ tags: [`T${String(i).padStart(2, '0')}`], handle: `u${i}` })),
    ];
    const s = stats(rows);
    expect(s.topHashtags.slice(0, 4)).toEqual([
      { tag: 'FêteDuLivre', count: 2 },
      { tag: 'Lecture', count: 1 },
      { tag: 'T00', count: 1 },
      { tag: 'T01', count: 1 },
    ]);
    expect(s.topHashtags).toHaveLength(TOP_SIZE);
    expect(s.topAccounts[0]).toEqual({
      network: 'x',
      handle: 'ana',
      name: 'ANA',
      profileUrl: 'https://x.com/ana',
      count: 2,
    });
    expect(s.topAccounts.map((a) => a.handle)).not.toContain('troll');
    expect(s.topHashtags.map((t) => t.tag)).not.toContain('Insulte');
  });

  it('adds what retention deleted (its tally) to the posts still stored', () => {
    const deleted = [row({ visibility: 'hidden', decision: 'hidden', at: T0 - 3 * HOUR }), row({ visibility: 'held' })];
    const carried = readTally(JSON.parse(JSON.stringify(tally(deleted))));
    const s = stats([row()], { carried });
    expect(s.posts).toEqual({ total: 3, shown: 1, held: 1, hidden: 1, filtered: 0 });
    expect(s.moderation.hiddenByOrganisers).toBe(1);
    expect(s.firstPostAt).toBe(new Date(T0 - 3 * HOUR).toISOString());
    expect(s.postsPerHour.map((h) => h.count)).toEqual([1, 0, 0, 2]);
    expect(addTallies(tally(deleted), tally([row()])).posts).toEqual({ shown: 1, held: 1, hidden: 1, filtered: 0 });
  });

  it('reads a damaged tally as an empty one, keeping what it can', () => {
    expect(readTally(null).posts.shown).toBe(0);
    const t = readTally({
      posts: { shown: 2, held: -1, hidden: 'x' },
      hours: { '7200000': 3, bad: 1 },
      networks: { x: {} },
    });
    expect(t.posts).toEqual({ shown: 2, held: 0, hidden: 0, filtered: 0 });
    expect(t.hours).toEqual({ '7200000': 3 });
    expect(t.networks).toEqual({ x: { total: 0, shown: 0 } });
  });
});

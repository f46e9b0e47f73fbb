import { describe, expect, it } from 'vitest';
import { ReadLedger, utcDay, utcMonth } from '../../../../server/sources/x/ledger.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { memoryState } from '../../../helpers/memory-state.js';

const START = Date.parse('2026-10-31T23:00:00Z');

describe('ReadLedger', () => {
  it("counts a feed's post and user reads per UTC day and month, from zero each new day and month", async () => {
    const clock = new FakeClock(START);
    const ledger = new ReadLedger(memoryState(), memoryState(), clock);
    ledger.count(3, 4);
    ledger.count(0, 1);
    expect(ledger.health(clock.now())).toEqual({
      today: { posts: 3, users: 5 },
      month: { posts: 3, users: 5 },
      allFeedsMonth: { posts: 3, users: 5 },
    });
    await clock.advance(2 * 3_600_000); // 1 November, 01:00 UTC
    expect(ledger.health(clock.now()).today).toEqual({ posts: 0, users: 0 });
    expect(ledger.health(clock.now()).month).toEqual({ posts: 0, users: 0 });
    ledger.count(2, 0);
    expect(ledger.feed(clock.now())).toMatchObject({ day: '2026-11-01', dayPosts: 2, month: '2026-11', monthPosts: 2 });
  });

  it('adds every feed’s reads up for the month, in the state all X feeds share', () => {
    const clock = new FakeClock(START);
    const shared = memoryState();
    const a = new ReadLedger(memoryState(), shared, clock);
    const b = new ReadLedger(memoryState(), shared, clock);
    a.count(10, 2);
    b.count(5, 1);
    expect(a.allFeeds(clock.now())).toEqual({ month: '2026-10', posts: 15, users: 3 });
    expect(b.feed(clock.now()).monthPosts).toBe(5);
    // A restart reads the same state.
    expect(new ReadLedger(memoryState(), shared, clock).allFeeds(clock.now()).posts).toBe(15);
  });

  it('names UTC days and months', () => {
    expect([utcDay(START), utcMonth(START)]).toEqual(['2026-10-31', '2026-10']);
  });
});

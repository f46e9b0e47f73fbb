/**
 * The ledger of X reads: posts and users read, per UTC day and month for this feed, and per month
 * across every X feed of the server (what X bills, and what a monthly budget is counted against).
 */
import type { Clock } from '../../clock.js';
import type { SourceState } from '../source.js';

/** This feed's reads, per UTC day and month. */
export interface ReadCounts {
  day: string;
  dayPosts: number;
  dayUsers: number;
  month: string;
  monthPosts: number;
  monthUsers: number;
}

/** The reads of every X feed this month. */
export interface SharedReads {
  month: string;
  posts: number;
  users: number;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function utcMonth(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

export class ReadLedger {
  readonly #state: SourceState;
  readonly #shared: SourceState;
  readonly #clock: Clock;

  /** `state`: this feed's (key `reads`); `shared`: every X feed's (key `monthlyReads`). */
  constructor(state: SourceState, shared: SourceState, clock: Clock) {
    this.#state = state;
    this.#shared = shared;
    this.#clock = clock;
  }

  /** This feed's reads today and this month (zero when a new day or month began). */
  feed(now: number): ReadCounts {
    const saved = this.#state.get<ReadCounts>('reads');
    const day = utcDay(now);
    const month = utcMonth(now);
    const counts: ReadCounts = saved
      ? { ...saved }
      : { day, dayPosts: 0, dayUsers: 0, month, monthPosts: 0, monthUsers: 0 };
    if (counts.day !== day) Object.assign(counts, { day, dayPosts: 0, dayUsers: 0 });
    if (counts.month !== month) Object.assign(counts, { month, monthPosts: 0, monthUsers: 0 });
    return counts;
  }

  /** Every X feed's reads this month. */
  allFeeds(now: number): SharedReads {
    const month = utcMonth(now);
    const saved = this.#shared.get<SharedReads>('monthlyReads');
    return saved && saved.month === month ? saved : { month, posts: 0, users: 0 };
  }

  /** Counts what one answer carried, now. */
  count(posts: number, users: number): void {
    if (posts === 0 && users === 0) return;
    const now = this.#clock.now();
    const mine = this.feed(now);
    mine.dayPosts += posts;
    mine.dayUsers += users;
    mine.monthPosts += posts;
    mine.monthUsers += users;
    this.#state.set('reads', mine);
    const all = this.allFeeds(now);
    this.#shared.set('monthlyReads', { month: all.month, posts: all.posts + posts, users: all.users + users });
  }

  /** For /api/health. */
  health(now: number) {
    const mine = this.feed(now);
    const all = this.allFeeds(now);
    return {
      today: { posts: mine.dayPosts, users: mine.dayUsers },
      month: { posts: mine.monthPosts, users: mine.monthUsers },
      allFeedsMonth: { posts: all.posts, users: all.users },
    };
  }
}

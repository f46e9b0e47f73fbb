/**
 * Polite announcements of new posts for screen readers: arrivals are counted
 * and announced in one sentence ("3 nouvelles publications"), at most once
 * every `minInterval` milliseconds, so a busy feed does not drown the reader.
 */
import type { FeedEnvironment } from './feed-connection.js';

/** Default shortest time between two announcements. */
export const ANNOUNCE_INTERVAL = 10_000;
/** Arrivals within this delay are announced together. */
const BATCH_DELAY = 1_500;
/** The message is cleared after this delay, so the same words can be announced again. */
const CLEAR_DELAY = 5_000;

export class NewPostAnnouncer {
  private count = 0;
  private lastAt = -Infinity;
  private timer: number | undefined;
  private clearTimer: number | undefined;
  private readonly environment: () => FeedEnvironment;
  private readonly announce: (count: number) => void;
  private readonly minInterval: number;

  /** `announce(0)` clears the live region. */
  constructor(environment: () => FeedEnvironment, announce: (count: number) => void, minInterval = ANNOUNCE_INTERVAL) {
    this.environment = environment;
    this.announce = announce;
    this.minInterval = minInterval;
  }

  /** Counts `count` new posts; the announcement follows when allowed. */
  add(count: number): void {
    if (count <= 0) return;
    this.count += count;
    if (this.timer !== undefined) return;
    const env = this.environment();
    const wait = Math.max(BATCH_DELAY, this.lastAt + this.minInterval - env.now());
    this.timer = env.setTimeout(this.flush, wait);
  }

  /** Drops what is counted and stops the timers (host left the page). */
  stop(): void {
    const env = this.environment();
    if (this.timer !== undefined) env.clearTimeout(this.timer);
    if (this.clearTimer !== undefined) env.clearTimeout(this.clearTimer);
    this.timer = undefined;
    this.clearTimer = undefined;
    this.count = 0;
  }

  private readonly flush = (): void => {
    const env = this.environment();
    this.timer = undefined;
    if (this.count === 0) return;
    this.announce(this.count);
    this.count = 0;
    this.lastAt = env.now();
    if (this.clearTimer !== undefined) env.clearTimeout(this.clearTimer);
    this.clearTimer = env.setTimeout(() => {
      this.clearTimer = undefined;
      this.announce(0);
    }, CLEAR_DELAY);
  };
}

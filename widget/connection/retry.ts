/**
 * When the live connection tries again after a failure: the server's one
 * backoff rule (exponential, jittered, so that a server restart does not bring
 * every wall back in the same second), never sooner than the server asked.
 */
import { backoffMs } from '../../server/pacing/backoff.js';
import type { FeedEnvironment } from './environment.js';

const DEFAULT_BASE_DELAY = 1_000;
const DEFAULT_MAX_DELAY = 60_000;

export interface RetryOptions {
  environment: () => FeedEnvironment;
  /** First delay in milliseconds; doubles at each failure. */
  baseDelay?: number;
  /** Longest delay in milliseconds. */
  maxDelay?: number;
}

/** The count of consecutive failures, and the one timer of the next try. */
export class Retry {
  /** Consecutive failures, since the last success. */
  failures = 0;

  private readonly options: RetryOptions;
  private timer: number | undefined;

  constructor(options: RetryOptions) {
    this.options = options;
  }

  private get env(): FeedEnvironment {
    return this.options.environment();
  }

  /** Whether a try is scheduled. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Runs `action` after the backoff of the failures so far, and not before `floor` ms; replaces a try already scheduled. */
  schedule(action: () => void, floor?: number): void {
    if (this.timer !== undefined) this.env.clearTimeout(this.timer);
    this.timer = this.env.setTimeout(() => {
      this.timer = undefined;
      action();
    }, this.delay(floor));
  }

  cancel(): void {
    if (this.timer !== undefined) this.env.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private delay(floor = 0): number {
    const policy = {
      baseMs: this.options.baseDelay ?? DEFAULT_BASE_DELAY,
      capMs: this.options.maxDelay ?? DEFAULT_MAX_DELAY,
    };
    return Math.max(
      floor,
      backoffMs(this.failures, policy, () => this.env.random()),
    );
  }
}

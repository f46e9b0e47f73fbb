/**
 * Remembers failures for a while (negative caching), so that what failed is not
 * asked again on every request: each failure is answered from memory for a
 * backoff that grows with the failures in a row, and forgotten at the first
 * success. The memory is bounded: past `maxEntries`, the oldest is dropped.
 */
import type { Clock } from '../clock.js';
import { backoffMs, type BackoffPolicy } from './backoff.js';

export interface Failure<S extends number = number> {
  status: S;
  message: string;
}

export interface RememberedFailure<S extends number = number> extends Failure<S> {
  /** Failures in a row. */
  failures: number;
  /** Until when it is answered from memory (ms since the epoch). */
  untilMs: number;
}

export interface FailureMemoryOptions {
  policy: BackoffPolicy;
  clock: Clock;
  /** Keys remembered at most. */
  maxEntries: number;
  random?: () => number;
}

export class FailureMemory<S extends number = number> {
  readonly #entries = new Map<string, RememberedFailure<S>>();
  readonly #options: FailureMemoryOptions;

  constructor(options: FailureMemoryOptions) {
    this.#options = options;
  }

  /** The failure to answer with, if `key` failed and its wait has not run out. */
  current(key: string): RememberedFailure<S> | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.untilMs > this.#options.clock.now() ? entry : undefined;
  }

  /**
   * Records a failure of `key`. `isNew` is true when it differs from the one
   * remembered before, so that each distinct failure is logged once.
   */
  fail(key: string, failure: Failure<S>): { entry: RememberedFailure<S>; isNew: boolean } {
    const { policy, clock, maxEntries, random } = this.#options;
    const previous = this.#entries.get(key);
    const failures = (previous?.failures ?? 0) + 1;
    const entry = { ...failure, failures, untilMs: clock.now() + backoffMs(failures, policy, random) };
    // Re-inserted, so that the Map's order runs from the least to the most recently failed.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return { entry, isNew: previous?.message !== failure.message };
  }

  /** Forgets `key` after a success; returns what was remembered, if anything (a recovery to log). */
  succeed(key: string): RememberedFailure<S> | undefined {
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    return entry;
  }

  /** Seconds until `entry` may be tried again, for `Retry-After` (at least 1). */
  retryAfterS(entry: RememberedFailure<S>): number {
    return Math.max(1, Math.ceil((entry.untilMs - this.#options.clock.now()) / 1000));
  }

  get size(): number {
    return this.#entries.size;
  }
}

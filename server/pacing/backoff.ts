/** Exponential backoff with jitter: the one rule for "wait longer after each failure", shared by every retry. */
import { equalJitter, type Random } from './jitter.js';

export interface BackoffPolicy {
  /** Wait after the first failure, before jitter (ms). */
  baseMs: number;
  /** Longest wait, before jitter (ms). */
  capMs: number;
}

/** Backoff of retries that nothing else tunes: 5 s doubling to 10 min. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 600_000 };

/**
 * The wait before retrying after `failures` consecutive failures (1 = the first):
 * `baseMs` doubling up to `capMs`, with equal jitter (over its upper half), so that
 * many clients failing together do not retry together, and none retries at once.
 */
export function backoffMs(failures: number, policy: BackoffPolicy, random: Random = Math.random): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return equalJitter(step, random);
}

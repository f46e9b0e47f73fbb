/** Exponential backoff with jitter: the one rule for "wait longer after each failure", shared by every retry. */

export interface BackoffPolicy {
  /** Wait after the first failure, before jitter (ms). */
  baseMs: number;
  /** Longest wait, before jitter (ms). */
  capMs: number;
}

/**
 * The wait before retrying after `failures` consecutive failures (1 = the first):
 * `baseMs` doubling up to `capMs`, with full jitter on its upper half, so that
 * many clients failing together do not retry together, and none retries at once.
 */
export function backoffMs(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

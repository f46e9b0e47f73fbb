/**
 * When the retention sweep runs. Timers follow monotonic time but the sweep's cutoff follows the
 * wall clock, so a wall clock that jumps (a wrong NTP answer, a board without a battery-backed
 * clock) could make every post look a year old and empty the wall. A sweep whose wall time moved
 * much more or less than its timer did is skipped, and said so; the next one runs as usual. A sweep
 * that cannot be stored (another process holds the database busy, a full disk) deletes nothing and
 * is said so too: posts are only deleted a sweep later.
 */
import { repeat, type Clock } from '../clock.js';
import type { Logger } from '../log.js';

/** How far the wall clock may drift from the timers between two sweeps before one is skipped (ms). */
export const CLOCK_JUMP_TOLERANCE_MS = 5 * 60_000;

export function scheduleRetention(clock: Clock, everyMs: number, sweep: () => void, log: Logger): { stop(): void } {
  let last = clock.now();
  return repeat(clock, everyMs, () => {
    const now = clock.now();
    const jumpedMs = now - last - everyMs;
    last = now;
    if (Math.abs(jumpedMs) > CLOCK_JUMP_TOLERANCE_MS) {
      log.warn('store.prune_skipped', {
        reason: 'the system clock jumped since the last retention sweep',
        jumpedS: Math.round(jumpedMs / 1000),
        hint: 'check the system clock (NTP); the next sweep runs as usual',
      });
      return;
    }
    try {
      sweep();
    } catch (err) {
      log.warn('store.prune_failed', {
        error: err instanceof Error ? err.message : String(err),
        hint: 'nothing was deleted; the next sweep runs as usual',
      });
    }
  });
}

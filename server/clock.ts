/**
 * The clock, injected wherever time decides something, so that tests do not sleep.
 *
 * Every delay that comes from the config or from upstream (a source's retry, X's rate-limit reset)
 * goes through a clock: `systemClock` chains delays longer than Node's timers allow.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `fn` once, `ms` from now. Any delay is safe: not a number or negative means 0, longer than
   * Node's 32-bit timers is chained, `Infinity` never fires. The handle can be cleared at any time.
   */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The longest delay one Node timer takes (2^31 − 1 ms, about 24.8 days); past it Node fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay as every clock reads it: not a number or negative counts as 0. */
export function timerDelay(ms: number): number {
  return Number.isNaN(ms) || ms < 0 ? 0 : ms;
}

/** One pending call of the system clock: the Node timer of the current step of the chain. */
interface ChainedTimer {
  timer: NodeJS.Timeout | undefined;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle: ChainedTimer = { timer: undefined };
    let remaining = timerDelay(ms);
    const step = () => {
      const wait = Math.min(remaining, MAX_TIMER_MS);
      remaining -= wait;
      handle.timer = setTimeout(() => (remaining > 0 ? step() : fn()), wait);
      handle.timer.unref?.();
    };
    step();
    return handle;
  },
  clearTimeout: (handle) => {
    const timer = (handle as ChainedTimer | undefined)?.timer;
    if (timer) clearTimeout(timer);
  },
};

/** Calls `fn` every `everyMs` (at least 1 ms) through `clock` until `stop()`. */
export function repeat(clock: Clock, everyMs: number, fn: () => void): { stop(): void } {
  let handle: unknown;
  let stopped = false;
  const arm = () => {
    handle = clock.setTimeout(
      () => {
        if (stopped) return;
        arm();
        fn();
      },
      Math.max(1, everyMs),
    );
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      clock.clearTimeout(handle);
    },
  };
}

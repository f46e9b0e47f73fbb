import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, repeat, systemClock, type Clock } from '../../server/clock.js';
import { FakeClock } from '../helpers/fake-clock.js';

const DAY = 86_400_000;

interface Driver {
  clock: Clock;
  advance(ms: number): Promise<void>;
  /** Timers still armed underneath. */
  armed(): number;
}

/** The system clock over vitest's fake Node timers, which, like Node, fire an overflowing delay after 1 ms. */
function systemDriver(): Driver {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  return {
    clock: systemClock,
    advance: async (ms) => void vi.advanceTimersByTime(ms),
    armed: () => vi.getTimerCount(),
  };
}

function fakeDriver(): Driver {
  const clock = new FakeClock();
  return { clock, advance: (ms) => clock.advance(ms), armed: () => clock.pending };
}

afterEach(() => {
  vi.useRealTimers();
});

describe.each([
  ['the system clock', systemDriver],
  ['the fake clock of the tests', fakeDriver],
])('%s', (_, driver) => {
  it('fires a 30-day delay at the right time and not before', async () => {
    const { clock, advance, armed } = driver();
    const fn = vi.fn();
    clock.setTimeout(fn, 30 * DAY);
    await advance(1_000);
    expect(fn).not.toHaveBeenCalled();
    await advance(MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
    await advance(30 * DAY - MAX_TIMER_MS - 1_000 - 1);
    expect(fn).not.toHaveBeenCalled();
    await advance(1);
    expect(fn).toHaveBeenCalledOnce();
    expect(armed()).toBe(0);
  });

  it('can be cleared in the middle of a long delay', async () => {
    const { clock, advance, armed } = driver();
    const fn = vi.fn();
    const handle = clock.setTimeout(fn, 30 * DAY);
    await advance(26 * DAY);
    clock.clearTimeout(handle);
    await advance(10 * DAY);
    expect(fn).not.toHaveBeenCalled();
    expect(armed()).toBe(0);
  });

  it('reads a negative or NaN delay as 0 and never fires an infinite one', async () => {
    const { clock, advance } = driver();
    const soon = vi.fn();
    const never = vi.fn();
    clock.setTimeout(soon, -5);
    clock.setTimeout(soon, Number.NaN);
    clock.setTimeout(never, Infinity);
    await advance(0);
    expect(soon).toHaveBeenCalledTimes(2);
    await advance(1_000);
    expect(never).not.toHaveBeenCalled();
    await advance(100 * DAY);
    expect(never).not.toHaveBeenCalled();
  });

  it('repeats a call until stopped, also past 24.8 days', async () => {
    const { clock, advance } = driver();
    const fn = vi.fn();
    const every = repeat(clock, 40 * DAY, fn);
    await advance(1_000);
    expect(fn).not.toHaveBeenCalled();
    await advance(40 * DAY - 1_001);
    expect(fn).not.toHaveBeenCalled();
    await advance(1);
    expect(fn).toHaveBeenCalledTimes(1);
    await advance(40 * DAY);
    expect(fn).toHaveBeenCalledTimes(2);
    every.stop();
    await advance(100 * DAY);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

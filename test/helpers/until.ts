/** Waits for a check to pass while real I/O runs and a fake clock moves on by `stepMs` between tries. */
import { vi } from 'vitest';
import type { FakeClock } from './fake-clock.js';

export async function until(clock: FakeClock, check: () => void, stepMs = 0): Promise<void> {
  await vi.waitFor(
    async () => {
      await clock.advance(stepMs);
      check();
    },
    { timeout: 5_000, interval: 5 },
  );
}

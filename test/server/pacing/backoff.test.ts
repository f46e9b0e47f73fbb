import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../server/pacing/backoff.js';

const policy = { baseMs: 5_000, capMs: 600_000 };

describe('backoffMs', () => {
  it('doubles from the base after each failure, up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 1))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(50, policy, () => 1)).toBe(600_000);
    expect(backoffMs(0, policy, () => 1)).toBe(5_000);
  });

  it('spreads each wait over its upper half, so that clients failing together do not retry together', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(2_500);
    expect(backoffMs(3, policy, () => 0.5)).toBe(15_000);
    expect(backoffMs(50, { baseMs: 1_000, capMs: 8_000 }, () => 0)).toBe(4_000);
  });
});

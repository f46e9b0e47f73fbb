import { describe, expect, it } from 'vitest';
import {
  budgetExhausted,
  budgetLeft,
  budgetSlowdown,
  pageSizeWithin,
  startOfNextUtcMonth,
  UsageCapPause,
} from '../../../../server/sources/x/budget.js';
import { memoryState } from '../../../helpers/memory-state.js';

const NOW = Date.parse('2026-10-17T08:00:00Z');
const NOVEMBER = Date.parse('2026-11-01T00:00:00Z');

describe('the monthly post budget', () => {
  it('tells the reads left, and stops before a page could exceed them', () => {
    expect(budgetLeft(undefined, 1e9)).toBe(Infinity);
    expect(budgetLeft(1000, 960)).toBe(40);
    expect(budgetLeft(1000, 1200)).toBe(0);
    expect(budgetExhausted(10)).toBe(false);
    expect(budgetExhausted(9)).toBe(true);
  });

  it('asks for at most half of what is left: each post may bring the post it refers to', () => {
    expect(pageSizeWithin(100, Infinity)).toBe(100);
    expect(pageSizeWithin(100, 40)).toBe(20);
    expect(pageSizeWithin(20, 1000)).toBe(20);
  });

  it('slows polling down past half the budget: ×2 at 75 %, ×5 at 90 %, up to ×10', () => {
    expect(budgetSlowdown(undefined, 10_000)).toBe(1);
    expect(budgetSlowdown(1000, 500)).toBe(1);
    expect(budgetSlowdown(1000, 750)).toBe(2);
    expect(budgetSlowdown(1000, 900)).toBeCloseTo(5);
    expect(budgetSlowdown(1000, 999)).toBe(10);
    expect(budgetSlowdown(0, 0)).toBe(1);
  });

  it('resets at the start of the next UTC month', () => {
    expect(startOfNextUtcMonth(NOW)).toBe(NOVEMBER);
    expect(startOfNextUtcMonth(Date.parse('2026-12-31T23:59:59Z'))).toBe(Date.parse('2027-01-01T00:00:00Z'));
  });
});

describe("X's usage-cap pause", () => {
  it('pauses every X feed sharing the state, says so once, and lifts at its end or on resume', () => {
    const shared = memoryState();
    const one = new UsageCapPause(shared);
    const other = new UsageCapPause(shared);
    expect(one.start(NOVEMBER)).toBe(true);
    expect(one.start(NOVEMBER)).toBe(false);
    expect(other.current(NOW)).toEqual(expect.objectContaining({ until: NOVEMBER }));
    expect(other.current(NOVEMBER)).toBeUndefined();
    one.lift();
    expect(other.current(NOW)).toBeUndefined();
  });
});

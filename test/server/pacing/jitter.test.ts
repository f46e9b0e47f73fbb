import { describe, expect, it } from 'vitest';
import { equalJitter, spreadJitter } from '../../../server/pacing/jitter.js';

describe('jitter', () => {
  it('equal jitter keeps half the wait and spreads the other half', () => {
    expect(equalJitter(10_000, () => 0)).toBe(5_000);
    expect(equalJitter(10_000, () => 0.5)).toBe(7_500);
    expect(equalJitter(10_000, () => 0.999999)).toBe(10_000);
  });

  it('spread jitter spreads a wait evenly around it', () => {
    expect(spreadJitter(60_000, 0.1, () => 0)).toBe(54_000);
    expect(spreadJitter(60_000, 0.1, () => 0.5)).toBe(60_000);
    expect(spreadJitter(60_000, 0.25, () => 1)).toBe(75_000);
  });
});

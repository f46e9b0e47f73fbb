import { describe, expect, it } from 'vitest';
import { DEFAULT_INTERVALS, failureDelayMs, feedIntervalMs, nextPollAt } from '../../../server/engine/schedule.js';
import type { PollIntervals } from '../../../server/sources/source.js';

const T0 = Date.parse('2026-10-17T08:00:00Z');
const MIN = 60_000;
const intervals: PollIntervals = {
  fastMs: MIN,
  slowMs: 15 * MIN,
  defaultMs: 5 * MIN,
  backoff: { baseMs: 30_000, capMs: 15 * MIN },
};
const window = { start: new Date(T0 + 30 * MIN).toISOString(), end: new Date(T0 + 120 * MIN).toISOString() };

describe('feedIntervalMs', () => {
  it('polls fast inside the event window, slow after it, and wakes at its start before it', () => {
    const feed = { eventWindow: window };
    expect(feedIntervalMs(T0 + 60 * MIN, feed, intervals)).toBe(MIN);
    expect(feedIntervalMs(T0 + 121 * MIN, feed, intervals)).toBe(15 * MIN);
    expect(feedIntervalMs(T0 - 60 * MIN, feed, intervals)).toBe(15 * MIN);
    expect(feedIntervalMs(T0 + 20 * MIN, feed, intervals)).toBe(10 * MIN);
    // Never faster than the fast interval, even a second before the start.
    expect(feedIntervalMs(T0 + 30 * MIN - 1_000, feed, intervals)).toBe(MIN);
  });

  it("uses the feed's pollSeconds over the window, and the network's default without either", () => {
    expect(feedIntervalMs(T0 + 60 * MIN, { eventWindow: window, pollSeconds: 20 }, intervals)).toBe(20_000);
    expect(feedIntervalMs(T0, {}, intervals)).toBe(5 * MIN);
  });
});

describe('nextPollAt', () => {
  const base = { dueAt: T0, mode: 'poll' as const, feed: { pollSeconds: 60 }, intervals };

  it('counts the interval from when the poll was due, not from when it ended', () => {
    expect(nextPollAt(base)).toBe(T0 + MIN);
  });

  it('never polls below the rate-limit floor, and stretches the interval by the budget pace', () => {
    expect(nextPollAt({ ...base, pacing: { minIntervalMs: 75_000 } })).toBe(T0 + 75_000);
    expect(nextPollAt({ ...base, pacing: { minIntervalMs: 75_000, slowdown: 2 } })).toBe(T0 + 150_000);
    expect(nextPollAt({ ...base, pacing: { slowdown: 0.5 } })).toBe(T0 + MIN);
  });

  it("polls by the source's deadline, whatever the interval, and never before its not-before", () => {
    expect(nextPollAt({ ...base, feed: { pollSeconds: 86_400 }, pacing: { pollBy: T0 + 6 * 60 * MIN } })).toBe(
      T0 + 6 * 60 * MIN,
    );
    expect(nextPollAt({ ...base, pacing: { slowdown: 10, pollBy: T0 + 5 * MIN } })).toBe(T0 + 5 * MIN);
    expect(nextPollAt({ ...base, pacing: { notBefore: T0 + 30 * 86_400_000, pollBy: T0 + 5 * MIN } })).toBe(
      T0 + 30 * 86_400_000,
    );
  });

  it('only backfills at the slow interval while a stream is live', () => {
    expect(nextPollAt({ ...base, live: true })).toBe(T0 + 15 * MIN);
    expect(nextPollAt({ ...base, feed: { pollSeconds: 3_600 }, live: true })).toBe(T0 + 60 * MIN);
  });

  it("in compliance mode, polls only when the source's terms require, else at the slow interval", () => {
    const compliance = { ...base, mode: 'compliance' as const };
    expect(nextPollAt({ ...compliance, pacing: { pollBy: T0 + 24 * 60 * MIN } })).toBe(T0 + 24 * 60 * MIN);
    expect(nextPollAt(compliance)).toBe(T0 + 15 * MIN);
  });
});

describe('failureDelayMs', () => {
  it('waits until the time the source named, else backs off with jitter on the network policy', () => {
    expect(failureDelayMs(T0, 1, intervals, T0 + 10 * MIN)).toBe(10 * MIN);
    expect(failureDelayMs(T0, 1, intervals, T0 - 1)).toBe(0);
    expect([1, 2, 3, 4].map((n) => failureDelayMs(T0, n, intervals, undefined, () => 1))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(failureDelayMs(T0, 1, intervals, undefined, () => 0)).toBe(15_000);
    expect(failureDelayMs(T0, 1, DEFAULT_INTERVALS, undefined, () => 1)).toBe(5_000);
  });
});

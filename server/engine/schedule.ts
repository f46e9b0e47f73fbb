/**
 * The polling policy, written once for every network: when a source is polled again. Pure: the
 * feed's event window and `pollSeconds` choose among the network's intervals, then what the
 * source reported (rate-limit floor, budget pace, longest wait, "not before") bounds the choice;
 * failures back off with jitter unless the source names a time.
 */
import type { FeedSettings } from '../feeds/settings.js';
import { backoffMs, DEFAULT_BACKOFF } from '../pacing/backoff.js';
import type { Random } from '../pacing/jitter.js';
import type { Pacing, PollIntervals } from '../sources/source.js';

/**
 * What a source's loop does: `poll` reads new posts; `compliance` only what the network's terms
 * require (an archived feed: the X compliance re-check); `off` nothing (a paused feed).
 */
export type RunMode = 'poll' | 'compliance' | 'off';

/** Intervals of a network that does not say: one poll a minute, and backoff from 5 s to 10 min. */
export const DEFAULT_INTERVALS: PollIntervals = {
  fastMs: 60_000,
  slowMs: 900_000,
  defaultMs: 60_000,
  backoff: DEFAULT_BACKOFF,
};

/** What the next regular poll depends on. */
export interface ScheduleInput {
  /** When the poll that just ended was due (ms since the epoch): intervals run from there, not from its end. */
  dueAt: number;
  mode: RunMode;
  feed: Pick<FeedSettings, 'eventWindow' | 'pollSeconds'>;
  intervals: PollIntervals;
  /** What the source reported with its last result. */
  pacing?: Pacing;
  /** A stream pushes posts: polling is only a backfill, at the slow interval at most. */
  live?: boolean;
}

/**
 * The feed's own interval at `at`: `pollSeconds` when set; else fast inside the event window,
 * slow after it and before it (but waking at its start); the network's default with no window.
 */
export function feedIntervalMs(
  at: number,
  feed: Pick<FeedSettings, 'eventWindow' | 'pollSeconds'>,
  intervals: PollIntervals,
): number {
  if (feed.pollSeconds !== undefined) return feed.pollSeconds * 1000;
  if (!feed.eventWindow) return intervals.defaultMs;
  const start = Date.parse(feed.eventWindow.start);
  const end = Date.parse(feed.eventWindow.end);
  if (at >= start && at <= end) return intervals.fastMs;
  if (at < start) return Math.min(intervals.slowMs, Math.max(intervals.fastMs, start - at));
  return intervals.slowMs;
}

/**
 * When the next regular poll is due (ms since the epoch, possibly already past): the feed's
 * interval after `dueAt` (in compliance mode, only when the source's terms require: its `pollBy`,
 * else the slow interval), at least the slow one while a stream is live, never below the
 * rate-limit floor, stretched by the budget pace; then no later than the source's `pollBy`, and
 * never before its `notBefore`.
 */
export function nextPollAt(input: ScheduleInput): number {
  const { dueAt, mode, feed, intervals, pacing = {}, live = false } = input;
  let ms =
    mode === 'compliance'
      ? pacing.pollBy !== undefined
        ? pacing.pollBy - dueAt
        : intervals.slowMs
      : feedIntervalMs(dueAt, feed, intervals);
  if (live) ms = Math.max(ms, intervals.slowMs);
  ms = Math.max(ms, pacing.minIntervalMs ?? 0) * Math.max(1, pacing.slowdown ?? 1);
  const at = Math.min(dueAt + Math.round(ms), pacing.pollBy ?? Infinity);
  return Math.max(at, pacing.notBefore ?? -Infinity);
}

/** How long to wait after a failure: until the time the source named, else the network's backoff with jitter. */
export function failureDelayMs(
  now: number,
  failures: number,
  intervals: PollIntervals,
  notBefore: number | undefined,
  random?: Random,
): number {
  return notBefore !== undefined ? Math.max(0, notBefore - now) : backoffMs(failures, intervals.backoff, random);
}

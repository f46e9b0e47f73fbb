import { describe, expect, it } from 'vitest';
import {
  blockedUntil,
  callsAcrossFeeds,
  exhausted,
  minIntervalMs,
  parseRateLimit,
} from '../../../server/pacing/rate-limit.js';
import { memoryState } from '../../helpers/memory-state.js';

const NOW = Date.parse('2026-10-17T08:00:00Z');
const IN_10_MIN = NOW + 600_000;

describe('parseRateLimit', () => {
  it("reads X's x-rate-limit-* headers, whose reset is in Unix seconds", () => {
    const headers = { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '12', 'x-rate-limit-reset': '1792224600' };
    expect(parseRateLimit(headers, NOW)).toEqual({ limit: 450, remaining: 12, resetAt: 1792224600_000 });
  });

  it("reads Mastodon's X-RateLimit-* headers, whose reset is an ISO 8601 time with microseconds", () => {
    const headers = new Headers({
      'X-RateLimit-Limit': '300',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '2026-10-17T08:05:00.123456Z',
    });
    expect(parseRateLimit(headers, NOW)).toEqual({
      limit: 300,
      remaining: 0,
      resetAt: Date.parse('2026-10-17T08:05:00.123Z'),
    });
  });

  it("reads Bluesky's ratelimit-* headers with their policy's window, and a reset in seconds from now", () => {
    const unix = new Headers({
      'ratelimit-limit': '3000',
      'ratelimit-remaining': '2999',
      'ratelimit-reset': String(IN_10_MIN / 1000),
      'ratelimit-policy': '3000;w=300',
    });
    expect(parseRateLimit(unix, NOW)).toEqual({ limit: 3000, remaining: 2999, resetAt: IN_10_MIN, windowMs: 300_000 });
    const delta = new Headers({ 'ratelimit-limit': '10', 'ratelimit-remaining': '1', 'ratelimit-reset': '30' });
    expect(parseRateLimit(delta, NOW)).toMatchObject({ resetAt: NOW + 30_000 });
  });

  it('announces nothing from missing or unreadable headers, and counts a missing remaining as none left', () => {
    expect(parseRateLimit(new Headers(), NOW)).toBeUndefined();
    expect(parseRateLimit({ 'x-rate-limit-limit': '450' }, NOW)).toBeUndefined();
    expect(parseRateLimit({ 'x-ratelimit-limit': 'lots', 'x-ratelimit-reset': 'soon' }, NOW)).toBeUndefined();
    expect(parseRateLimit({ 'x-rate-limit-limit': ['450'], 'x-rate-limit-reset': '1792224600' }, NOW)).toEqual({
      limit: 450,
      remaining: 0,
      resetAt: 1792224600_000,
    });
  });
});

describe('blockedUntil and exhausted', () => {
  it('blocks a limit with nothing left until its reset, and nothing else', () => {
    expect(blockedUntil({ limit: 1, remaining: 0, resetAt: IN_10_MIN }, NOW)).toBe(IN_10_MIN);
    expect(blockedUntil({ limit: 1, remaining: 0, resetAt: NOW - 1 }, NOW)).toBeUndefined();
    expect(blockedUntil({ limit: 1, remaining: 1, resetAt: IN_10_MIN }, NOW)).toBeUndefined();
    expect(blockedUntil(undefined, NOW)).toBeUndefined();
  });

  it('after a "too many requests", waits for the announced reset, or a whole window when none is ahead', () => {
    const fallback = { limit: 450, windowMs: 900_000 };
    expect(exhausted({ limit: 60, remaining: 3, resetAt: IN_10_MIN }, fallback, NOW)).toEqual({
      limit: 60,
      remaining: 0,
      resetAt: IN_10_MIN,
    });
    expect(exhausted(undefined, fallback, NOW)).toEqual({ limit: 450, remaining: 0, resetAt: NOW + 900_000 });
    expect(exhausted({ limit: 60, remaining: 3, resetAt: NOW - 5 }, fallback, NOW).resetAt).toBe(NOW + 900_000);
  });
});

describe('minIntervalMs and callsAcrossFeeds', () => {
  it('turns a limit per window and the calls of a poll into the shortest interval between polls', () => {
    // X's legacy Basic tier: 60 searches per 15 minutes; 5 searches per poll → one poll every 75 s.
    expect(minIntervalMs({ limit: 60, windowMs: 900_000 }, 5)).toBe(75_000);
    // Mastodon's default: 300 calls per 5 minutes; 3 calls per poll → one poll every 3 s.
    expect(minIntervalMs({ limit: 300, windowMs: 300_000 }, 3)).toBe(3_000);
    expect(minIntervalMs({ limit: 300, windowMs: 300_000 }, 0)).toBe(0);
    expect(minIntervalMs({ limit: 0, windowMs: 300_000 }, 1)).toBe(300_000);
  });

  it('adds up the calls of every feed sharing the limit, forgetting feeds silent for a day', () => {
    const shared = memoryState();
    expect(callsAcrossFeeds(shared, 'calls', 'a', { search: 2, timeline: 1 }, NOW)).toEqual({ search: 2, timeline: 1 });
    expect(callsAcrossFeeds(shared, 'calls', 'b', { search: 3 }, NOW + 1)).toEqual({ search: 5, timeline: 1 });
    expect(callsAcrossFeeds(shared, 'calls', 'a', { search: 1, timeline: 1 }, NOW + 2)).toEqual({
      search: 4,
      timeline: 1,
    });
    expect(callsAcrossFeeds(shared, 'calls', 'b', { search: 3 }, NOW + 86_400_000 + 10)).toEqual({ search: 3 });
  });
});

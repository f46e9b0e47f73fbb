import { describe, expect, it } from 'vitest';
import { XApiError } from '../../../../server/sources/x/client.js';
import { DEFAULT_RATE_LIMITS, X_WINDOW_MS, XRateLimits } from '../../../../server/sources/x/limits.js';
import { buildSearchQueries } from '../../../../server/sources/x/reader.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { memoryState } from '../../../helpers/memory-state.js';

const NOW = Date.parse('2026-10-17T08:00:00Z');
const signal = new AbortController().signal;

function limits(configured = {}) {
  const shared = memoryState();
  return { shared, limits: new XRateLimits(shared, new FakeClock(NOW), configured) };
}

describe('XRateLimits', () => {
  it('records the limit each answer announces, and blocks an endpoint with nothing left until its reset', async () => {
    const { limits: l } = limits();
    const rateLimit = { limit: 450, remaining: 0, resetAt: NOW + 300_000 };
    expect(await l.call('search', signal, async () => ({ body: 'page', rateLimit }))).toBe('page');
    expect(l.blockedUntil('search', NOW)).toBe(NOW + 300_000);
    expect(l.blockedUntil('timeline', NOW)).toBeUndefined();
    expect(l.health()).toEqual({
      search: { limit: 450, remaining: 0, resetAt: new Date(NOW + 300_000).toISOString() },
    });
  });

  it('after a 429, makes no call before the reset X named, or for a whole window when it named none, even after a restart', async () => {
    const { shared, limits: l } = limits();
    const tooMany = (rateLimit?: { limit: number; remaining: number; resetAt: number }) =>
      Promise.reject(new XApiError('rate-limit', 'X rate limit reached', 'search', 429, rateLimit));
    await expect(
      l.call('search', signal, () => tooMany({ limit: 60, remaining: 5, resetAt: NOW + 600_000 })),
    ).rejects.toThrow();
    expect(l.blockedUntil('search', NOW)).toBe(NOW + 600_000);
    await expect(l.call('user', signal, () => tooMany())).rejects.toThrow();
    expect(l.blockedUntil('user', NOW)).toBe(NOW + X_WINDOW_MS);
    expect(new XRateLimits(shared, new FakeClock(NOW)).blockedUntil('search', NOW + 599_999)).toBe(NOW + 600_000);
  });

  it('stops waiting for X when the poll is aborted, and calls nothing once it is', async () => {
    const { limits: l } = limits();
    const controller = new AbortController();
    const waiting = l.call('search', controller.signal, () => new Promise<never>(() => {}));
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
    let called = false;
    await expect(
      l.call('search', controller.signal, async () => {
        called = true;
        return { body: 1 };
      }),
    ).rejects.toThrow();
    expect(called).toBe(false);
  });

  it('takes the limit X announced, else the configured one, else the documented one', async () => {
    const { limits: l } = limits({ search: 60 });
    expect(l.limitOf('timeline')).toBe(DEFAULT_RATE_LIMITS.timeline);
    expect(l.limitOf('search')).toBe(60);
    await l.call('search', signal, async () => ({ body: 0, rateLimit: { limit: 180, remaining: 179, resetAt: NOW } }));
    expect(l.limitOf('search')).toBe(180);
  });

  it('puts a floor under the poll interval so that all X feeds together stay within the limits', () => {
    // The legacy Basic tier allows 60 searches per 15 minutes: 5 queries (20 long hashtags, the most a feed has) → 75 s.
    const many = Array.from({ length: 20 }, (_, i) => `Tag${i}${'x'.repeat(94)}`);
    expect(buildSearchQueries(many)).toHaveLength(5);
    const { shared, limits: l } = limits({ search: 60 });
    expect(l.floorMs('a', { search: 5, timeline: 0 }, NOW)).toBe(75_000);
    // A second feed on the same app: both must slow down.
    const other = new XRateLimits(shared, new FakeClock(NOW), { search: 60 });
    expect(other.floorMs('b', { search: 1, timeline: 1 }, NOW)).toBe(90_000);
    expect(l.floorMs('a', { search: 5, timeline: 0 }, NOW)).toBe(90_000);
    expect(l.floorMs('a', { search: 0, timeline: 0 }, NOW + 86_400_001)).toBe(0);
  });
});

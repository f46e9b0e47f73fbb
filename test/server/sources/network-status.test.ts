import { describe, expect, it } from 'vitest';
import { sourceErrorOf, worstFailure, MISCONFIGURED_RETRY_MS } from '../../../server/sources/network-status.js';

describe('what a free network’s failure tells the engine', () => {
  const now = 1_000_000;
  it('waits for a rate limit’s reset, retries a missing login rarely, and leaves outages to the backoff', () => {
    expect(
      sourceErrorOf(
        { kind: 'rate-limit', message: 'x', rateLimit: { limit: 1, remaining: 0, resetAt: now + 5_000 } },
        now,
      ),
    ).toMatchObject({ state: 'rate-limited', notBefore: now + 5_000 });
    expect(sourceErrorOf({ kind: 'login-required', message: 'x' }, now)).toMatchObject({
      state: 'login-required',
      notBefore: now + MISCONFIGURED_RETRY_MS,
    });
    expect(sourceErrorOf({ kind: 'credentials-missing', message: 'x' }, now).state).toBe('login-required');
    expect(sourceErrorOf({ kind: 'unavailable', message: 'x' }, now).notBefore).toBeUndefined();
    expect(
      worstFailure([
        { kind: 'unavailable', message: 'a' },
        { kind: 'auth', message: 'b' },
        { kind: 'rate-limit', message: 'c' },
      ])?.kind,
    ).toBe('auth');
  });
});

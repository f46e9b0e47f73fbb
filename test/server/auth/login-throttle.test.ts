import { describe, expect, it } from 'vitest';
import { LoginThrottle, type Attempt, type AttemptKeys } from '../../../server/auth/login-throttle.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const MINUTE = 60_000;

function setup(options: { maxKeys?: number } = {}) {
  const clock = new FakeClock();
  const throttle = new LoginThrottle({ clock, ...options });
  /** An attempt whose credentials turn out wrong. */
  const fail = (keys: AttemptKeys): Attempt => throttle.attempt(keys);
  const failTimes = (keys: AttemptKeys, n: number) => {
    for (let i = 0; i < n; i++) expect(fail(keys).allowed).toBe(true);
  };
  const wait = (keys: AttemptKeys) => {
    const attempt = throttle.attempt(keys);
    return attempt.allowed ? 0 : attempt.retryAfterMs;
  };
  return { clock, throttle, fail, failTimes, wait };
}

const marie = { account: 'marie', address: '203.0.113.7' };

describe('LoginThrottle', () => {
  it('lets 5 failures through, then makes the next attempt wait 1 s, doubling at each further failure', async () => {
    const { clock, failTimes, wait } = setup();
    failTimes(marie, 5);
    expect(wait(marie)).toBe(1000);
    await clock.advance(1000);
    failTimes(marie, 1);
    expect(wait(marie)).toBe(2000);
    await clock.advance(2000);
    failTimes(marie, 1);
    expect(wait(marie)).toBe(4000);
  });

  it('caps the wait at 15 minutes', async () => {
    const { clock, failTimes, wait } = setup();
    failTimes(marie, 5);
    for (let i = 0; i < 12; i++) {
      await clock.advance(wait(marie));
      failTimes(marie, 1);
    }
    expect(wait(marie)).toBe(15 * MINUTE);
  });

  it('forgets failures after 15 minutes without one', async () => {
    const { clock, failTimes, wait } = setup();
    failTimes(marie, 4);
    await clock.advance(15 * MINUTE + 1);
    failTimes(marie, 5);
    expect(wait(marie)).toBe(1000);
  });

  it('counts the 15 minutes from the end of the last wait, so that waiting it out does not start afresh', async () => {
    const { clock, failTimes, wait } = setup();
    failTimes(marie, 5);
    for (let i = 0; i < 11; i++) {
      await clock.advance(wait(marie));
      failTimes(marie, 1);
    }
    expect(wait(marie)).toBe(15 * MINUTE);
    await clock.advance(16 * MINUTE);
    failTimes(marie, 1);
    expect(wait(marie)).toBe(15 * MINUTE);
  });

  it('slows down one account tried from many addresses', () => {
    const { fail, wait } = setup();
    for (let i = 0; i < 5; i++) expect(fail({ account: 'marie', address: `198.51.100.${i}` }).allowed).toBe(true);
    expect(wait({ account: 'marie', address: '198.51.100.99' })).toBe(1000);
    expect(wait({ account: 'MARIE', address: '198.51.100.98' })).toBe(1000);
    expect(wait({ account: 'paul', address: '198.51.100.99' })).toBe(0);
  });

  it('slows down one address trying many accounts', () => {
    const { fail, wait } = setup();
    for (let i = 0; i < 5; i++) expect(fail({ account: `user${i}`, address: '203.0.113.7' }).allowed).toBe(true);
    expect(wait({ account: 'someone-else', address: '203.0.113.7' })).toBe(1000);
    expect(wait({ account: 'someone-else', address: '203.0.113.8' })).toBe(0);
  });

  it("clears the account's failures on a success, but not the address's", () => {
    const { throttle, failTimes, wait } = setup();
    failTimes(marie, 4);
    const right = throttle.attempt(marie);
    expect(right.allowed).toBe(true);
    if (right.allowed) right.succeeded();
    failTimes({ account: 'marie', address: '198.51.100.1' }, 4);
    expect(wait({ account: 'marie', address: '198.51.100.1' })).toBe(0);
    failTimes({ account: 'paul', address: marie.address }, 1);
    expect(wait({ account: 'paul', address: marie.address })).toBe(1000);
  });

  it('counts attempts still being checked, so that parallel guesses cannot all slip through', () => {
    const { throttle } = setup();
    const attempts = Array.from({ length: 20 }, () => throttle.attempt(marie));
    expect(attempts.filter((a) => a.allowed)).toHaveLength(5);
  });

  it('keeps at most maxKeys accounts and addresses, forgetting the least recently used', () => {
    const { throttle, failTimes, wait } = setup({ maxKeys: 100 });
    failTimes(marie, 5);
    for (let i = 0; i < 1000; i++) throttle.attempt({ address: `10.0.${i >> 8}.${i & 255}` });
    expect(throttle.size).toBe(100);
    expect(wait(marie)).toBe(0);
  });
});

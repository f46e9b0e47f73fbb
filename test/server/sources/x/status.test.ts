import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../../server/log.js';
import { redactor } from '../../../../server/redact.js';
import { UsageCapPause } from '../../../../server/sources/x/budget.js';
import { XApiError, type XErrorKind } from '../../../../server/sources/x/client.js';
import { X_WINDOW_MS, XRateLimits } from '../../../../server/sources/x/limits.js';
import { PAUSED_RECHECK_MS, worstOf, XStatus } from '../../../../server/sources/x/status.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { memoryState } from '../../../helpers/memory-state.js';

const NOW = Date.parse('2026-10-17T08:00:00Z');
const NOVEMBER = Date.parse('2026-11-01T00:00:00Z');
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAstatus-test-bearer-token';

function status() {
  const shared = memoryState();
  const log = memoryLogger();
  const limits = new XRateLimits(shared, new FakeClock(NOW));
  const pause = new UsageCapPause(shared);
  const s = new XStatus({ log, redact: redactor([TOKEN]), pause, limits, budget: 1000 });
  return { status: s, log, limits, pause };
}

const error = (kind: XErrorKind, message = 'X said no', status?: number) =>
  new XApiError(kind, message, 'search', status);

describe('XStatus.fail', () => {
  it('leaves outages to the engine’s backoff: no time of its own', () => {
    const { status: s } = status();
    const err = s.fail('unavailable', error('unavailable', 'HTTP 503'), NOW);
    expect([err.state, err.notBefore, s.state]).toEqual(['unavailable', undefined, 'unavailable']);
  });

  it('waits for the rate-limit reset, or a whole window when X named none', async () => {
    const { status: s, limits } = status();
    expect(s.fail('rate-limit', error('rate-limit'), NOW).notBefore).toBe(NOW + X_WINDOW_MS + 1000);
    await limits
      .call('search', new AbortController().signal, async () => ({
        body: 0,
        rateLimit: { limit: 1, remaining: 0, resetAt: NOW + 30 * 86_400_000 },
      }))
      .catch(() => undefined);
    expect(s.fail('rate-limit', error('rate-limit'), NOW).notBefore).toBe(NOW + 30 * 86_400_000 + 1000);
    expect(s.blocked(NOW + 60_000, NOW)).toMatchObject({ state: 'rate-limited', notBefore: NOW + 61_000 });
  });

  it('retries a misconfiguration every 15 minutes, with one log line and a hint until a poll succeeds', () => {
    const { status: s, log } = status();
    for (let i = 0; i < 3; i++) {
      const err = s.fail('auth', error('auth', 'HTTP 401: Unauthorized', 401), NOW);
      expect(err).toMatchObject({ state: 'misconfigured', notBefore: NOW + 15 * 60_000, reported: true });
    }
    expect(log.lines.filter((l) => l.includes('x.misconfigured'))).toHaveLength(1);
    expect(log.lines[0]).toContain('check X_BEARER_TOKEN');
    s.succeeded('ok');
    s.fail('bad-request', error('bad-request', 'Ambiguous use of or', 400), NOW);
    expect(log.lines.filter((l) => l.includes('x.misconfigured'))).toHaveLength(2);
    expect(log.lines[1]).toContain('check the feed accounts and hashtags');
  });

  it('pauses every X feed on the usage cap until the next month, waking hourly for a resume', () => {
    const { status: s, pause, log } = status();
    const err = s.fail('usage-cap', error('usage-cap', 'X usage cap reached (Monthly)', 429), NOW);
    expect(err).toMatchObject({ state: 'usage-capped', notBefore: NOW + PAUSED_RECHECK_MS, reported: true });
    expect(pause.current(NOW)?.until).toBe(NOVEMBER);
    s.fail('usage-cap', error('usage-cap'), NOW + 1);
    expect(log.lines.filter((l) => l.includes('x.usage-cap'))).toHaveLength(1);
    expect(s.paused(NOVEMBER, NOVEMBER - 60_000).notBefore).toBe(NOVEMBER);
  });

  it('waits for the budget, saying it once a month', () => {
    const { status: s, log } = status();
    expect(s.fail('budget', undefined, NOW)).toMatchObject({
      state: 'budget-exhausted',
      notBefore: NOW + PAUSED_RECHECK_MS,
    });
    s.fail('budget', undefined, NOW + 1);
    expect(log.lines.filter((l) => l.includes('x.budget.exhausted'))).toHaveLength(1);
  });

  it('hides the token in what it keeps, and keeps X’s words for operators only', () => {
    const { status: s } = status();
    s.fail('auth', error('auth', `bearer ${TOKEN.toLowerCase()} refused`), NOW);
    expect(s.lastError('operator')).toMatchObject({ kind: 'auth', message: 'bearer [redacted] refused' });
    expect(s.lastError('public')).toEqual({ at: new Date(NOW).toISOString(), kind: 'auth' });
  });

  it('reports the most serious failure of a poll', () => {
    expect(worstOf([error('unavailable'), error('usage-cap'), error('rate-limit')])!.kind).toBe('usage-cap');
    expect(worstOf([])).toBeUndefined();
  });
});

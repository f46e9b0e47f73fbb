import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../../server/log.js';
import { XApiError } from '../../../../server/sources/x/client.js';
import { ReadLedger } from '../../../../server/sources/x/ledger.js';
import { XRateLimits } from '../../../../server/sources/x/limits.js';
import { ComplianceRecheck, recheckDueAt, recheckPollBy } from '../../../../server/sources/x/recheck.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { memoryState } from '../../../helpers/memory-state.js';
import { stubClient } from './stub-client.js';

const NOW = Date.parse('2026-10-17T08:00:00Z');
const HOUR = 3_600_000;
const signal = new AbortController().signal;

function recheck(displayed: string[], answers: Parameters<typeof stubClient>[0] = {}, recheckMs = 24 * HOUR) {
  const clock = new FakeClock(NOW);
  const stub = stubClient(answers);
  const shared = memoryState();
  const state = memoryState();
  const check = new ComplianceRecheck({
    client: stub.client,
    limits: new XRateLimits(shared, clock),
    ledger: new ReadLedger(state, shared, clock),
    state,
    log: memoryLogger(),
    displayedIds: () => [...displayed],
    recheckMs,
  });
  return { check, stub, state, shared };
}

describe('when the compliance re-check is due', () => {
  it('is due at once the first time, then a little before recheckHours have passed', () => {
    expect(recheckDueAt(undefined, 24 * HOUR)).toBe(-Infinity);
    expect(recheckDueAt(NOW, 24 * HOUR)).toBe(NOW + 24 * HOUR - 60_000);
    expect(recheckDueAt(NOW, 0.1 * HOUR)).toBe(NOW + 0.1 * HOUR - 3_600);
  });

  it('asks to be polled by then, and soon when it is overdue', () => {
    expect(recheckPollBy(NOW, 6 * HOUR, NOW + HOUR)).toBe(NOW + 6 * HOUR - 60_000);
    expect(recheckPollBy(NOW - 25 * HOUR, 24 * HOUR, NOW)).toBe(NOW + 15 * 60_000);
    expect(recheckPollBy(undefined, 0.1 * HOUR, NOW)).toBe(NOW + 0.1 * HOUR);
  });
});

describe('ComplianceRecheck', () => {
  it('looks the displayed ids up 100 at a time, and removes those X no longer serves or withholds', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => String(1000 + i));
    const { check, stub } = recheck(ids, {
      lookup: [
        { data: ids.slice(0, 99).map((id) => ({ id, text: '' })) },
        {
          data: [...ids.slice(100, 149), '1149'].map((id) => ({
            id,
            text: '',
            withheld: id === '1149' ? { country_codes: ['FR'] } : undefined,
          })),
        },
      ],
    });
    const removals = await check.run(NOW, signal, []);
    expect(removals).toEqual(['1099', '1149']);
    expect(stub.callsTo('lookup').map((c) => (c.args as string[]).length)).toEqual([100, 50]);
    expect(check.lastAt).toBe(NOW);
    expect(check.pollBy(NOW)).toBe(NOW + 24 * HOUR - 60_000);
  });

  it('makes no call until it is due', async () => {
    const { check, stub, state } = recheck(['1'], { lookup: [{ data: [{ id: '1', text: '' }] }] });
    state.set('lastRecheckAt', NOW - 23 * HOUR);
    expect(await check.run(NOW, signal, [])).toBeUndefined();
    expect(await check.run(NOW + HOUR - 60_000, signal, [])).toEqual([]);
    expect(stub.calls).toHaveLength(1);
  });

  it('keeps what the first batches found when a later one fails, and tries again at the next poll', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(1000 + i));
    const failure = new XApiError('unavailable', 'HTTP 503', 'lookup', 503);
    const { check } = recheck(ids, { lookup: [{ data: [] }, failure] });
    const failures: XApiError[] = [];
    expect(await check.run(NOW, signal, failures)).toHaveLength(100);
    expect(failures).toEqual([failure]);
    expect(check.lastAt).toBeUndefined();
    expect(check.pollBy(NOW)).toBe(NOW + 15 * 60_000);
    expect(await check.run(NOW + 60_000, signal, [])).toEqual(ids);
  });

  it('waits for the look-up endpoint to be free of its rate limit', async () => {
    const { check, stub, shared } = recheck(['1']);
    shared.set('rateLimits', { lookup: { limit: 450, remaining: 0, resetAt: NOW + 60_000 } });
    expect(await check.run(NOW, signal, [])).toBeUndefined();
    expect(stub.calls).toEqual([]);
  });
});

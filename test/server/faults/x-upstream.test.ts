/**
 * Upstream faults of X against the real server over real HTTP: for each, the process stays up,
 * the last good posts are served flagged stale, the feed recovers with no operator, and nothing
 * committed is lost. The fault table (docs/reliability.md) points at these tests by name.
 */
import dns from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeFault } from '../../fake-x/fake-x-server.js';
import { startFaultServer, waitOn, type FaultServer } from './fault-server.js';

let h: FaultServer | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The part of /api/health these tests read: each source's last failure, the engine's and X's own. */
interface HealthBody {
  feeds: { lastError: Record<string, unknown> | null; details?: { lastError?: Record<string, unknown> | null } }[];
}

interface Case {
  name: string;
  fault: FakeFault;
  /** Fake time moved between checks while waiting for the failure, then for the recovery. */
  stepMs: number;
  /** Whether the fault clears by itself (a rate-limit reset) instead of by clearing the fake's faults. */
  selfClearing?: boolean;
  /** An outage of weeks: the post to catch up on is made when it ends. */
  longOutage?: boolean;
  /** Whether the failing calls reach the fake at all (not when the name does not resolve). */
  reachesX?: boolean;
  /** What the operator's log must say about the fault. */
  logSays?: RegExp;
  /** What the public /api/health must say about the fault (its answer's body). */
  healthSays?: (body: HealthBody) => void;
  onFault?: (h: FaultServer) => void;
  /** Runs once the fault is gone, before the post to catch up on is made. */
  onClear?: (h: FaultServer) => Promise<void> | void;
}

/**
 * Runs one fault: a good first poll, the fault on every call, then the fault gone. Returns the health
 * answer seen during the fault.
 */
async function survives(c: Case, start: Parameters<typeof startFaultServer>[0] = {}) {
  h = await startFaultServer(start);
  const first = h.post('Ouverture de la #FeteDuLivre ce matin');
  await waitOn(h, async () => expect(await h!.texts()).toEqual([first]), 1000);
  expect((await h.snapshot()).stale).toBe(false);

  h.x.fault('search/recent', c.fault, c.selfClearing ? 1 : 10_000);
  c.onFault?.(h);
  // Posted during the outage, unless it lasts longer than search/recent reaches back (7 days).
  let during = c.longOutage ? '' : h.post('Dédicaces à 15 h #FeteDuLivre');
  const callsBefore = h.x.callsTo('search/recent').length;
  await waitOn(
    h,
    async () => {
      if (c.reachesX !== false) expect(h!.x.callsTo('search/recent').length).toBeGreaterThan(callsBefore);
      expect((await h!.snapshot()).stale).toBe(true);
    },
    c.stepMs,
  );
  // The last good posts, flagged stale; the process answers everything else too.
  if (c.logSays) expect(h.log.lines.join('\n')).toMatch(c.logSays);
  const stale = await h.snapshot();
  expect(stale.posts.map((p) => p.text)).toEqual([first]);
  const health = await fetch(`${h.server.url}/api/health`);
  expect(health.status).toBe(200);
  c.healthSays?.((await health.json()) as HealthBody);

  h.x.clearFaults();
  await c.onClear?.(h);
  if (c.longOutage) during = h.post('Dédicaces à 15 h #FeteDuLivre');
  await waitOn(
    h,
    async () => {
      const now = await h!.snapshot();
      expect(now.stale).toBe(false);
      expect(now.posts.map((p) => p.text)).toEqual([during, first]);
    },
    c.stepMs,
  );
  return h;
}

const MINUTE = 60_000;

describe('X failing under a running server', () => {
  it('serves the last good posts when X answers 429 (rate limit), and reads again after the reset', async () => {
    await survives({
      name: '429',
      fault: { kind: 'rate-limit', resetInSeconds: 600 },
      stepMs: MINUTE,
      selfClearing: true,
    });
  });
  it('serves the last good posts when X answers 429 (usage cap), and reads again the next month', async () => {
    await survives({
      name: 'usage-cap',
      fault: { kind: 'usage-cap' },
      stepMs: 60 * MINUTE,
      longOutage: true,
      // The cap is monthly: the feed reads again at the start of the next UTC month, by itself.
      onClear: (h) => h.clock.advance(Date.parse('2026-11-01T00:00:00Z') - h.clock.now()),
    });
  });
  it('serves the last good posts when X answers 401, and reads again once the token works', async () => {
    await survives({ name: '401', fault: { kind: 'unauthorized' }, stepMs: 5 * MINUTE });
  });
  it('serves the last good posts when X answers 403, and reads again once access is back', async () => {
    await survives({ name: '403', fault: { kind: 'forbidden' }, stepMs: 5 * MINUTE });
  });
  it('serves the last good posts when X answers 500', async () => {
    await survives({ name: '500', fault: { kind: 'unavailable', status: 500 }, stepMs: MINUTE });
  });
  it('serves the last good posts when X answers 503', async () => {
    await survives({ name: '503', fault: { kind: 'unavailable', status: 503 }, stepMs: MINUTE });
  });
  it('serves the last good posts when X never answers (poll timeout)', async () => {
    await survives({ name: 'timeout', fault: { kind: 'delay', ms: 3_600_000 }, stepMs: MINUTE });
  });
  it('serves the last good posts when X cuts the connection (reset)', async () => {
    await survives({ name: 'reset', fault: { kind: 'reset' }, stepMs: MINUTE });
  });
  it('serves the last good posts when X sends truncated JSON', async () => {
    await survives({ name: 'truncated', fault: { kind: 'malformed' }, stepMs: MINUTE });
  });
  it('serves the last good posts when X sends garbage instead of JSON', async () => {
    await survives({ name: 'garbage', fault: { kind: 'garbage' }, stepMs: MINUTE });
  });
  it('serves the last good posts when X drips its answer one byte at a time', async () => {
    await survives({ name: 'drip', fault: { kind: 'drip', everyMs: 200 }, stepMs: MINUTE });
  });
  it('serves the last good posts when X stops sending mid-answer without closing', async () => {
    await survives({ name: 'stall', fault: { kind: 'stall' }, stepMs: MINUTE });
  });
  it('serves the last good posts when the name of X does not resolve (DNS failure)', async () => {
    const lookup = dns.lookup;
    let failing = false;
    // The resolver this process uses: a name that fails while `failing`, then resolves to the fake.
    const patched = ((host: string, options: unknown, callback: unknown) => {
      const done = (typeof options === 'function' ? options : callback) as (...a: unknown[]) => void;
      const opts = typeof options === 'function' ? {} : (options as dns.LookupOptions);
      if (host !== 'api.x.fault.test') return (lookup as (...a: unknown[]) => void)(host, options, callback);
      if (failing) return done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
      return opts.all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4);
    }) as typeof dns.lookup;
    dns.lookup = patched;
    try {
      await survives(
        {
          name: 'dns',
          reachesX: false,
          // A reason code and the name that failed, in the log and in health, as for the other faults.
          logSays: /reason=dns.*the name api\.x\.fault\.test does not resolve \(DNS ENOTFOUND\)/,
          healthSays: (body) => {
            expect(body.feeds[0]!.lastError).toMatchObject({ state: 'unavailable', reason: 'dns' });
            expect(body.feeds[0]!.details!.lastError).toMatchObject({ kind: 'unavailable', reason: 'dns' });
          },
          fault: { kind: 'empty' },
          stepMs: MINUTE,
          onFault: (h) => {
            failing = true;
            h.x.dropConnections();
          },
          onClear: () => {
            failing = false;
          },
        },
        { hostName: 'api.x.fault.test' },
      );
    } finally {
      dns.lookup = lookup;
    }
  });
});

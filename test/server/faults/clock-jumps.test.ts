/**
 * The wall clock jumping (an NTP correction, a board without a battery-backed clock) under the
 * real server: timers keep their monotonic pace, so X is neither hammered nor forgotten, the wall
 * stays served and fresh, and nothing recent is swept away as old.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fake-clock.js';
import { startFaultServer, waitOn, type FaultServer } from './fault-server.js';

/** A fake clock whose wall time (`now`) can jump while its timers keep monotonic time, as Node's do. */
class JumpingClock extends FakeClock {
  offset = 0;
  /** Monotonic time: what the timers and the rest of the world (X) follow. */
  trueNow(): number {
    return super.now();
  }
  override now(): number {
    return super.now() + this.offset;
  }
}

let h: FaultServer | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MINUTE = 60_000;

async function jump(offsetMs: number) {
  const clock = new JumpingClock(Date.parse('2026-10-10T10:00:00Z'));
  h = await startFaultServer({ clock, xNow: () => clock.trueNow() });
  const first = h.post('Ouverture de la #FeteDuLivre ce matin');
  await waitOn(h, async () => expect(await h!.texts()).toEqual([first]), 1000);

  clock.offset = offsetMs;
  const calls = h.x.calls.length;
  const during = h.post('Dédicaces à 15 h #FeteDuLivre');
  await waitOn(
    h,
    async () => {
      const snapshot = await h!.snapshot();
      expect(snapshot.posts.map((p) => p.text)).toEqual([during, first]);
      expect(snapshot.stale).toBe(false);
    },
    MINUTE,
  );
  // One slow interval (15 minutes) of true time later, at the pace of the timers: two polls at most.
  const elapsed = clock.trueNow();
  await clock.advance(30 * MINUTE);
  expect(h.x.calls.length - calls).toBeLessThanOrEqual(4);
  expect(clock.trueNow() - elapsed).toBe(30 * MINUTE);
  expect((await h.snapshot()).stale).toBe(false);
  expect(await h.texts()).toEqual([during, first]);
}

describe('the wall clock jumping under a running server', () => {
  it('keeps polling at its pace and stays fresh when the clock jumps two hours forwards', async () => {
    await jump(2 * 60 * MINUTE);
  });
  it('keeps polling at its pace and stays fresh when the clock jumps two hours backwards', async () => {
    await jump(-2 * 60 * MINUTE);
  });
  it('keeps its recent posts when the clock jumps a year forwards for an hour, skipping that sweep', async () => {
    await jump(0);
    const clock = h!.clock as JumpingClock;
    clock.offset = 365 * 24 * 60 * MINUTE;
    await clock.advance(61 * MINUTE);
    clock.offset = 0;
    await clock.advance(61 * MINUTE);
    expect((await h!.snapshot()).posts.length).toBe(2);
    expect(h!.log.lines.join('\n')).toMatch(/store\.prune_skipped/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../server/log.js';
import { scheduleRetention } from '../../../server/store/retention-schedule.js';
import { Store } from '../../../server/store/store.js';
import { tempDir } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { holdDatabase } from '../../helpers/hold-database.js';

const HOUR = 3_600_000;
const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((f) => f()),
);

describe('the retention sweep', () => {
  it('says so and sweeps again at the next time when a sweep cannot be stored (the database busy)', async () => {
    const store = new Store({ location: tempDir() });
    cleanups.push(() => store.close());
    const clock = new FakeClock();
    const log = memoryLogger();
    const swept: number[] = [];
    const sweep = () => {
      store.prune([], clock.now(), clock.now());
      swept.push(clock.now());
    };
    const schedule = scheduleRetention(clock, HOUR, sweep, log);
    cleanups.push(() => schedule.stop());

    const other = holdDatabase(store.file);
    try {
      await clock.advance(HOUR);
    } finally {
      other.release();
    }
    expect(swept).toEqual([]);
    expect(log.lines.join('\n')).toMatch(/store\.prune_failed.*database is locked/);

    await clock.advance(HOUR);
    expect(swept).toEqual([clock.now()]);
  });
});

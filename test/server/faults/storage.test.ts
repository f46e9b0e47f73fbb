/**
 * Storage faults while the real server runs: SQLite busy, a read-only and a full database. Each time
 * the polls that cannot be written fail as a whole (nothing half-written), the wall keeps its last
 * posts flagged stale, and the feed catches up by itself once the disk is writable again.
 */
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../server/store/store.js';
import { holdDatabase } from '../../helpers/hold-database.js';
import { startFaultServer, waitOn, type FaultServer } from './fault-server.js';

let h: FaultServer | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MINUTE = 60_000;

/**
 * The longest the event loop may stay blocked while storage fails (ns): a generous bound on
 * behaviour, not a speed target. A write waiting out a long busy timeout freezes every visitor.
 */
const MAX_LOOP_BLOCK_NS = 1_000_000_000;

/** A first good poll, then `breakIt` while a new post waits on X, then `repair`: the post arrives. */
async function survivesStorage(
  breakIt: (h: FaultServer) => void,
  repair: (h: FaultServer) => void,
  logSays: RegExp,
  long = false,
) {
  h = await startFaultServer();
  const first = h.post('Ouverture de la #FeteDuLivre ce matin');
  await waitOn(h, async () => expect(await h!.texts()).toEqual([first]), 1000);

  const loop = monitorEventLoopDelay({ resolution: 10 });
  breakIt(h);
  loop.enable();
  const during = h.post(
    long
      ? `Programme #FeteDuLivre ${'Lecture publique à la médiathèque. '.repeat(120).trim()}`
      : 'Dédicaces à 15 h #FeteDuLivre',
    long,
  );
  await waitOn(h, async () => expect((await h!.snapshot()).stale).toBe(true), MINUTE, 40_000);
  expect(h.log.lines.join('\n')).toMatch(logSays);
  // Viewers are answered while polls keep failing to store: a snapshot asked as a poll comes due.
  for (let i = 0; i < 3; i++) {
    const [texts] = await Promise.all([h.texts(), h.clock.advance(MINUTE)]);
    expect(texts).toEqual([first]);
  }
  expect((await fetch(`${h.server.url}/api/health`)).status).toBe(200);
  loop.disable();
  expect(loop.max).toBeLessThan(MAX_LOOP_BLOCK_NS);

  repair(h);
  await waitOn(
    h,
    async () => {
      const snapshot = await h!.snapshot();
      expect(snapshot.stale).toBe(false);
      expect(snapshot.posts.map((p) => p.text)).toEqual([during, first]);
    },
    MINUTE,
    40_000,
  );
  // Written for good: a fresh connection to the file reads both posts.
  const db = new Database(path.join(h.dataDir, DB_FILE), { readonly: true });
  try {
    const count = db.prepare('SELECT count(*) AS n FROM posts').get() as { n: number };
    expect(count.n).toBe(2);
  } finally {
    db.close();
  }
}

describe('the database failing under a running server', () => {
  it('serves the last good posts while another process holds SQLite busy past the busy timeout', async () => {
    let other: ReturnType<typeof holdDatabase> | undefined;
    await survivesStorage(
      (h) => {
        other = holdDatabase(path.join(h.dataDir, DB_FILE));
      },
      () => other!.release(),
      /database is locked/,
    );
    // Long bounds only so that a regression fails on the event loop's assertion, not on a timeout.
  }, 120_000);

  it('serves the last good posts while the database is read-only, and catches up once writable', async () => {
    await survivesStorage(
      (h) => h.server.store.db.pragma('query_only = ON'),
      (h) => h.server.store.db.pragma('query_only = OFF'),
      /readonly|read-only|query_only/i,
    );
  });

  it('serves the last good posts while the disk is full, and catches up once there is room', async () => {
    let limit = 0;
    await survivesStorage(
      (h) => {
        const db = h.server.store.db;
        db.pragma('wal_checkpoint(TRUNCATE)');
        limit = db.pragma('max_page_count', { simple: true }) as number;
        // No page more than the file has now, and every free page taken: the next write fails with SQLITE_FULL.
        db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 4}`);
        db.exec('CREATE TABLE IF NOT EXISTS disk_filler (b BLOB)');
        const fill = db.prepare('INSERT INTO disk_filler VALUES (randomblob(512))');
        expect(() => {
          for (;;) fill.run();
        }).toThrow(/full/);
      },
      (h) => h.server.store.db.pragma(`max_page_count = ${limit}`),
      /database or disk is full/,
      true,
    );
  });
});

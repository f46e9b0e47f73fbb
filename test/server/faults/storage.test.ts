/**
 * Storage faults while the real server runs: SQLite busy, a read-only and a full database. Each time
 * the polls that cannot be written fail as a whole (nothing half-written), the wall keeps its last
 * posts flagged stale, and the feed catches up by itself once the disk is writable again.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../server/store/store.js';
import { startFaultServer, waitOn, type FaultServer } from './fault-server.js';

let h: FaultServer | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MINUTE = 60_000;

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

  breakIt(h);
  const during = h.post(
    long
      ? `Programme #FeteDuLivre ${'Lecture publique à la médiathèque. '.repeat(120).trim()}`
      : 'Dédicaces à 15 h #FeteDuLivre',
    long,
  );
  // Generous real-time bounds: each write to a busy database blocks for its 5 s busy timeout.
  await waitOn(h, async () => expect((await h!.snapshot()).stale).toBe(true), MINUTE, 40_000);
  expect(await h.texts()).toEqual([first]);
  expect(h.log.lines.join('\n')).toMatch(logSays);
  expect((await fetch(`${h.server.url}/api/health`)).status).toBe(200);

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
    let other: Database.Database | undefined;
    await survivesStorage(
      (h) => {
        // Another writer on the file (a backup tool, `npm run admin`) holding its write lock.
        other = new Database(path.join(h.dataDir, DB_FILE));
        other.pragma('busy_timeout = 0');
        other.exec('BEGIN IMMEDIATE');
      },
      () => {
        other!.exec('ROLLBACK');
        other!.close();
      },
      /database is locked/,
    );
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

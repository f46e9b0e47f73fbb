/** Per-feed revisions (the SSE event ids), last success and last change: the `feeds` table. */
import type Database from 'better-sqlite3';

export interface FeedRecord {
  revision: number;
  lastSuccessMs: number | null;
  lastChangeMs: number | null;
}

export class Revisions {
  readonly #stmt;

  constructor(db: Database.Database) {
    this.#stmt = {
      ensure: db.prepare('INSERT OR IGNORE INTO feeds (id) VALUES (?)'),
      get: db.prepare(
        'SELECT revision, last_success_ms AS lastSuccessMs, last_change_ms AS lastChangeMs FROM feeds WHERE id = ?',
      ),
      bump: db.prepare('UPDATE feeds SET revision = revision + 1, last_change_ms = ? WHERE id = ? RETURNING revision'),
      success: db.prepare('UPDATE feeds SET last_success_ms = ? WHERE id = ?'),
    };
  }

  get(feedId: string): FeedRecord {
    this.#stmt.ensure.run(feedId);
    return this.#stmt.get.get(feedId) as FeedRecord;
  }

  /** The feed's next revision, for one public change. */
  bump(feedId: string, nowMs: number): number {
    this.#stmt.ensure.run(feedId);
    return (this.#stmt.bump.get(nowMs, feedId) as { revision: number }).revision;
  }

  success(feedId: string, nowMs: number): void {
    this.#stmt.ensure.run(feedId);
    this.#stmt.success.run(nowMs, feedId);
  }
}

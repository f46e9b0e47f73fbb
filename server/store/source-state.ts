/** Persistent key/value state of sources (ids resolved, rate limits, counters), per scope. */
import type Database from 'better-sqlite3';
import type { RowReader } from './rows.js';

/** Persistent key/value state of one source of one feed (ids resolved, rate limits, counters). */
export interface SourceState {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

export class SourceStates {
  readonly #states = new Map<string, SourceState>();
  readonly #rows: RowReader;
  readonly #stmt;

  constructor(db: Database.Database, rows: RowReader) {
    this.#rows = rows;
    this.#stmt = {
      all: db.prepare('SELECT key, value FROM source_state WHERE scope = ?'),
      set: db.prepare(
        `INSERT INTO source_state (scope, key, value) VALUES (?, ?, ?)
         ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value`,
      ),
      delete: db.prepare('DELETE FROM source_state WHERE scope = ? AND key = ?'),
    };
  }

  /**
   * The state of a scope ("saint-etienne:x", or "x" for state shared by all feeds). Reads come
   * from memory; writes go through. One instance per scope, so every holder sees every write.
   */
  of(scope: string): SourceState {
    let state = this.#states.get(scope);
    if (!state) {
      state = this.#load(scope);
      this.#states.set(scope, state);
    }
    return state;
  }

  #load(scope: string): SourceState {
    const cache = new Map<string, unknown>();
    for (const row of this.#stmt.all.all(scope) as { key: string; value: string }[]) {
      const value = this.#rows.read(row.value, { scope, key: row.key });
      if (value !== undefined) cache.set(row.key, value);
    }
    return {
      get: <T>(key: string) => cache.get(key) as T | undefined,
      set: (key: string, value: unknown) => {
        if (value === undefined) {
          cache.delete(key);
          this.#stmt.delete.run(scope, key);
        } else {
          cache.set(key, structuredClone(value));
          this.#stmt.set.run(scope, key, JSON.stringify(value));
        }
      },
    };
  }
}

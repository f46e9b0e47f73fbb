/** Urgent alerts per feed: at most one in force; raised, withdrawn, or ended by their expiry. */
import type Database from 'better-sqlite3';
import type { Alert } from '../contract.js';

export interface AlertRecord {
  alert: Alert;
  feedId: string;
  createdBy: string;
  expiresMs: number | null;
}

interface AlertRow {
  id: string;
  feed_id: string;
  text: string;
  lang: string | null;
  created_ms: number;
  expires_ms: number | null;
  created_by: string;
}

function toRecord(row: AlertRow): AlertRecord {
  const alert: Alert = { id: row.id, text: row.text, createdAt: new Date(row.created_ms).toISOString() };
  if (row.expires_ms !== null) alert.expiresAt = new Date(row.expires_ms).toISOString();
  if (row.lang) alert.lang = row.lang;
  return { alert, feedId: row.feed_id, createdBy: row.created_by, expiresMs: row.expires_ms };
}

export class Alerts {
  readonly #stmt;

  constructor(db: Database.Database) {
    const columns = 'id, feed_id, text, lang, created_ms, expires_ms, created_by';
    this.#stmt = {
      current: db.prepare(
        `SELECT ${columns} FROM alerts WHERE feed_id = ? AND withdrawn_ms IS NULL ORDER BY created_ms DESC LIMIT 1`,
      ),
      insert: db.prepare(
        'INSERT INTO alerts (id, feed_id, text, lang, created_ms, expires_ms, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      withdraw: db.prepare(
        'UPDATE alerts SET withdrawn_ms = ?, withdrawn_by = ? WHERE feed_id = ? AND withdrawn_ms IS NULL',
      ),
    };
  }

  /** The alert in force (not withdrawn nor ended by its expiry), or null. */
  current(feedId: string): AlertRecord | null {
    const row = this.#stmt.current.get(feedId) as AlertRow | undefined;
    return row ? toRecord(row) : null;
  }

  insert(feedId: string, alert: Alert, createdBy: string): void {
    this.#stmt.insert.run(
      alert.id,
      feedId,
      alert.text,
      alert.lang ?? null,
      Date.parse(alert.createdAt),
      alert.expiresAt === undefined ? null : Date.parse(alert.expiresAt),
      createdBy,
    );
  }

  /** Ends the alert in force, if any (`by`: who, or "expiry"); true when there was one. */
  end(feedId: string, nowMs: number, by: string): boolean {
    return this.#stmt.withdraw.run(nowMs, by, feedId).changes > 0;
  }
}

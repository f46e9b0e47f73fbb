/** The audit log: who did what, when and why, on which feed; each entry may be undone once. */
import type Database from 'better-sqlite3';

export interface AuditRecord {
  id: number;
  feedId: string;
  atMs: number;
  actor: string;
  action: string;
  postId: string | null;
  reason: string | null;
  summary: string;
  /** The state before and after, as the action's owner wrote them (JSON values). */
  before: unknown;
  after: unknown;
  /** The audit id of the entry that undid this one. */
  undoneBy: number | null;
}

export type NewAuditRecord = Omit<AuditRecord, 'id' | 'undoneBy'>;

interface AuditRow {
  id: number;
  feed_id: string;
  at_ms: number;
  actor: string;
  action: string;
  post_id: string | null;
  reason: string | null;
  summary: string;
  before: string | null;
  after: string | null;
  undone_by: number | null;
}

function parse(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    feedId: row.feed_id,
    atMs: row.at_ms,
    actor: row.actor,
    action: row.action,
    postId: row.post_id,
    reason: row.reason,
    summary: row.summary,
    before: parse(row.before),
    after: parse(row.after),
    undoneBy: row.undone_by,
  };
}

export class AuditLog {
  readonly #stmt;

  constructor(db: Database.Database) {
    const columns = 'id, feed_id, at_ms, actor, action, post_id, reason, summary, before, after, undone_by';
    this.#stmt = {
      append: db.prepare(
        `INSERT INTO audit_log (feed_id, at_ms, actor, action, post_id, reason, summary, before, after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      get: db.prepare(`SELECT ${columns} FROM audit_log WHERE feed_id = ? AND id = ?`),
      list: db.prepare(`SELECT ${columns} FROM audit_log WHERE feed_id = ? AND id < ? ORDER BY id DESC LIMIT ?`),
      undone: db.prepare('UPDATE audit_log SET undone_by = ? WHERE id = ?'),
    };
  }

  /** Writes an entry; returns its id. */
  append(entry: NewAuditRecord): number {
    const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
    return (
      this.#stmt.append.get(
        entry.feedId,
        entry.atMs,
        entry.actor,
        entry.action,
        entry.postId,
        entry.reason,
        entry.summary,
        json(entry.before),
        json(entry.after),
      ) as { id: number }
    ).id;
  }

  get(feedId: string, id: number): AuditRecord | undefined {
    const row = this.#stmt.get.get(feedId, id) as AuditRow | undefined;
    return row && toRecord(row);
  }

  /** Newest first, entries older than `before` (an id) when given. */
  list(feedId: string, before: number | undefined, limit: number): AuditRecord[] {
    return (this.#stmt.list.all(feedId, before ?? Number.MAX_SAFE_INTEGER, limit) as AuditRow[]).map(toRecord);
  }

  markUndone(id: number, undoneBy: number): void {
    this.#stmt.undone.run(undoneBy, id);
  }
}

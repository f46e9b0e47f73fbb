/** The organisers' current decision per post (the `moderation` table): survives restarts and re-polls. */
import type Database from 'better-sqlite3';
import type { DecisionState } from './types.js';

interface DecisionRow {
  decision: 'approved' | 'hidden' | null;
  pinned_ms: number | null;
  decided_by: string;
  decided_ms: number;
  reason: string | null;
}

export function decisionOf(row: DecisionRow | undefined): DecisionState | null {
  if (!row) return null;
  return {
    decision: row.decision,
    pinnedMs: row.pinned_ms,
    decidedBy: row.decided_by,
    decidedMs: row.decided_ms,
    reason: row.reason,
  };
}

export class Decisions {
  readonly #stmt;

  constructor(db: Database.Database) {
    this.#stmt = {
      get: db.prepare(
        'SELECT decision, pinned_ms, decided_by, decided_ms, reason FROM moderation WHERE feed_id = ? AND post_id = ?',
      ),
      put: db.prepare(
        `INSERT INTO moderation (feed_id, post_id, decision, pinned_ms, decided_by, decided_ms, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (feed_id, post_id) DO UPDATE SET decision = excluded.decision, pinned_ms = excluded.pinned_ms,
           decided_by = excluded.decided_by, decided_ms = excluded.decided_ms, reason = excluded.reason`,
      ),
      delete: db.prepare('DELETE FROM moderation WHERE feed_id = ? AND post_id = ?'),
      // A decision outlives its post while the post could still come back (X's search reaches 7 days back).
      prune: db.prepare(
        `DELETE FROM moderation WHERE decided_ms < ? AND NOT EXISTS
           (SELECT 1 FROM posts WHERE posts.feed_id = moderation.feed_id AND posts.id = moderation.post_id)`,
      ),
    };
  }

  get(feedId: string, postId: string): DecisionState | null {
    return decisionOf(this.#stmt.get.get(feedId, postId) as DecisionRow | undefined);
  }

  /** Writes the decision; one with neither a decision nor a pin is deleted. */
  put(feedId: string, postId: string, state: DecisionState | null): void {
    if (!state || (state.decision === null && state.pinnedMs === null)) {
      this.#stmt.delete.run(feedId, postId);
      return;
    }
    this.#stmt.put.run(feedId, postId, state.decision, state.pinnedMs, state.decidedBy, state.decidedMs, state.reason);
  }

  /** Forgets decisions made before `beforeMs` on posts no longer stored. */
  prune(beforeMs: number): void {
    this.#stmt.prune.run(beforeMs);
  }
}

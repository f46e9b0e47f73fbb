/** The prepared statements of the posts table (`Posts`): the wall's order, the queue's pages, expiry. */
import type Database from 'better-sqlite3';
import { POST_ORDER_SQL } from '../post-order.js';
import { POST_ROW_SQL } from './post-rows.js';

/** The statements by name. */
export type PostStatements = Record<PostStatementName, Database.Statement>;
type PostStatementName =
  | 'one'
  | 'all'
  | 'between'
  | 'upsert'
  | 'delete'
  | 'isRemoved'
  | 'tombstone'
  | 'public'
  | 'announcements'
  | 'counts'
  | 'shownIds'
  | 'displayed'
  | 'queue'
  | 'refersTo'
  | 'createdMs'
  | 'old'
  | 'pruneTombstones'
  | 'nextExpiry'
  | 'due';

export function postStatements(db: Database.Database): PostStatements {
  return {
    one: db.prepare(`${POST_ROW_SQL} WHERE p.feed_id = ? AND p.id = ?`),
    all: db.prepare(`${POST_ROW_SQL} WHERE p.feed_id = ?`),
    between: db.prepare(`${POST_ROW_SQL} WHERE p.feed_id = ? AND p.created_ms BETWEEN ? AND ?`),
    upsert: db.prepare(
      `INSERT INTO posts (feed_id, id, source, created_ms, body, revision, stored_ms, visibility, reason, pinned_ms,
         expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (feed_id, id) DO UPDATE SET source = excluded.source, created_ms = excluded.created_ms,
         body = excluded.body, revision = excluded.revision, stored_ms = excluded.stored_ms,
         visibility = excluded.visibility, reason = excluded.reason, pinned_ms = excluded.pinned_ms,
         expires_ms = excluded.expires_ms`,
    ),
    delete: db.prepare('DELETE FROM posts WHERE feed_id = ? AND id = ?'),
    isRemoved: db.prepare('SELECT 1 FROM removed_posts WHERE feed_id = ? AND id = ?').pluck(),
    tombstone: db.prepare('INSERT OR REPLACE INTO removed_posts (feed_id, id, removed_ms, reason) VALUES (?, ?, ?, ?)'),
    public: db.prepare(
      `SELECT id, body, pinned_ms, reason FROM posts WHERE feed_id = ? AND visibility = 'shown'
       ORDER BY ${POST_ORDER_SQL} LIMIT ?`,
    ),
    announcements: db.prepare(
      `SELECT id, body, pinned_ms, reason FROM posts WHERE feed_id = ? AND source = 'organisers'
       AND visibility = 'shown' ORDER BY ${POST_ORDER_SQL}`,
    ),
    counts: db.prepare('SELECT visibility, COUNT(*) AS n FROM posts WHERE feed_id = ? GROUP BY visibility'),
    shownIds: db
      .prepare(
        `SELECT id FROM (SELECT id, source FROM posts WHERE feed_id = ? AND visibility = 'shown'
           ORDER BY ${POST_ORDER_SQL} LIMIT ?) WHERE source LIKE ?`,
      )
      .pluck(),
    displayed: db
      .prepare(
        `SELECT id FROM posts WHERE feed_id = ? AND source LIKE ? AND visibility IN ('shown', 'held')
         ORDER BY created_ms DESC, length(id) DESC, id DESC LIMIT ?`,
      )
      .pluck(),
    queue: db.prepare(
      `${POST_ROW_SQL} WHERE p.feed_id = ? AND (p.created_ms < ? OR (p.created_ms = ? AND (length(p.id) < ?
         OR (length(p.id) = ? AND p.id < ?))))
       ORDER BY p.created_ms DESC, length(p.id) DESC, p.id DESC LIMIT ?`,
    ),
    refersTo: db.prepare('SELECT 1 FROM posts WHERE instr(body, ?) > 0 LIMIT 1').pluck(),
    createdMs: db.prepare('SELECT created_ms FROM posts WHERE feed_id = ? AND id = ?').pluck(),
    old: db.prepare('SELECT id FROM posts WHERE feed_id = ? AND created_ms < ?').pluck(),
    pruneTombstones: db.prepare('DELETE FROM removed_posts WHERE removed_ms < ?'),
    nextExpiry: db
      .prepare(
        "SELECT MIN(expires_ms) FROM posts WHERE feed_id = ? AND visibility = 'shown' AND expires_ms IS NOT NULL",
      )
      .pluck(),
    due: db.prepare("SELECT id FROM posts WHERE feed_id = ? AND visibility = 'shown' AND expires_ms <= ?").pluck(),
  };
}

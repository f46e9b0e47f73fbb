/**
 * The store: one SQLite file (WAL) holding posts, per-feed revisions and cursors,
 * source state and moderation decisions. Every poll is applied in one
 * transaction, so a crash loses nothing committed and leaves nothing half-written.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Post } from '../contract.js';
import type { Logger } from '../log.js';
import type { SourceState } from '../sources/source.js';
import { lockDataFolder, type DataFolderLock } from './data-folder.js';
import { openDatabase } from './open-database.js';

/** A change applied to a feed, with the revision it produced (used as the SSE event id). */
export type FeedChange =
  { kind: 'post'; revision: number; post: Post } | { kind: 'remove'; revision: number; id: string };

export interface PollWrite {
  posts: Post[];
  removals: string[];
  cursor: string | null;
}

export interface FeedRecord {
  revision: number;
  lastSuccessMs: number | null;
  lastChangeMs: number | null;
}

export interface StoreOptions {
  /** A directory (the file is `commune-feed.db` inside, locked for this process) or `:memory:`. */
  location: string;
  /** Where rows that cannot be read are reported. */
  log?: Logger;
}

export interface StoreHealth {
  /** Stored rows skipped because they cannot be read (invalid JSON). */
  skippedRows: number;
}

export const DB_FILE = 'commune-feed.db';

export class Store {
  readonly db: Database.Database;
  readonly file: string;
  readonly #stmt;
  readonly #states = new Map<string, SourceState>();
  readonly #lock: DataFolderLock | undefined;
  readonly #log: Logger | undefined;
  /** Rows skipped as unreadable, by table and key: each is logged once. */
  readonly #skipped = new Set<string>();

  constructor({ location, log }: StoreOptions) {
    this.#log = log;
    if (location === ':memory:') {
      this.file = ':memory:';
      this.db = openDatabase(this.file);
    } else {
      // The lock comes first: a second process must not even open the file.
      this.#lock = lockDataFolder(location);
      this.file = path.join(location, DB_FILE);
      try {
        this.db = openDatabase(this.file, location);
      } catch (err) {
        this.#lock.release();
        throw err;
      }
    }
    const db = this.db;
    this.#stmt = {
      ensureFeed: db.prepare('INSERT OR IGNORE INTO feeds (id) VALUES (?)'),
      feed: db.prepare(
        'SELECT revision, last_success_ms AS lastSuccessMs, last_change_ms AS lastChangeMs FROM feeds WHERE id = ?',
      ),
      bumpRevision: db.prepare(
        'UPDATE feeds SET revision = revision + 1, last_change_ms = ? WHERE id = ? RETURNING revision',
      ),
      success: db.prepare('UPDATE feeds SET last_success_ms = ? WHERE id = ?'),
      postBody: db.prepare('SELECT body FROM posts WHERE feed_id = ? AND id = ?').pluck(),
      upsertPost: db.prepare(
        `INSERT INTO posts (feed_id, id, source, created_ms, body, revision, stored_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (feed_id, id) DO UPDATE SET source = excluded.source, created_ms = excluded.created_ms,
           body = excluded.body, revision = excluded.revision, stored_ms = excluded.stored_ms`,
      ),
      deletePost: db.prepare('DELETE FROM posts WHERE feed_id = ? AND id = ?'),
      isRemoved: db.prepare('SELECT 1 FROM removed_posts WHERE feed_id = ? AND id = ?').pluck(),
      tombstone: db.prepare(
        'INSERT OR REPLACE INTO removed_posts (feed_id, id, removed_ms, reason) VALUES (?, ?, ?, ?)',
      ),
      recent: db.prepare('SELECT id, body FROM posts WHERE feed_id = ? ORDER BY created_ms DESC, id DESC LIMIT ?'),
      ids: db.prepare('SELECT id FROM posts WHERE feed_id = ? ORDER BY created_ms DESC LIMIT ?').pluck(),
      getCursor: db.prepare('SELECT cursor FROM cursors WHERE feed_id = ? AND source = ?').pluck(),
      setCursor: db.prepare(
        `INSERT INTO cursors (feed_id, source, cursor, updated_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (feed_id, source) DO UPDATE SET cursor = excluded.cursor, updated_ms = excluded.updated_ms`,
      ),
      stateAll: db.prepare('SELECT key, value FROM source_state WHERE scope = ?'),
      stateSet: db.prepare(
        `INSERT INTO source_state (scope, key, value) VALUES (?, ?, ?)
         ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value`,
      ),
      stateDelete: db.prepare('DELETE FROM source_state WHERE scope = ? AND key = ?'),
      pruneFeed: db.prepare('SELECT id FROM posts WHERE feed_id = ? AND created_ms < ?').pluck(),
      pruneTombstones: db.prepare('DELETE FROM removed_posts WHERE removed_ms < ?'),
    };
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  feed(feedId: string): FeedRecord {
    this.#stmt.ensureFeed.run(feedId);
    return this.#stmt.feed.get(feedId) as FeedRecord;
  }

  /**
   * Applies one poll in a single transaction: upserts the posts that are new
   * or changed (unchanged ones produce no change), deletes removals and
   * remembers them so they are never shown again, records the cursor and the
   * success time. Returns the changes, each with its own revision.
   */
  applyPoll(feedId: string, source: string, write: PollWrite, nowMs: number): FeedChange[] {
    return this.db.transaction((): FeedChange[] => {
      this.#stmt.ensureFeed.run(feedId);
      const changes: FeedChange[] = [];
      for (const id of write.removals) {
        changes.push(...this.#remove(feedId, id, 'source', nowMs));
      }
      for (const post of write.posts) {
        if (this.#stmt.isRemoved.get(feedId, post.id)) continue;
        const body = JSON.stringify(post);
        if (this.#stmt.postBody.get(feedId, post.id) === body) continue;
        const revision = this.#bump(feedId, nowMs);
        const createdMs = Date.parse(post.createdAt);
        this.#stmt.upsertPost.run(
          feedId,
          post.id,
          post.source,
          Number.isNaN(createdMs) ? nowMs : createdMs,
          body,
          revision,
          nowMs,
        );
        changes.push({ kind: 'post', revision, post });
      }
      this.#stmt.setCursor.run(feedId, source, write.cursor, nowMs);
      this.#stmt.success.run(nowMs, feedId);
      return changes;
    })();
  }

  /** Removes a post (moderation, compliance); returns the change if it was stored. */
  removePost(feedId: string, id: string, reason: string, nowMs: number): FeedChange[] {
    return this.db.transaction(() => this.#remove(feedId, id, reason, nowMs))();
  }

  #remove(feedId: string, id: string, reason: string, nowMs: number): FeedChange[] {
    this.#stmt.tombstone.run(feedId, id, nowMs, reason);
    if (this.#stmt.deletePost.run(feedId, id).changes === 0) return [];
    return [{ kind: 'remove', revision: this.#bump(feedId, nowMs), id }];
  }

  #bump(feedId: string, nowMs: number): number {
    return (this.#stmt.bumpRevision.get(nowMs, feedId) as { revision: number }).revision;
  }

  /** The newest posts of a feed, newest first; a row that cannot be read is skipped, not fatal. */
  recentPosts(feedId: string, limit: number): Post[] {
    const posts: Post[] = [];
    for (const row of this.#stmt.recent.all(feedId, limit) as { id: string; body: string }[]) {
      const post = this.#read(row.body, { feed: feedId, post: row.id }) as Post | undefined;
      if (post && typeof post === 'object' && typeof post.id === 'string') posts.push(post);
      else if (post !== undefined) this.#skip({ feed: feedId, post: row.id }, 'not a post');
    }
    return posts;
  }

  health(): StoreHealth {
    return { skippedRows: this.#skipped.size };
  }

  /** Parses a stored JSON value; on failure, skips the row (logged once) and returns undefined. */
  #read(json: string, where: Record<string, string>): unknown {
    try {
      return JSON.parse(json);
    } catch (err) {
      this.#skip(where, (err as Error).message);
      return undefined;
    }
  }

  #skip(where: Record<string, string>, reason: string): void {
    const key = JSON.stringify(where);
    if (this.#skipped.has(key)) return;
    this.#skipped.add(key);
    this.#log?.warn('store.row_skipped', { ...where, reason });
  }

  recentIds(feedId: string, limit: number): string[] {
    return this.#stmt.ids.all(feedId, limit) as string[];
  }

  cursor(feedId: string, source: string): string | null {
    return (this.#stmt.getCursor.get(feedId, source) as string | null | undefined) ?? null;
  }

  /**
   * Persistent key/value state for a scope ("saint-etienne:x", or "x" for
   * state shared by all feeds). Reads come from memory; writes go through.
   * One instance per scope, so every holder sees every write.
   */
  sourceState(scope: string): SourceState {
    let state = this.#states.get(scope);
    if (!state) {
      state = this.#loadState(scope);
      this.#states.set(scope, state);
    }
    return state;
  }

  #loadState(scope: string): SourceState {
    const cache = new Map<string, unknown>();
    for (const row of this.#stmt.stateAll.all(scope) as { key: string; value: string }[]) {
      const value = this.#read(row.value, { scope, key: row.key });
      if (value !== undefined) cache.set(row.key, value);
    }
    return {
      get: <T>(key: string) => cache.get(key) as T | undefined,
      set: (key: string, value: unknown) => {
        if (value === undefined) {
          cache.delete(key);
          this.#stmt.stateDelete.run(scope, key);
        } else {
          cache.set(key, structuredClone(value));
          this.#stmt.stateSet.run(scope, key, JSON.stringify(value));
        }
      },
    };
  }

  /** Deletes posts created before `beforeMs` (retention); returns the changes per feed. */
  prune(feedIds: string[], beforeMs: number, nowMs: number): Map<string, FeedChange[]> {
    return this.db.transaction(() => {
      const out = new Map<string, FeedChange[]>();
      for (const feedId of feedIds) {
        const changes: FeedChange[] = [];
        for (const id of this.#stmt.pruneFeed.all(feedId, beforeMs) as string[]) {
          this.#stmt.deletePost.run(feedId, id);
          changes.push({ kind: 'remove', revision: this.#bump(feedId, nowMs), id });
        }
        if (changes.length) out.set(feedId, changes);
      }
      this.#stmt.pruneTombstones.run(beforeMs);
      return out;
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.#lock?.release();
  }
}

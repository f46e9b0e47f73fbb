/**
 * The store: one SQLite file (WAL) holding posts and their visibility, per-feed revisions and
 * cursors, source state, feed settings, the organisers' decisions, the audit log and alerts. Every
 * poll, decision or settings change is applied in one transaction, so a crash loses nothing
 * committed and leaves nothing half-written. One module per concern; this one opens and joins them.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Post } from '../contract.js';
import type { Logger } from '../log.js';
import { Alerts } from './alerts.js';
import { AuditLog } from './audit.js';
import { lockDataFolder, type DataFolderLock } from './data-folder.js';
import { Decisions } from './decisions.js';
import { FeedSettingsTable } from './feed-settings.js';
import { openDatabase } from './open-database.js';
import { Posts } from './posts.js';
import { Revisions, type FeedRecord } from './revisions.js';
import { RowReader } from './rows.js';
import { SourceStates, type SourceState } from './source-state.js';
import { emptyOutcome, type FeedChange, type Judge, type Outcome, type PollWrite } from './types.js';

export type { FeedChange, FeedRecord, Outcome, PollWrite, SourceState };

export interface StoreOptions {
  /** A directory (the file is `commune-feed.db` inside, locked for this process) or `:memory:`. */
  location: string;
  /** Where rows that cannot be read are reported. */
  log?: Logger;
}

/** How long a feed's posts are kept: those created before `beforeMs` are deleted, except `keep`'s. */
export interface RetentionPlan {
  feedId: string;
  beforeMs: number;
  /** Posts kept longer (an archive's): deleted only once created before `keep.beforeMs`. */
  keep?: { ids: ReadonlySet<string>; beforeMs: number };
}

export interface StoreHealth {
  /** Stored rows skipped because they cannot be read (invalid JSON). */
  skippedRows: number;
}

export const DB_FILE = 'commune-feed.db';

/** Decisions on posts no longer stored are kept at least this long (ms). */
const DECISION_MEMORY_MS = 8 * 86_400_000;

/** Shows every post, except those the organisers hid (the store's default when no rules are given). */
export const showUnlessHidden: Judge = (_post, decision) =>
  decision?.decision === 'hidden'
    ? { visibility: 'hidden', reason: 'organiser', blur: false }
    : { visibility: 'shown', reason: null, blur: false };

export class Store {
  readonly db: Database.Database;
  readonly file: string;
  readonly rows: RowReader;
  readonly revisions: Revisions;
  readonly posts: Posts;
  readonly decisions: Decisions;
  readonly audit: AuditLog;
  readonly alerts: Alerts;
  readonly feedSettings: FeedSettingsTable;
  readonly #states: SourceStates;
  readonly #stmt;
  readonly #lock: DataFolderLock | undefined;

  constructor({ location, log }: StoreOptions) {
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
    this.rows = new RowReader(log);
    this.revisions = new Revisions(db);
    this.decisions = new Decisions(db);
    this.posts = new Posts(db, this.revisions, this.decisions, this.rows);
    this.audit = new AuditLog(db);
    this.alerts = new Alerts(db);
    this.feedSettings = new FeedSettingsTable(db, (json, where) => this.rows.read(json, where));
    this.#states = new SourceStates(db, this.rows);
    this.#stmt = {
      getCursor: db.prepare('SELECT cursor FROM cursors WHERE feed_id = ? AND source = ?').pluck(),
      setCursor: db.prepare(
        `INSERT INTO cursors (feed_id, source, cursor, updated_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (feed_id, source) DO UPDATE SET cursor = excluded.cursor, updated_ms = excluded.updated_ms`,
      ),
    };
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  feed(feedId: string): FeedRecord {
    return this.revisions.get(feedId);
  }

  /**
   * Applies one poll of one source in a single transaction: stores the posts that are new or
   * changed with the visibility `judge` gives them, deletes removals and remembers them so they are
   * never shown again, records the source's cursor and the success time. `source` names the cursor
   * (the source's key in the feed); `network`, the network the posts came from (default: `source`).
   */
  ingest(
    feedId: string,
    source: string,
    write: PollWrite,
    nowMs: number,
    judge: Judge = showUnlessHidden,
    network = source,
  ): Outcome {
    return this.transaction(() => {
      const out = emptyOutcome();
      this.posts.ingest(feedId, network, write, judge, nowMs, out);
      this.#stmt.setCursor.run(feedId, source, write.cursor, nowMs);
      this.revisions.success(feedId, nowMs);
      return out;
    });
  }

  /** `ingest` for callers that only need the public changes. */
  applyPoll(feedId: string, source: string, write: PollWrite, nowMs: number, judge?: Judge): FeedChange[] {
    return this.ingest(feedId, source, write, nowMs, judge).changes;
  }

  /** The shown posts of a feed, in the wall's order; a row that cannot be read is skipped, not fatal. */
  recentPosts(feedId: string, limit: number): Post[] {
    return this.posts.publicPosts(feedId, limit);
  }

  /** Ids of the newest posts on display (shown or held), of every source. */
  recentIds(feedId: string, limit: number): string[] {
    return this.posts.displayedIds(feedId, '%', limit);
  }

  health(): StoreHealth {
    return { skippedRows: this.rows.skippedCount };
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
    return this.#states.of(scope);
  }

  /**
   * Deletes posts by retention, each feed by its plan, in one transaction; `beforeDelete` sees the
   * ids of each feed's posts just before they go (the figures count them on). Tombstones older
   * than `tombstonesBeforeMs` are forgotten. Returns what changed per feed.
   */
  prune(
    plans: readonly RetentionPlan[],
    tombstonesBeforeMs: number,
    nowMs: number,
    beforeDelete?: (feedId: string, ids: readonly string[]) => void,
  ): Map<string, Outcome> {
    return this.transaction(() => {
      const out = new Map<string, Outcome>();
      for (const plan of plans) {
        const ids = this.posts
          .oldIds(plan.feedId, plan.beforeMs)
          .filter((id) => !plan.keep?.ids.has(id) || this.posts.createdBefore(plan.feedId, id, plan.keep.beforeMs));
        if (ids.length === 0) continue;
        beforeDelete?.(plan.feedId, ids);
        const outcome = emptyOutcome();
        for (const id of ids) this.posts.remove(plan.feedId, id, 'retention', nowMs, outcome, false);
        if (outcome.changes.length || outcome.queue.length) out.set(plan.feedId, outcome);
      }
      this.posts.pruneTombstones(tombstonesBeforeMs);
      // A decision outlives its post while X could still send the post again (its search reaches 7 days back).
      this.decisions.prune(Math.min(tombstonesBeforeMs, nowMs - DECISION_MEMORY_MS));
      return out;
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.#lock?.release();
  }
}

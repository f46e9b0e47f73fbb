/**
 * Stored posts and their visibility. Every write decides the post's visibility once (through the
 * `Judge` the caller gives, with the organisers' decision), and reports what changed: public
 * changes (each with the feed's next revision) and queue changes for the organisers.
 */
import type Database from 'better-sqlite3';
import type { Post } from '../contract.js';
import type { Decisions } from './decisions.js';
import { postStatements } from './post-statements.js';
import { publicForm, queueItem, reasonOf, rowDecision, type PostRow } from './post-rows.js';
import type { Revisions } from './revisions.js';
import type { RowReader } from './rows.js';
import type { DecisionState, Judge, Outcome, PollWrite, QueueItem, Visibility } from './types.js';

/** The columns of a post as the wall shows it. */
type PublicRow = Pick<PostRow, 'id' | 'body' | 'pinned_ms' | 'reason'>;

/** A stored post as figures read it: its body, where it stands, the organisers' decision. */
export interface ScannedPost {
  post: Post;
  visibility: Visibility;
  decision: 'approved' | 'hidden' | null;
}

/** A post as read back: its body and where it stands. */
interface Stored {
  row: PostRow;
  post: Post;
  decision: DecisionState | null;
}

export class Posts {
  readonly #stmt;
  readonly #revisions: Revisions;
  readonly #decisions: Decisions;
  readonly #rows: RowReader;

  constructor(db: Database.Database, revisions: Revisions, decisions: Decisions, rows: RowReader) {
    this.#revisions = revisions;
    this.#decisions = decisions;
    this.#rows = rows;
    this.#stmt = postStatements(db);
  }

  #read(row: PostRow, feedId: string): Stored | undefined {
    const post = this.#rows.read(row.body, { feed: feedId, post: row.id }) as Post | undefined;
    if (!post || typeof post !== 'object' || typeof post.id !== 'string') {
      if (post !== undefined) this.#rows.skip({ feed: feedId, post: row.id }, 'not a post');
      return undefined;
    }
    return { row, post, decision: rowDecision(row) };
  }

  #stored(feedId: string, id: string): Stored | undefined {
    const row = this.#stmt.one.get(feedId, id) as PostRow | undefined;
    return row && this.#read(row, feedId);
  }

  #item(stored: Stored): QueueItem {
    return queueItem(stored.row, stored.post, stored.decision);
  }

  /**
   * Writes one post, brought by `network`, with the visibility `judge` gives it, and records what changed. A post with
   * an unreadable `createdAt` is dated `nowMs` (its `createdAt` rewritten), so that the SQL order
   * and `comparePosts` agree. `previous` is the stored row, if any.
   */
  #write(
    feedId: string,
    network: string,
    incoming: Post,
    judge: Judge,
    nowMs: number,
    out: Outcome,
    previous?: Stored,
  ): void {
    let post = incoming;
    let createdMs = Date.parse(post.createdAt);
    if (Number.isNaN(createdMs)) {
      createdMs = nowMs;
      post = { ...post, createdAt: new Date(nowMs).toISOString() };
    }
    if (post.pinnedAt !== undefined) {
      post = { ...post };
      delete post.pinnedAt;
    }
    const decision = previous ? previous.decision : this.#decisions.get(feedId, post.id);
    const pinnedMs = decision?.pinnedMs ?? null;
    const old = previous?.row;
    const verdict = judge(post, decision, network, old?.visibility === 'shown' && old.reason !== 'organiser');
    const reason = reasonOf(verdict);
    const body = JSON.stringify(post);
    if (
      old &&
      old.body === body &&
      old.visibility === verdict.visibility &&
      old.reason === reason &&
      old.pinned_ms === pinnedMs
    ) {
      return;
    }
    const wasShown = old?.visibility === 'shown' ? publicForm(previous!.post, old.pinned_ms, old.reason) : undefined;
    const shown = verdict.visibility === 'shown' ? publicForm(post, pinnedMs, reason) : undefined;
    let revision = this.#revisions.get(feedId).revision;
    if (shown && (!wasShown || JSON.stringify(wasShown) !== JSON.stringify(shown))) {
      revision = this.#revisions.bump(feedId, nowMs);
      out.changes.push({ kind: 'post', revision, post: shown });
    } else if (!shown && wasShown) {
      revision = this.#revisions.bump(feedId, nowMs);
      out.changes.push({ kind: 'remove', revision, id: post.id });
    }
    const expires = post.expiresAt === undefined ? null : Date.parse(post.expiresAt);
    this.#stmt.upsert.run(
      feedId,
      post.id,
      network,
      createdMs,
      body,
      revision,
      nowMs,
      verdict.visibility,
      reason,
      pinnedMs,
      expires === null || Number.isNaN(expires) ? null : expires,
    );
    const stored = this.#stored(feedId, post.id);
    if (stored) out.queue.push({ kind: 'queue', item: this.#item(stored) });
  }

  /** Applies one poll of `network`: posts (unless removed before) and removals (tombstoned: never shown again). */
  ingest(feedId: string, network: string, write: PollWrite, judge: Judge, nowMs: number, out: Outcome): void {
    for (const id of write.removals) this.remove(feedId, id, 'source', nowMs, out);
    for (const post of write.posts) {
      if (this.#stmt.isRemoved.get(feedId, post.id)) continue;
      this.#write(feedId, network, post, judge, nowMs, out, this.#stored(feedId, post.id));
    }
  }

  /** Writes a post of the organisers (an announcement), new or edited. */
  put(feedId: string, post: Post, judge: Judge, nowMs: number, out: Outcome): void {
    this.#write(feedId, 'organisers', post, judge, nowMs, out, this.#stored(feedId, post.id));
  }

  /** Decides again where stored posts stand (settings or a decision changed); all of the feed's, or `ids`. */
  reevaluate(feedId: string, judge: Judge, nowMs: number, out: Outcome, ids?: readonly string[]): void {
    const rows = ids
      ? ids.flatMap((id) => (this.#stmt.one.get(feedId, id) as PostRow | undefined) ?? [])
      : (this.#stmt.all.all(feedId) as PostRow[]);
    for (const row of rows) {
      const stored = this.#read(row, feedId);
      if (stored) this.#write(feedId, row.source, stored.post, judge, nowMs, out, stored);
    }
  }

  /** The posts created from `fromMs` to `toMs`, with the network that brought each (for cross-posts). */
  createdBetween(feedId: string, fromMs: number, toMs: number): { post: Post; network: string }[] {
    const rows = this.#stmt.between.all(feedId, fromMs, toMs) as PostRow[];
    return rows.flatMap((row) => {
      const stored = this.#read(row, feedId);
      return stored ? [{ post: stored.post, network: row.source }] : [];
    });
  }

  /** Deletes a post; `tombstone` keeps it from ever being stored again (deleted upstream, compliance). */
  remove(feedId: string, id: string, reason: string, nowMs: number, out: Outcome, tombstone = true): void {
    if (tombstone) this.#stmt.tombstone.run(feedId, id, nowMs, reason);
    const old = this.#stmt.one.get(feedId, id) as PostRow | undefined;
    if (!old) return;
    this.#stmt.delete.run(feedId, id);
    if (old.visibility === 'shown')
      out.changes.push({ kind: 'remove', revision: this.#revisions.bump(feedId, nowMs), id });
    out.queue.push({ kind: 'dequeue', id });
  }

  /** The organisers' view of one post. */
  item(feedId: string, id: string): QueueItem | undefined {
    const stored = this.#stored(feedId, id);
    return stored && this.#item(stored);
  }

  /** The stored post (its body as received), or undefined. */
  body(feedId: string, id: string): Post | undefined {
    return this.#stored(feedId, id)?.post;
  }

  /** The shown posts, in the wall's order (`POST_ORDER_SQL`); unreadable rows are skipped. */
  publicPosts(feedId: string, limit: number): Post[] {
    return this.#publicForms(feedId, this.#stmt.public.all(feedId, limit) as PublicRow[]);
  }

  /** The organisers' announcements on display, in the wall's order. */
  announcements(feedId: string): Post[] {
    return this.#publicForms(feedId, this.#stmt.announcements.all(feedId) as PublicRow[]);
  }

  #publicForms(feedId: string, rows: readonly PublicRow[]): Post[] {
    const posts: Post[] = [];
    for (const row of rows) {
      const post = this.#rows.read(row.body, { feed: feedId, post: row.id }) as Post | undefined;
      if (post && typeof post === 'object' && typeof post.id === 'string')
        posts.push(publicForm(post, row.pinned_ms, row.reason));
      else if (post !== undefined) this.#rows.skip({ feed: feedId, post: row.id }, 'not a post');
    }
    return posts;
  }

  /** How many stored posts of the feed (announcements included) stand where. */
  counts(feedId: string): Record<Visibility, number> {
    const counts: Record<Visibility, number> = { shown: 0, held: 0, hidden: 0, filtered: 0 };
    for (const row of this.#stmt.counts.all(feedId) as { visibility: Visibility; n: number }[])
      counts[row.visibility] = row.n;
    return counts;
  }

  /** Ids of the newest posts on display (shown, or held for organisers) of one source (`%`: any), newest first. */
  displayedIds(feedId: string, source: string, limit: number): string[] {
    return this.#stmt.displayed.all(feedId, source, limit) as string[];
  }

  /** Posts by creation time, newest first, after the post `before` when given; optionally of some visibilities. */
  queue(feedId: string, visibility: readonly Visibility[] | undefined, before: string | undefined, limit: number) {
    const items: QueueItem[] = [];
    let cursorMs = Number.MAX_SAFE_INTEGER;
    let cursorId = '';
    if (before !== undefined) {
      const ms = this.#stmt.createdMs.get(feedId, before) as number | undefined;
      if (ms === undefined) return items;
      cursorMs = ms;
      cursorId = before;
    } else cursorId = '\uffff'.repeat(64);
    const wanted = visibility && visibility.length ? new Set(visibility) : undefined;
    // Read in pages until `limit` items of the wanted visibilities are found.
    while (items.length < limit) {
      const page = this.#stmt.queue.all(
        feedId,
        cursorMs,
        cursorMs,
        cursorId.length,
        cursorId.length,
        cursorId,
        200,
      ) as PostRow[];
      for (const row of page) {
        cursorMs = row.created_ms;
        cursorId = row.id;
        if (wanted && !wanted.has(row.visibility)) continue;
        const stored = this.#read(row, feedId);
        if (stored) items.push(this.#item(stored));
        if (items.length === limit) break;
      }
      if (page.length < 200) break;
    }
    return items;
  }

  /** Every stored post of a feed (or those of `ids`) with where it stands (figures), in no particular order. */
  *scan(feedId: string, ids?: readonly string[]): Generator<ScannedPost> {
    const rows = ids
      ? ids.flatMap((id) => (this.#stmt.one.get(feedId, id) as PostRow | undefined) ?? [])
      : (this.#stmt.all.iterate(feedId) as Iterable<PostRow>);
    for (const row of rows) {
      const stored = this.#read(row, feedId);
      if (stored) yield { post: stored.post, visibility: row.visibility, decision: stored.decision?.decision ?? null };
    }
  }

  /** Ids of the first `limit` shown posts in the wall's order (`POST_ORDER_SQL`): those of one source (`%`: any). */
  shownIds(feedId: string, limit: number, source = '%'): string[] {
    return this.#stmt.shownIds.all(feedId, limit, source) as string[];
  }

  /**
   * Whether some stored post of any feed, held and hidden ones included, refers to this URL (an
   * avatar or image, as the post carries it): what the organisers' image route may serve.
   */
  refersTo(url: string): boolean {
    return this.#stmt.refersTo.get(JSON.stringify(url)) !== undefined;
  }

  /** Posts created before `beforeMs` (retention). */
  oldIds(feedId: string, beforeMs: number): string[] {
    return this.#stmt.old.all(feedId, beforeMs) as string[];
  }

  /** Whether the stored post was created before `beforeMs`. */
  createdBefore(feedId: string, id: string, beforeMs: number): boolean {
    const ms = this.#stmt.createdMs.get(feedId, id) as number | undefined;
    return ms !== undefined && ms < beforeMs;
  }

  pruneTombstones(beforeMs: number): void {
    this.#stmt.pruneTombstones.run(beforeMs);
  }

  /** When the next shown post (an announcement) expires, or undefined. */
  nextExpiry(feedId: string): number | undefined {
    return (this.#stmt.nextExpiry.get(feedId) as number | null) ?? undefined;
  }

  /** Shown posts whose expiry has come. */
  dueIds(feedId: string, nowMs: number): string[] {
    return this.#stmt.due.all(feedId, nowMs) as string[];
  }
}

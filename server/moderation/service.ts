/**
 * The organisers' actions, one service per server: the moderation queue, one-tap decisions and
 * their undo, the audit log, announcements, alerts and figures. Each action is one transaction
 * (decision, the post's visibility, the audit entry), then its public changes go to delivery
 * (every open widget, the snapshot and its ETag) and its queue and audit changes to the
 * organisers' stream. The admin routes call exactly this.
 */
import type { Alert, Post } from '../contract.js';
import type { Clock } from '../clock.js';
import type { Delivery } from '../delivery/delivery.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { FeedRegistry } from '../feeds/registry.js';
import type { Logger } from '../log.js';
import type { AuditRecord } from '../store/audit.js';
import type { Store } from '../store/store.js';
import { emptyOutcome, type DecisionState, type Outcome, type QueueItem, type Visibility } from '../store/types.js';
import { decisionSummary, toAuditEntry, UNDOABLE } from './audit-entries.js';
import { Notices } from './notices.js';
import { feedJudge } from './feed-judge.js';
import { feedStats } from './stats.js';
import type {
  Actor,
  AlertInput,
  AnnouncementInput,
  AuditEntry,
  DecisionAction,
  DecisionResult,
  FeedStats,
  QueueFilter,
} from './types.js';

export interface ModerationServiceOptions {
  store: Store;
  registry: FeedRegistry;
  delivery: Delivery;
  clock: Clock;
  log: Logger;
}

/** The part of a decision each action changes: undo restores only that part. */
type Aspect = 'decision' | 'pin';
const ASPECT: Record<DecisionAction, Aspect> = {
  approve: 'decision',
  hide: 'decision',
  unhide: 'decision',
  pin: 'pin',
  unpin: 'pin',
};

/** What the audit log keeps of a decision, before and after. */
interface DecisionSnapshot {
  decision: 'approved' | 'hidden' | null;
  pinnedMs: number | null;
}

function snapshotOf(state: DecisionState | null): DecisionSnapshot {
  return { decision: state?.decision ?? null, pinnedMs: state?.pinnedMs ?? null };
}

/** The decision after an action, or undefined when the action changes nothing (unpin a post not pinned). */
function decided(before: DecisionSnapshot, action: DecisionAction, item: QueueItem, nowMs: number) {
  const next = { ...before };
  switch (action) {
    case 'approve':
      next.decision = 'approved';
      break;
    case 'hide':
      next.decision = 'hidden';
      break;
    case 'unhide':
      // Shown by an organiser's decision: neither the hiding nor a rule keeps it off the wall.
      if (item.visibility === 'hidden') next.decision = 'approved';
      break;
    case 'pin':
      if (next.pinnedMs === null) next.pinnedMs = nowMs;
      break;
    case 'unpin':
      next.pinnedMs = null;
      break;
  }
  return next.decision === before.decision && next.pinnedMs === before.pinnedMs ? undefined : next;
}

export class ModerationService {
  readonly #o: ModerationServiceOptions;
  readonly #notices: Notices;

  constructor(options: ModerationServiceOptions) {
    this.#o = options;
    this.#notices = new Notices({ ...options, publish: (feedId, out, audit) => this.#publish(feedId, out, audit) });
  }

  /** Arms the expiry of stored announcements and alerts (and ends those already past). */
  start(): void {
    this.#notices.start();
  }

  stop(): void {
    this.#notices.stop();
  }

  /** The organisers' queue, newest first (by creation time); `before` is the id of the last item already seen. */
  queue(feedId: string, filter: QueueFilter = {}): QueueItem[] {
    this.#o.registry.require(feedId);
    const limit = Math.min(200, Math.max(1, filter.limit ?? 50));
    return this.#o.store.posts.queue(feedId, filter.visibility, filter.before, limit);
  }

  /**
   * Approves, hides, unhides (shown by decision), pins or unpins a post. An action that changes
   * nothing (unpin a post not pinned) writes nothing and answers the item with `auditId: null`.
   * Throws `NotFoundError` for an unknown feed or post.
   */
  decide(feedId: string, postId: string, action: DecisionAction, actor: Actor, reason?: string): DecisionResult {
    const { store, clock } = this.#o;
    this.#o.registry.require(feedId);
    const now = clock.now();
    const done = store.transaction(() => {
      const item = store.posts.item(feedId, postId);
      if (!item) throw new NotFoundError(`no post "${postId}" in feed "${feedId}"`);
      const before = snapshotOf(store.decisions.get(feedId, postId));
      const after = decided(before, action, item, now);
      if (!after) return { item, auditId: null, out: emptyOutcome() };
      const out = this.#setDecision(feedId, postId, after, actor, now, reason ?? null);
      const auditId = store.audit.append({
        feedId,
        atMs: now,
        actor: actor.username,
        action,
        postId,
        reason: reason ?? null,
        summary: decisionSummary(action, item.post),
        before,
        after,
      });
      return { item: store.posts.item(feedId, postId)!, auditId, out };
    });
    this.#publish(feedId, done.out, done.auditId === null ? [] : [done.auditId]);
    return { item: done.item, auditId: done.auditId };
  }

  /**
   * Reverts what one decision changed (its decision, or its pin), as an entry of its own. Throws
   * `NotFoundError` for an unknown entry or a post no longer stored, `ConflictError` for an entry
   * that is not a decision or was already undone.
   */
  undo(feedId: string, auditId: number, actor: Actor): DecisionResult {
    const { store, clock } = this.#o;
    this.#o.registry.require(feedId);
    const now = clock.now();
    const done = store.transaction(() => {
      const entry = store.audit.get(feedId, auditId);
      if (!entry) throw new NotFoundError(`no audit entry ${auditId} in feed "${feedId}"`);
      if (!UNDOABLE.has(entry.action)) throw new ConflictError(`"${entry.action}" cannot be undone`);
      if (entry.undoneBy !== null) throw new ConflictError(`audit entry ${auditId} was already undone`);
      const postId = entry.postId!;
      const item = store.posts.item(feedId, postId);
      if (!item) throw new NotFoundError(`post "${postId}" is no longer stored`);
      const current = snapshotOf(store.decisions.get(feedId, postId));
      const restored = { ...current };
      const before = entry.before as DecisionSnapshot;
      if (ASPECT[entry.action as DecisionAction] === 'pin') restored.pinnedMs = before.pinnedMs;
      else restored.decision = before.decision;
      const out = this.#setDecision(feedId, postId, restored, actor, now, null);
      const id = store.audit.append({
        feedId,
        atMs: now,
        actor: actor.username,
        action: 'undo',
        postId,
        reason: null,
        summary: `Annulé : ${entry.summary}`,
        before: current,
        after: restored,
      });
      store.audit.markUndone(auditId, id);
      return { item: store.posts.item(feedId, postId)!, auditId: id, out };
    });
    this.#publish(feedId, done.out, [done.auditId, auditId]);
    return { item: done.item, auditId: done.auditId };
  }

  /** Writes a decision and judges the post again; returns what changed. */
  #setDecision(
    feedId: string,
    postId: string,
    snapshot: DecisionSnapshot,
    actor: Actor,
    now: number,
    reason: string | null,
  ) {
    const { store, registry } = this.#o;
    store.decisions.put(feedId, postId, { ...snapshot, decidedBy: actor.username, decidedMs: now, reason });
    const out = emptyOutcome();
    store.posts.reevaluate(feedId, feedJudge(store, registry.require(feedId).settings, now), now, out, [postId]);
    return out;
  }

  /** The audit log, newest first; `before` is the id of the last entry already seen. */
  audit(feedId: string, options: { before?: number; limit?: number } = {}): AuditEntry[] {
    this.#o.registry.require(feedId);
    const limit = Math.min(200, Math.max(1, options.limit ?? 50));
    return this.#o.store.audit.list(feedId, options.before, limit).map((r) => this.#entry(r));
  }

  #entry(record: AuditRecord): AuditEntry {
    const exists = record.postId !== null && this.#o.store.posts.item(record.feedId, record.postId) !== undefined;
    return toAuditEntry(record, exists);
  }

  /** How many stored posts of the feed (announcements included) stand where. */
  counts(feedId: string): Record<Visibility, number> {
    this.#o.registry.require(feedId);
    return this.#o.store.posts.counts(feedId);
  }

  /** The organisers' announcements on display, as the wall shows them (pinned first). */
  announcements(feedId: string): Post[] {
    this.#o.registry.require(feedId);
    return this.#o.store.posts.announcements(feedId);
  }

  /** The urgent alert in force, or null. */
  alert(feedId: string): Alert | null {
    this.#o.registry.require(feedId);
    return this.#o.store.alerts.current(feedId)?.alert ?? null;
  }

  /** Posts an announcement of the organisers (sanitised markup), pinned or placed in time. */
  announce(feedId: string, input: AnnouncementInput, actor: Actor): Post {
    return this.#notices.announce(feedId, input, actor);
  }

  /** Edits an announcement (markup, pin, place in time, expiry). */
  editAnnouncement(feedId: string, id: string, input: AnnouncementInput, actor: Actor): Post {
    return this.#notices.editAnnouncement(feedId, id, input, actor);
  }

  deleteAnnouncement(feedId: string, id: string, actor: Actor): void {
    this.#notices.deleteAnnouncement(feedId, id, actor);
  }

  /** Raises the feed's urgent alert (it replaces the one in force). */
  raiseAlert(feedId: string, input: AlertInput, actor: Actor): Alert {
    return this.#notices.raiseAlert(feedId, input, actor);
  }

  /** Withdraws the alert in force (nothing to do when there is none). */
  withdrawAlert(feedId: string, actor: Actor): void {
    this.#notices.withdrawAlert(feedId, actor);
  }

  /** Figures of the feed, computed from its stored posts. */
  stats(feedId: string): FeedStats {
    return feedStats(this.#o.store, this.#o.registry.require(feedId).settings, this.#o.clock.now());
  }

  /** Hands public changes to delivery, queue changes and new audit entries to the organisers' stream. */
  #publish(feedId: string, out: Outcome, auditIds: number[]): void {
    const { delivery, store } = this.#o;
    delivery.apply(feedId, out.changes);
    delivery.admin.queue(feedId, out.queue);
    for (const id of auditIds) {
      const record = store.audit.get(feedId, id);
      if (record) delivery.admin.audit(feedId, this.#entry(record));
    }
  }
}

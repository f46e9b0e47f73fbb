/**
 * The organisers' live stream of a feed: what enters or changes in the moderation queue, and each
 * new audit entry. A hub of its own, so that no public route can ever reach it; the admin routes
 * serve it behind a session (`GET /api/admin/feeds/:id/events`).
 */
import type { FeedStatus, StreamClosing } from '../contract.js';
import type { QueueChange, QueueItem } from '../store/types.js';
import type { AuditEntry } from '../moderation/types.js';
import { SseHub, type SseHubOptions } from './sse-hub.js';

/** The events of the organisers' stream, by name. */
export interface AdminEventMap {
  /** A post entered the queue or changed (visibility, decision, pin, content). */
  queue: QueueItem;
  /** A post left the store (deleted upstream, retention, an announcement deleted). */
  dequeue: { id: string };
  /** A new entry of the audit log (a decision, an undo, a settings change…). */
  audit: AuditEntry;
  status: FeedStatus;
  reset: FeedStatus;
  closing: StreamClosing;
}

/** Consoles open at once per process, all feeds together (an organiser may have several tabs). */
export const ADMIN_VIEWERS_MAX = 500;

export class AdminStream {
  readonly hub: SseHub<AdminEventMap>;
  /** Per feed, the id of the last event (in memory: after a restart, a console reloads its queue). */
  readonly #ids = new Map<string, number>();
  readonly #watchers: ((feedId: string) => void)[] = [];

  constructor(options: SseHubOptions = {}) {
    this.hub = new SseHub<AdminEventMap>({ maxViewers: ADMIN_VIEWERS_MAX, ...options });
  }

  addFeed(feedId: string, status: FeedStatus): void {
    if (!this.#ids.has(feedId)) this.#ids.set(feedId, 0);
    this.hub.addFeed(feedId, this.#ids.get(feedId)!, status);
  }

  removeFeed(feedId: string): void {
    this.hub.removeFeed(feedId);
  }

  #next(feedId: string): number {
    const id = (this.#ids.get(feedId) ?? 0) + 1;
    this.#ids.set(feedId, id);
    return id;
  }

  /** Publishes queue changes (from polls, decisions, settings changes). */
  queue(feedId: string, changes: readonly QueueChange[]): void {
    for (const change of changes) {
      if (change.kind === 'queue') this.hub.publish(feedId, 'queue', change.item, this.#next(feedId));
      else this.hub.publish(feedId, 'dequeue', { id: change.id }, this.#next(feedId));
    }
    if (changes.length) for (const watcher of this.#watchers) watcher(feedId);
  }

  /** Calls `watcher` after each batch of queue changes of a feed. */
  watch(watcher: (feedId: string) => void): void {
    this.#watchers.push(watcher);
  }

  audit(feedId: string, entry: AuditEntry): void {
    this.hub.publish(feedId, 'audit', entry, this.#next(feedId));
  }

  status(feedId: string, status: FeedStatus): void {
    this.hub.publishStatus(feedId, status);
  }

  close(): Promise<void> {
    return this.hub.close();
  }
}

/**
 * The posts of the live queue, in the order the organiser sees them. Loaded
 * posts are ordered held first (they wait for a decision), then newest first.
 * A post that changes (a decision, here or on another phone) keeps its place,
 * so nothing moves under a thumb; a post that arrives waits behind a button
 * until the organiser asks to see it, unless the list is empty.
 */
import type { QueueItem, Visibility } from './api-types.js';

/** The queue's filters: everything to moderate, or one visibility. */
export type QueueFilter = 'all' | 'held' | 'shown' | 'hidden';

/** The visibilities a filter asks the server for (never `filtered`: out of the feed's scope). */
export function filterVisibilities(filter: QueueFilter): Visibility[] {
  return filter === 'all' ? ['held', 'shown', 'hidden'] : [filter];
}

/** Held first, then newest first, then greater id. */
function queueOrder(a: QueueItem, b: QueueItem): number {
  const held = Number(b.visibility === 'held') - Number(a.visibility === 'held');
  if (held !== 0) return held;
  const time = Date.parse(b.post.createdAt) - Date.parse(a.post.createdAt);
  if (time !== 0 && !Number.isNaN(time)) return time;
  return b.post.id.localeCompare(a.post.id);
}

/** What `put` did with a post that came down the stream. */
export type PutResult = 'changed' | 'waiting' | 'shown' | 'ignored';

export class QueueList {
  private readonly items = new Map<string, QueueItem>();
  private order: string[] = [];
  private pending = new Map<string, QueueItem>();

  constructor(private filter: QueueFilter = 'all') {}

  /** The posts on screen, in order. */
  visible(): QueueItem[] {
    return this.order.map((id) => this.items.get(id)!);
  }

  /** Posts that arrived and wait behind the button. */
  waiting(): QueueItem[] {
    return [...this.pending.values()];
  }

  get(id: string): QueueItem | undefined {
    return this.items.get(id);
  }

  /** A fresh page from the server, for `filter`: replaces everything. */
  replace(items: readonly QueueItem[], filter: QueueFilter = this.filter): void {
    this.filter = filter;
    this.items.clear();
    this.pending.clear();
    this.order = [];
    this.append(items);
  }

  /** Older posts, below the ones on screen. */
  append(items: readonly QueueItem[]): void {
    const fresh = items.filter((item) => this.accepts(item) && !this.items.has(item.post.id));
    for (const item of fresh) this.items.set(item.post.id, item);
    this.order.push(...[...fresh].sort(queueOrder).map((item) => item.post.id));
  }

  /** A post from the stream or from a decision. */
  put(item: QueueItem): PutResult {
    const id = item.post.id;
    if (this.items.has(id)) {
      this.items.set(id, item);
      return 'changed';
    }
    if (!this.accepts(item)) {
      this.pending.delete(id);
      return 'ignored';
    }
    if (this.order.length === 0 && this.pending.size === 0) {
      this.items.set(id, item);
      this.order = [id];
      return 'shown';
    }
    this.pending.set(id, item);
    return 'waiting';
  }

  /** Puts the waiting posts on screen, at the top; returns the first of them. */
  showWaiting(): QueueItem | undefined {
    const arrived = [...this.pending.values()].sort(queueOrder);
    this.pending.clear();
    for (const item of arrived) this.items.set(item.post.id, item);
    this.order = [...arrived.map((item) => item.post.id), ...this.order];
    return arrived[0];
  }

  /** A post left the store. */
  remove(id: string): boolean {
    this.pending.delete(id);
    if (!this.items.delete(id)) return false;
    this.order = this.order.filter((other) => other !== id);
    return true;
  }

  /** The post after `id` on screen, or before it when it is the last. */
  neighbour(id: string): QueueItem | undefined {
    const index = this.order.indexOf(id);
    if (index < 0) return undefined;
    const next = this.order[index + 1] ?? this.order[index - 1];
    return next === undefined ? undefined : this.items.get(next);
  }

  /** The last post on screen: where the next page starts. */
  last(): QueueItem | undefined {
    const id = this.order[this.order.length - 1];
    return id === undefined ? undefined : this.items.get(id);
  }

  private accepts(item: QueueItem): boolean {
    // Announcements are written and removed in their own screen.
    if (item.post.source === 'organisers') return false;
    return filterVisibilities(this.filter).includes(item.visibility);
  }
}

/**
 * Delivery: per feed, the cached snapshot and the live hub, kept in step. The
 * engine hands it changes; routes read from it; nothing here reaches a source.
 * (Several instances behind Redis would plug in here, relaying `apply` and
 * `setStatus` between processes.)
 */
import type { FeedInfo, FeedStatus, Post } from '../contract.js';
import type { FeedChange } from '../store/store.js';
import { SnapshotCache } from './snapshot-cache.js';
import type { SseHub } from './sse-hub.js';

export class Delivery {
  readonly hub: SseHub;
  readonly #caches = new Map<string, SnapshotCache>();
  readonly #snapshotSize: number;
  readonly #snapshotHeaders: Record<string, string>;

  /** `snapshotHeaders` go on every snapshot answer (CORS, Cache-Control). */
  constructor(hub: SseHub, snapshotSize: number, snapshotHeaders: Record<string, string> = {}) {
    this.hub = hub;
    this.#snapshotSize = snapshotSize;
    this.#snapshotHeaders = snapshotHeaders;
  }

  addFeed(feed: FeedInfo, posts: Post[], revision: number, status: FeedStatus): void {
    this.#caches.set(
      feed.id,
      new SnapshotCache(feed, posts, status, revision, this.#snapshotSize, this.#snapshotHeaders),
    );
    this.hub.addFeed(feed.id, revision, status);
  }

  feeds(): FeedInfo[] {
    return [...this.#caches.values()].map((c) => c.feed);
  }

  snapshot(feedId: string): SnapshotCache | undefined {
    return this.#caches.get(feedId);
  }

  /** Applies store changes: the snapshot is rebuilt once, each change is broadcast once. */
  apply(feedId: string, changes: readonly FeedChange[]): void {
    const cache = this.#caches.get(feedId);
    if (!cache || changes.length === 0) return;
    cache.apply(changes);
    for (const change of changes) {
      if (change.kind === 'post') this.hub.publish(feedId, 'post', change.post, change.revision);
      else this.hub.publish(feedId, 'remove', { id: change.id }, change.revision);
    }
  }

  /** Whether a post on display in any feed refers to this image URL (avatar, photo or preview). */
  showsImage(url: string): boolean {
    const shows = (post: Post): boolean =>
      post.author.avatarUrl === url ||
      post.repostedBy?.avatarUrl === url ||
      post.media.some((m) => m.previewUrl === url || m.url === url) ||
      (post.quoted !== undefined && shows(post.quoted));
    for (const cache of this.#caches.values()) if (cache.posts.some(shows)) return true;
    return false;
  }

  setStatus(feedId: string, status: FeedStatus): void {
    const cache = this.#caches.get(feedId);
    if (!cache) return;
    cache.setStatus(status);
    this.hub.publishStatus(feedId, status);
  }
}

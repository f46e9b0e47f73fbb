/**
 * Delivery: per feed, the cached snapshot and the live hub, kept in step, plus the organisers'
 * stream. The engine and the moderation service hand it changes; routes read from it; nothing
 * here reaches a source. (Several instances behind Redis would plug in here, relaying `apply`
 * and `setStatus` between processes.)
 */
import type { Alert, FeedInfo, FeedStatus, Post } from '../contract.js';
import type { FeedChange } from '../store/types.js';
import { AdminStream } from './admin-stream.js';
import { EncodedForms, SnapshotCache } from './snapshot-cache.js';
import { renderFeedFragment } from '../html/feed-fragment.js';
import { FRAGMENT_CSS } from '../html/fragment-styles.js';
import { DEFAULT_TIME_ZONE, type PageLocale } from '../html/words.js';

/** How the feeds' HTML fragments are written. */
export interface FragmentSettings {
  /** IANA time zone of the times shown. */
  timeZone: string;
  /** `PUBLIC_URL`'s origin, when set: the origin of this server's URLs in every fragment. */
  publicOrigin?: string | undefined;
}

/** What a fragment request asks for. */
export interface FragmentRequest {
  locale: PageLocale;
  /** Posts at most. */
  limit: number;
  /** The origin the request reached this server at: used when `PUBLIC_URL` is not set. */
  requestOrigin: string;
}
import type { SseHub } from './sse-hub.js';

export class Delivery {
  readonly hub: SseHub;
  /** The organisers' stream (queue and audit events), never reachable from a public route. */
  readonly admin: AdminStream;
  readonly #caches = new Map<string, SnapshotCache>();
  readonly #snapshotSize: number;
  readonly #watchers: ((feedId: string) => void)[] = [];
  readonly #fragment: FragmentSettings;

  constructor(
    hub: SseHub,
    snapshotSize: number,
    admin: AdminStream = new AdminStream(),
    fragment: FragmentSettings = { timeZone: DEFAULT_TIME_ZONE },
  ) {
    this.hub = hub;
    this.admin = admin;
    this.#snapshotSize = snapshotSize;
    this.#fragment = fragment;
  }

  /** Serves a feed (at start, or created at run time): its shown posts in the wall's order, its alert. */
  addFeed(feed: FeedInfo, posts: Post[], revision: number, status: FeedStatus, alert: Alert | null = null): void {
    this.#caches.set(feed.id, new SnapshotCache(feed, posts, status, revision, this.#snapshotSize, alert));
    this.hub.addFeed(feed.id, revision, status);
    this.admin.addFeed(feed.id, status);
  }

  /** Stops serving a feed: its snapshot answers 404 and its streams end. */
  removeFeed(feedId: string): void {
    this.#caches.delete(feedId);
    this.hub.removeFeed(feedId);
    this.admin.removeFeed(feedId);
  }

  feeds(): FeedInfo[] {
    return [...this.#caches.values()].map((c) => c.feed);
  }

  snapshot(feedId: string): SnapshotCache | undefined {
    return this.#caches.get(feedId);
  }

  /**
   * A feed's HTML fragment (its snapshot's posts as static markup), rendered once per change of
   * its posts and per request shape, with a strong ETag; undefined for an unknown feed.
   */
  fragment(feedId: string, request: FragmentRequest): EncodedForms | undefined {
    const cache = this.#caches.get(feedId);
    if (!cache) return undefined;
    const { timeZone, publicOrigin } = this.#fragment;
    const { origin, limit, key } = this.#fragmentShape(request);
    return cache.derived(key, () => {
      const markup = renderFeedFragment({
        feed: cache.feed,
        posts: cache.posts,
        alert: cache.alert,
        locale: request.locale,
        limit,
        timeZone,
        origin,
        publicOrigin,
        stylesheetPath: FRAGMENT_CSS.path,
      });
      return new EncodedForms(Buffer.from(markup.toString()), request.locale);
    });
  }

  /** Whether this fragment is rendered already (asking for it costs no rendering). */
  fragmentReady(feedId: string, request: FragmentRequest): boolean {
    return this.#caches.get(feedId)?.hasDerived(this.#fragmentShape(request).key) ?? false;
  }

  /** What a fragment request comes to: the origin of its URLs, its posts at most, and its cache key. */
  #fragmentShape(request: FragmentRequest): { origin: string; limit: number; key: string } {
    const origin = this.#fragment.publicOrigin ?? request.requestOrigin;
    const limit = Math.max(1, Math.min(request.limit, this.#snapshotSize));
    return { origin, limit, key: `${request.locale} ${limit} ${origin}` };
  }

  /**
   * Calls `watcher` after any change of a feed's posts: public changes, and changes the organisers
   * alone see (a held post hidden). What is cached per change beside the snapshot (the archive
   * page) is dropped there.
   */
  watch(watcher: (feedId: string) => void): void {
    this.#watchers.push(watcher);
    this.admin.watch(watcher);
  }

  /** Applies store changes: the snapshot is rebuilt once, each change is broadcast once, with its revision. */
  apply(feedId: string, changes: readonly FeedChange[]): void {
    const cache = this.#caches.get(feedId);
    if (!cache || changes.length === 0) return;
    cache.apply(changes);
    for (const watcher of this.#watchers) watcher(feedId);
    for (const change of changes) {
      switch (change.kind) {
        case 'post':
          this.hub.publish(feedId, 'post', change.post, change.revision);
          break;
        case 'remove':
          this.hub.publish(feedId, 'remove', { id: change.id }, change.revision);
          break;
        case 'alert':
          this.hub.publish(feedId, 'alert', { alert: change.alert }, change.revision);
          break;
        case 'feed':
          this.hub.publish(feedId, 'feed', change.feed, change.revision);
          break;
      }
    }
  }

  /** The feed's title or hashtags changed: the snapshot's `feed`, and the SSE `feed` event. */
  setFeedInfo(feedId: string, info: FeedInfo, revision: number): void {
    this.apply(feedId, [{ kind: 'feed', revision, feed: info }]);
  }

  /** Whether a post on display in any feed's snapshot refers to this image URL (avatar, photo or preview). */
  showsImage(url: string): boolean {
    if (url === '') return false;
    for (const cache of this.#caches.values()) if (cache.imageUrls.has(url)) return true;
    return false;
  }

  setStatus(feedId: string, status: FeedStatus): void {
    const cache = this.#caches.get(feedId);
    if (!cache) return;
    cache.setStatus(status);
    this.hub.publishStatus(feedId, status);
    this.admin.status(feedId, status);
  }

  /** Ends the live streams once their broadcasts under way are written (shutdown). */
  async close(): Promise<void> {
    await Promise.all([this.hub.close(), this.admin.close()]);
  }
}

/**
 * The feed as one <commune-feed> shows it: the posts it holds, the feed's
 * title and hashtags, how fresh it is, whether its first snapshot came (or
 * could not come), and the announcement of new posts to screen readers. It
 * takes the live connection's changes, asks the element to render, and tells
 * the page (`commune-feed-update`, `commune-feed-error`).
 */
import type { ReactiveControllerHost } from 'lit';
import type { Alert, FeedInfo, FeedSnapshot, FeedStatus, Post } from '../server/contract.js';
import type { AlertController } from './alert-banner.js';
import { hasMarkup } from './announcement-view.js';
import { NewPostAnnouncer } from './announcer.js';
import { fire } from './events.js';
import type { FeedUpdateReason } from './events.js';
import type { FeedConnectionError, FeedConnectionOptions, FeedEnvironment } from './feed-connection.js';
import { HeldPosts } from './held-posts.js';
import type { Messages } from './i18n.js';

export interface FeedModelOptions {
  environment: () => FeedEnvironment;
  /** The interface's words, for the announcement of new posts. */
  messages: () => Messages;
  /** What the model works with beside it on the element; read when needed, so the element may make them later. */
  parts: () => {
    alerts: AlertController;
    /** Loads the announcements' sanitizer. */
    sanitizer: { request(): void };
  };
}

export class FeedModel {
  readonly held = new HeldPosts();
  /** The feed's title, hashtags and accounts. */
  info: FeedInfo | undefined;
  stale = false;
  updatedAt = '';
  /** The first snapshot came. */
  loaded = false;
  /** The first snapshot could not come; the element retries by itself. */
  failed = false;
  /** The page's content inside the tag stood in for the first feed only: once taken over, never again. */
  tookOver = false;
  /** What the polite live region says: how many posts came. */
  liveMessage = '';

  readonly announcer = new NewPostAnnouncer(
    () => this.options.environment(),
    (count) => {
      const message = count > 0 ? this.options.messages().announceNewPosts(count) : '';
      if (message === this.liveMessage) return;
      this.liveMessage = message;
      this.host.requestUpdate();
    },
  );

  private readonly host: ReactiveControllerHost & EventTarget;
  private readonly options: FeedModelOptions;

  constructor(host: ReactiveControllerHost & EventTarget, options: FeedModelOptions) {
    this.host = host;
    this.options = options;
  }

  /** Where the live connection hands the feed's changes. */
  readonly handlers: Pick<
    FeedConnectionOptions,
    'onSnapshot' | 'onPost' | 'onRemove' | 'onStatus' | 'onAlert' | 'onFeed' | 'onError'
  > = {
    onSnapshot: (snapshot) => this.applySnapshot(snapshot),
    onPost: (post) => this.applyPost(post),
    onRemove: ({ id }) => this.remove(id),
    onStatus: (status) => this.applyStatus(status),
    onAlert: ({ alert }) => this.applyAlert(alert),
    onFeed: (info) => this.applyInfo(info),
    onError: (error) => this.reportError(error),
  };

  /** Another feed: nothing of the previous one may stay on screen. */
  forget(paused: boolean): void {
    this.held.clear(paused);
    this.info = undefined;
    this.loaded = false;
    this.failed = false;
    this.stale = false;
    this.options.parts().alerts.set(null);
    this.announcer.stop();
  }

  applySnapshot(snapshot: FeedSnapshot): void {
    const first = !this.loaded;
    this.info = snapshot.feed;
    this.stale = snapshot.stale;
    this.updatedAt = snapshot.updatedAt;
    this.loaded = true;
    this.tookOver = true;
    this.failed = false;
    this.options.parts().alerts.set(snapshot.alert ?? null);
    const arrived = this.held.replace(snapshot.posts, first);
    if (!first) this.announcer.add(arrived);
    if (this.held.live.some(hasMarkup)) this.options.parts().sanitizer.request();
    this.changed('snapshot');
  }

  applyPost(post: Post): void {
    if (this.held.put(post)) this.announcer.add(1);
    if (hasMarkup(post)) this.options.parts().sanitizer.request();
    this.changed('post');
  }

  remove(id: string): void {
    if (this.held.remove(id)) this.changed('remove');
  }

  applyStatus(status: FeedStatus): void {
    this.stale = status.stale;
    this.updatedAt = status.updatedAt;
    this.changed('status');
  }

  applyAlert(alert: Alert | null): void {
    this.options.parts().alerts.set(alert);
    this.changed('alert');
  }

  applyInfo(info: FeedInfo): void {
    this.info = info;
    this.changed('feed');
  }

  /** Renders what changed, then tells the page. */
  changed(reason: FeedUpdateReason): void {
    this.host.requestUpdate();
    fire(this.host, 'commune-feed-update', {
      reason,
      posts: this.held.live,
      stale: this.stale,
      updatedAt: this.updatedAt,
      alert: this.options.parts().alerts.alert ?? null,
    });
  }

  reportError(error: FeedConnectionError): void {
    if (!this.loaded && error.phase !== 'data' && !this.failed) {
      this.failed = true;
      this.host.requestUpdate();
    }
    fire(this.host, 'commune-feed-error', { error });
  }
}

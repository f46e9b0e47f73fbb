/**
 * The live connection of one <commune-feed>: the snapshot first, then the
 * Server-Sent Events, with reconnection and a polling fallback. This module
 * ties it to the element's life (a Lit ReactiveController); the connection
 * itself and its parts live in `connection/`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FeedConnectionError } from './connection/error.js';
import { LiveFeed } from './connection/live-feed.js';
import type { FeedConnectionOptions } from './connection/options.js';
import { snapshotUrl } from './connection/snapshot-request.js';
import { connectionState } from './connection/state.js';
import type { ConnectionState } from './connection/state.js';

export { browserEnvironment } from './connection/environment.js';
export type { EventSourceConstructor, EventSourceLike, FeedEnvironment } from './connection/environment.js';
export { FeedConnectionError } from './connection/error.js';
export type { FeedErrorPhase } from './connection/error.js';
export type { FeedConnectionOptions, FeedTarget } from './connection/options.js';
export type { ConnectionState } from './connection/state.js';

/**
 * A ReactiveController that keeps its host's feed up to date (see LiveFeed):
 * it starts when the host joins the page, starts again when `src`/`feed`
 * change, and stops when the host leaves; answers that arrive after either
 * are ignored. It follows the browser's online and offline events.
 */
export class FeedConnection implements ReactiveController {
  /** Where the connection stands; the host re-renders when it changes. */
  state: ConnectionState = 'idle';

  private readonly host: ReactiveControllerHost;
  private readonly options: FeedConnectionOptions;
  private readonly feed: LiveFeed;
  private key: string | undefined;
  private attached = false;

  constructor(host: ReactiveControllerHost, options: FeedConnectionOptions) {
    this.host = host;
    this.options = options;
    this.feed = new LiveFeed({ ...options, url: () => this.snapshotUrl(), changed: () => this.updateState() });
    host.addController(this);
  }

  hostConnected(): void {
    this.attached = true;
    window.addEventListener('online', this.handleOnline);
    window.addEventListener('offline', this.handleOffline);
    this.restart();
  }

  hostDisconnected(): void {
    this.attached = false;
    window.removeEventListener('online', this.handleOnline);
    window.removeEventListener('offline', this.handleOffline);
    this.feed.stop();
    this.key = undefined;
    this.setState('idle');
  }

  hostUpdate(): void {
    if (this.attached && this.currentKey() !== this.key) this.restart();
  }

  /** Drops everything and starts again from the snapshot. */
  restart(): void {
    this.feed.reset();
    this.key = this.currentKey();
    if (!this.attached) return;
    if (!this.options.target().feed) {
      this.setState('idle');
      return;
    }
    this.feed.start();
    this.updateState();
  }

  private currentKey(): string {
    const { src, feed } = this.options.target();
    return `${src}\n${feed}`;
  }

  private snapshotUrl(): string | undefined {
    const { src, feed } = this.options.target();
    try {
      return snapshotUrl(src, feed);
    } catch {
      this.options.onError(new FeedConnectionError(`Invalid src: ${src}`, 'config'));
      return undefined;
    }
  }

  private readonly handleOnline = (): void => {
    if (!this.attached || !this.options.target().feed) return;
    this.feed.online();
    this.updateState();
  };

  private readonly handleOffline = (): void => this.updateState();

  private updateState(): void {
    const following = this.attached && Boolean(this.options.target().feed);
    const online = following && this.options.environment().isOnline();
    this.setState(connectionState({ following, online, ...this.feed.facts() }));
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.host.requestUpdate();
  }
}

/**
 * The live connection of one <commune-feed>: the snapshot first, then the
 * Server-Sent Events, with reconnection and a polling fallback. This module
 * ties it to the element's life (a Lit ReactiveController); the connection
 * itself (LiveFeed) and its parts live in `connection/`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FeedConnectionError } from './connection/error.js';
import { LiveFeed } from './connection/live-feed.js';
import type { FeedConnectionOptions } from './connection/options.js';
import { snapshotUrl } from './connection/snapshot-request.js';

export { browserEnvironment } from './connection/environment.js';
export type { EventSourceConstructor, EventSourceLike, FeedEnvironment } from './connection/environment.js';
export { FeedConnectionError } from './connection/error.js';
export type { FeedErrorPhase } from './connection/error.js';
export type { FeedConnectionOptions, FeedTarget } from './connection/options.js';

/**
 * Where the connection stands, as the visitor should understand it.
 * - `idle`: no feed to follow;
 * - `loading`: first snapshot on its way;
 * - `live`: snapshot shown and the event stream open;
 * - `reconnecting`: the stream or the snapshot failed, a new try is scheduled;
 * - `polling`: the stream keeps failing, the snapshot is fetched every few seconds;
 * - `offline`: the browser says there is no network.
 */
export type ConnectionState = 'idle' | 'loading' | 'live' | 'reconnecting' | 'polling' | 'offline';

/**
 * A ReactiveController that keeps its host's feed up to date (see LiveFeed):
 * it starts when the host joins the page, starts again when `src`/`feed`
 * change, and stops when the host leaves; answers that arrive after either
 * are ignored. It follows the browser's online and offline events.
 */
export class FeedConnection extends LiveFeed implements ReactiveController {
  /** Where the connection stands; the host re-renders when it changes. */
  state: ConnectionState = 'idle';

  private readonly host: ReactiveControllerHost;
  private key: string | undefined;
  private attached = false;

  constructor(host: ReactiveControllerHost, options: FeedConnectionOptions) {
    super(options);
    this.host = host;
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
    this.stop();
    this.key = undefined;
    this.setState('idle');
  }

  hostUpdate(): void {
    if (this.attached && this.currentKey() !== this.key) this.restart();
  }

  /** Drops everything and starts again from the snapshot. */
  restart(): void {
    this.reset();
    this.key = this.currentKey();
    if (!this.attached) return;
    if (!this.options.target().feed) {
      this.setState('idle');
      return;
    }
    void this.loadSnapshot();
    this.updateState();
  }

  private currentKey(): string {
    const { src, feed } = this.options.target();
    return `${src}\n${feed}`;
  }

  protected snapshotUrl(): string | undefined {
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
    this.online();
    this.updateState();
  };

  private readonly handleOffline = (): void => this.updateState();

  protected updateState(): void {
    let state: ConnectionState;
    if (!this.attached || !this.options.target().feed) state = 'idle';
    else if (!this.options.environment().isOnline()) state = 'offline';
    else if (this.poller.active) state = 'polling';
    else if (!this.hasSnapshot) state = this.retry.failures === 0 ? 'loading' : 'reconnecting';
    else if (this.streamOpen || (this.retry.failures === 0 && this.eventSource)) state = 'live';
    else state = 'reconnecting';
    this.setState(state);
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.host.requestUpdate();
  }
}

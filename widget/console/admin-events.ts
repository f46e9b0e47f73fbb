/**
 * The organisers' live stream of one feed (`GET /api/admin/feeds/:id/events`,
 * same-origin cookie): queue changes and audit entries as they happen. The
 * browser's EventSource reconnects by itself after a network drop; when it
 * gives up (an HTTP error), this controller opens a new one after a backoff
 * with jitter, and asks its host to reload what it may have missed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { backoffMs } from '../../server/pacing/backoff.js';
import type { EventSourceLike } from '../feed-connection.js';
import type { AdminEventMap } from './api-types.js';
import type { ConsoleEnvironment } from './api.js';

/** `connecting` before the first open, `live` while open, `reconnecting` after a failure. */
export type StreamState = 'idle' | 'connecting' | 'live' | 'reconnecting';

/** Reopening after the browser gave up: 1 s doubling up to 30 s, with jitter. */
const REOPEN_BACKOFF = { baseMs: 1_000, capMs: 30_000 };
const CLOSED = 2;

export type AdminEventHandlers = {
  [K in keyof AdminEventMap]?: (data: AdminEventMap[K]) => void;
};

export interface AdminEventsOptions extends AdminEventHandlers {
  environment: () => ConsoleEnvironment;
  /** The stream's URL, or undefined when there is nothing to follow. */
  url: () => string | undefined;
  /** Opened again after a failure, or told to `reset`: reload what may have been missed. */
  onResync: () => void;
  /** The browser gave up on the stream (it may be a session that ended: the host can check). */
  onClosed?: () => void;
}

export class AdminEventsController implements ReactiveController {
  state: StreamState = 'idle';
  private readonly host: ReactiveControllerHost;
  private readonly options: AdminEventsOptions;
  private source: EventSourceLike | undefined;
  private openedUrl: string | undefined;
  private failures = 0;
  private everOpened = false;
  private timer: number | undefined;
  private attached = false;

  constructor(host: ReactiveControllerHost, options: AdminEventsOptions) {
    this.host = host;
    this.options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.attached = true;
    this.open();
  }

  hostDisconnected(): void {
    this.attached = false;
    this.close();
    this.setState('idle');
  }

  hostUpdate(): void {
    // Another feed: follow its stream instead.
    if (this.attached && this.options.url() !== this.openedUrl) this.open();
  }

  private open(): void {
    this.close();
    const url = this.options.url();
    this.openedUrl = url;
    this.everOpened = false;
    this.failures = 0;
    const Source = this.options.environment().EventSource;
    if (!url || !Source) {
      this.setState('idle');
      return;
    }
    this.connect(Source, url);
  }

  private connect(Source: NonNullable<ConsoleEnvironment['EventSource']>, url: string): void {
    const source = new Source(url);
    this.source = source;
    this.setState(this.everOpened ? 'reconnecting' : 'connecting');
    const current = () => this.source === source;
    source.addEventListener('open', () => {
      if (!current()) return;
      const resync = this.everOpened || this.failures > 0;
      this.everOpened = true;
      this.failures = 0;
      this.setState('live');
      if (resync) this.options.onResync();
    });
    source.addEventListener('error', () => {
      if (!current()) return;
      if (source.readyState !== CLOSED) {
        // The browser reconnects by itself, sending Last-Event-ID.
        this.setState('reconnecting');
        return;
      }
      source.close();
      this.source = undefined;
      this.failures++;
      this.setState('reconnecting');
      this.options.onClosed?.();
      const environment = this.options.environment();
      const delay = backoffMs(this.failures, REOPEN_BACKOFF, () => environment.random());
      this.timer = environment.setTimeout(() => {
        this.timer = undefined;
        if (this.attached && this.openedUrl === url) this.connect(Source, url);
      }, delay);
    });
    this.listen(source, 'queue', current);
    this.listen(source, 'dequeue', current);
    this.listen(source, 'audit', current);
    this.listen(source, 'status', current);
    source.addEventListener('reset', () => {
      if (current()) this.options.onResync();
    });
  }

  private listen<K extends keyof AdminEventMap>(source: EventSourceLike, name: K, current: () => boolean): void {
    source.addEventListener(name, (event) => {
      const handler = this.options[name] as ((data: AdminEventMap[K]) => void) | undefined;
      if (!current() || !handler) return;
      let data: AdminEventMap[K];
      try {
        data = JSON.parse(String(event.data)) as AdminEventMap[K];
      } catch {
        return;
      }
      handler(data);
    });
  }

  private close(): void {
    if (this.timer !== undefined) this.options.environment().clearTimeout(this.timer);
    this.timer = undefined;
    this.source?.close();
    this.source = undefined;
  }

  private setState(state: StreamState): void {
    if (state === this.state) return;
    this.state = state;
    this.host.requestUpdate();
  }
}

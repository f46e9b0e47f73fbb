/**
 * Keeps one feed up to date: the snapshot first, then the Server-Sent Events
 * from the snapshot's revision (`?since=`), so nothing published in between
 * is missed. When the stream fails it reconnects with exponential backoff and
 * jitter; when it keeps failing, or when the server refuses it (too many
 * viewers), it polls the snapshot with If-None-Match and tries the stream
 * again from time to time. A `reset` event refetches the snapshot. Answers
 * that arrive after a stop are ignored.
 */
import type { FeedEnvironment } from './environment.js';
import { FeedConnectionError } from './error.js';
import { EventOrder } from './event-order.js';
import type { EventSink } from './event-order.js';
import type { FeedConnectionOptions } from './options.js';
import { DEFAULT_POLL_INTERVAL, Poller } from './poller.js';
import { Retry } from './retry.js';
import { requestSnapshot } from './snapshot-request.js';
import { afterStreamFailure, closingDelay, eventsUrl, openEventStream } from './stream.js';
import type { EventStream } from './stream.js';

const DEFAULT_MAX_STREAM_FAILURES = 3;

/**
 * The snapshot, the stream and the fallback of one feed. The element's
 * controller (FeedConnection) extends it: it says which URL to follow, starts
 * and stops it with the element, and shows its state.
 */
export abstract class LiveFeed {
  protected readonly options: FeedConnectionOptions;
  /** Bumped at every stop: work started before is dropped. */
  private generation = 0;
  protected readonly poller: Poller;
  protected eventSource: EventStream | undefined;
  protected streamOpen = false;
  private abort: AbortController | undefined;
  /** The failures in a row, and the next reconnection or the next try of a snapshot that failed. */
  protected readonly retry: Retry;
  /** The last snapshot request failed, or brought a stale snapshot (the server, or a copy of it, is behind). */
  private behind = false;
  private etag: string | undefined;
  protected hasSnapshot = false;
  private snapshotPending = false;
  private readonly order = new EventOrder();
  private readonly sink: EventSink;

  constructor(options: FeedConnectionOptions) {
    this.options = options;
    this.sink = {
      ...options,
      waiting: () => this.snapshotPending || !this.hasSnapshot,
      reload: () => void this.loadSnapshot(),
    };
    this.retry = new Retry(options);
    this.poller = new Poller({
      environment: options.environment,
      interval: () => options.pollInterval ?? DEFAULT_POLL_INTERVAL,
      poll: () => void this.loadSnapshot(),
      probe: () => this.openStream(),
    });
  }

  /** The snapshot URL; undefined (the error reported) when `src` is not a URL. */
  protected abstract snapshotUrl(): string | undefined;

  /** The state may have changed. */
  protected abstract updateState(): void;

  /** Closes the stream, aborts requests, clears timers and leaves the polling fallback. */
  protected stop(): void {
    this.generation++;
    this.closeStream();
    this.abort?.abort();
    this.abort = undefined;
    this.snapshotPending = false;
    this.order.drop();
    this.retry.cancel();
    this.poller.stop();
  }

  /** Stops, and forgets the feed: the next load begins from a full snapshot. */
  protected reset(): void {
    this.stop();
    this.etag = undefined;
    this.hasSnapshot = false;
    this.order.reset();
    this.retry.failures = 0;
    this.behind = false;
  }

  /** The browser is back online: try the stream now rather than at the next scheduled try. */
  protected online(): void {
    if (this.poller.active) {
      this.poller.probeNow();
    } else if (!this.streamOpen && this.retry.pending) {
      this.retry.cancel();
      this.reconnect();
    }
  }

  private get env(): FeedEnvironment {
    return this.options.environment();
  }

  private closeStream(): void {
    this.eventSource?.close();
    this.eventSource = undefined;
    this.streamOpen = false;
  }

  /**
   * Opens the event stream from the revision we hold (`?since=`), so the
   * server replays what we missed or answers `reset`.
   */
  private openStream(): void {
    const url = this.snapshotUrl();
    const EventSourceClass = this.env.EventSource;
    if (!url) return;
    if (!EventSourceClass) {
      if (!this.poller.active) this.startPolling();
      return;
    }
    this.closeStream();
    this.eventSource = openEventStream(EventSourceClass, eventsUrl(url, this.order.revision), {
      onOpen: () => this.handleStreamOpen(),
      onError: ({ opened, closed }) => this.handleStreamError(opened, closed),
      onClosing: (data) => this.handleClosing(data),
      onEvent: (name, data, lastEventId) => this.order.receive(name, data, lastEventId, this.sink),
    });
  }

  private handleStreamOpen(): void {
    this.streamOpen = true;
    this.retry.failures = 0;
    if (this.poller.active) {
      // Back from the fallback; `since` covers what happened after the last poll.
      this.retry.cancel();
      this.poller.stop();
    }
    this.updateState();
  }

  /** `opened`: whether this stream ever opened; `closed`: whether the browser gave up on it. */
  private handleStreamError(opened: boolean, closed: boolean): void {
    this.streamOpen = false;
    if (this.poller.active) {
      // A probe failed: stay on polling, try the stream later.
      this.closeStream();
      this.poller.scheduleProbe();
      this.updateState();
      return;
    }
    this.retry.failures++;
    const maxFailures = this.options.maxStreamFailures ?? DEFAULT_MAX_STREAM_FAILURES;
    const next = afterStreamFailure(opened, closed, this.retry.failures, maxFailures);
    this.options.onError(
      new FeedConnectionError(
        next === 'refused' ? 'The server refused the event stream' : 'The event stream failed',
        'events',
      ),
    );
    if (next === 'refused' || next === 'poll') {
      // Refused: poll at once, probe the stream later.
      this.startPolling(next === 'refused');
    } else if (next === 'retry') {
      this.closeStream();
      this.scheduleReconnect();
    }
    this.updateState();
  }

  /**
   * The server is stopping (a restart, a deployment): the stream ends now. Not a failure:
   * reconnect after the delay it gives (drawn per viewer, so that a hall of walls does not come
   * back in one instant), to another instance behind the same address or to this one restarted.
   */
  private handleClosing(data: unknown): void {
    this.closeStream();
    this.scheduleReconnect(closingDelay(data));
    this.updateState();
  }

  /** Fetches the snapshot (conditional once we have one). True on success. */
  protected async loadSnapshot(): Promise<boolean> {
    const url = this.snapshotUrl();
    if (!url) return false;
    const generation = this.generation;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.snapshotPending = true;
    try {
      const held = this.hasSnapshot ? { etag: this.etag } : undefined;
      const answer = await requestSnapshot(this.env, url, held, abort.signal);
      if (generation !== this.generation || abort.signal.aborted || answer === 'dropped') return false;
      if (answer === 'not-modified') {
        this.snapshotDone(this.order.revision);
        return true;
      }
      const { snapshot } = answer;
      this.etag = answer.etag;
      this.hasSnapshot = true;
      this.order.revision = snapshot.revision;
      this.options.onSnapshot(snapshot);
      this.snapshotAnswered(snapshot.stale);
      this.snapshotDone(snapshot.revision);
      return true;
    } catch (cause) {
      if (generation !== this.generation || abort.signal.aborted) return false;
      this.snapshotPending = false;
      const error =
        cause instanceof FeedConnectionError
          ? cause
          : new FeedConnectionError(cause instanceof Error ? cause.message : 'The snapshot request failed', 'snapshot');
      this.options.onError(error);
      this.snapshotFailed(error);
      return false;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  private snapshotDone(snapshotRevision: number | undefined): void {
    this.snapshotPending = false;
    this.order.release(snapshotRevision);
    if (!this.poller.active && !this.eventSource) this.openStream();
    this.updateState();
  }

  /**
   * While polling, a fresh snapshot right after failed or stale ones means
   * the server is back (a reload during an outage got the page's cached
   * copy): the stream is tried at once, not at the next probe.
   */
  private snapshotAnswered(stale: boolean): void {
    if (this.poller.active && this.behind && !stale) this.poller.probeNow();
    this.behind = stale;
  }

  private snapshotFailed(error: FeedConnectionError): void {
    this.behind = true;
    if (this.poller.active) {
      // The next poll is already scheduled.
      this.updateState();
      return;
    }
    this.retry.failures++;
    if (!this.streamOpen) {
      this.closeStream();
      this.scheduleReconnect(error.retryAfter);
    } else if (!this.retry.pending) {
      // The stream works but the snapshot after a reset failed: try it again.
      const generation = this.generation;
      this.retry.schedule(() => {
        if (generation === this.generation) void this.loadSnapshot();
      }, error.retryAfter);
    }
    this.updateState();
  }

  private scheduleReconnect(retryAfterMs?: number): void {
    const generation = this.generation;
    this.retry.schedule(() => {
      if (generation === this.generation) this.reconnect();
    }, retryAfterMs);
  }

  private reconnect(): void {
    if (this.hasSnapshot) this.openStream();
    else void this.loadSnapshot();
    this.updateState();
  }

  /** `pollNow`: fetch the snapshot at once rather than after the first interval. */
  private startPolling(pollNow = false): void {
    this.closeStream();
    this.retry.cancel();
    this.poller.start();
    // Without a snapshot yet, do not make the visitor wait for the first poll.
    if ((pollNow || !this.hasSnapshot) && !this.snapshotPending) void this.loadSnapshot();
    this.updateState();
  }
}

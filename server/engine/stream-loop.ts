/**
 * Runs a source's stream for as long as it is wanted: hands its pushes and its live state to the
 * runner (a push that cannot be stored is logged and lost to the stream, not to the next poll),
 * ignores whatever it says once stopped, and calls it again after a backoff with jitter when it
 * returns or throws while still wanted (the source reconnects by itself otherwise).
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { backoffMs, type BackoffPolicy } from '../pacing/backoff.js';
import type { Random } from '../pacing/jitter.js';
import type { Post } from '../contract.js';
import type { PushSink, Source } from '../sources/source.js';

export interface StreamLoopOptions {
  clock: Clock;
  log: Logger;
  /** Log fields naming the feed and the source. */
  fields: Record<string, unknown>;
  /** Posts pushed, with the cursor to store (undefined: keep the stored one); throws if they cannot be stored. */
  onPush(posts: Post[], removals: string[], cursor: string | null | undefined): void;
  /** The stream turned live, or dropped (also when stopped while live). */
  onLive(live: boolean): void;
  /** The source's stored cursor. */
  cursor(): string | null;
  backoff(): BackoffPolicy;
  random?: Random;
}

export class StreamLoop {
  readonly #o: StreamLoopOptions;
  #source: Source | undefined;
  #controller: AbortController | undefined;
  #timer: unknown;
  #failures = 0;
  #live = false;

  constructor(options: StreamLoopOptions) {
    this.#o = options;
  }

  /** Whether a stream is running (or waiting to be called again). */
  get running(): boolean {
    return this.#source !== undefined;
  }

  /** Whether the stream says it is live now. */
  get live(): boolean {
    return this.#live;
  }

  /** Runs `source`'s stream (nothing if it has none, or one already runs). */
  start(source: Source): void {
    if (!source.stream || this.#source) return;
    this.#source = source;
    this.#open();
  }

  /** Stops the stream; says so (`onLive(false)`) if it was live. */
  stop(): void {
    this.#o.clock.clearTimeout(this.#timer);
    this.#controller?.abort();
    this.#controller = undefined;
    this.#source = undefined;
    this.#failures = 0;
    this.#setLive(false);
  }

  #setLive(live: boolean): void {
    if (live === this.#live) return;
    this.#live = live;
    this.#o.onLive(live);
  }

  #push(posts: Post[], removals: string[], cursor: string | null | undefined): void {
    try {
      this.#o.onPush(posts, removals, cursor);
    } catch (err) {
      this.#o.log.error('feed.push_failed', {
        ...this.#o.fields,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  #open(): void {
    const source = this.#source;
    if (!source?.stream) return;
    const controller = new AbortController();
    this.#controller = controller;
    const { signal } = controller;
    const sink: PushSink = {
      posts: (posts, removals = [], cursor) => {
        if (!signal.aborted) this.#push(posts, removals, cursor);
      },
      live: (live) => {
        if (signal.aborted) return;
        if (live) this.#failures = 0;
        this.#setLive(live);
      },
      cursor: () => this.#o.cursor(),
    };
    let run: Promise<void>;
    try {
      run = Promise.resolve(source.stream(sink, signal));
    } catch (err) {
      run = Promise.reject(err);
    }
    run.then(
      () => this.#ended(controller, undefined),
      (err: unknown) => this.#ended(controller, err),
    );
  }

  #ended(controller: AbortController, err: unknown): void {
    if (controller.signal.aborted || this.#controller !== controller) return;
    this.#controller = undefined;
    this.#setLive(false);
    this.#failures++;
    const delay = backoffMs(this.#failures, this.#o.backoff(), this.#o.random);
    this.#o.log.warn('feed.stream_ended', {
      ...this.#o.fields,
      error: err === undefined ? undefined : err instanceof Error ? err.message : String(err),
      retryInS: Math.round(delay / 1000),
    });
    this.#timer = this.#o.clock.setTimeout(() => this.#open(), delay);
  }
}

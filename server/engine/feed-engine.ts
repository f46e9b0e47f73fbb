/**
 * One engine per feed: polls its source on the source's schedule (never on a
 * visitor's request), writes each poll to the store in one transaction, and
 * hands the resulting changes and status to delivery.
 */
import type { FeedConfig } from '../config.js';
import type { FeedStatus } from '../contract.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { backoffMs, type BackoffPolicy } from '../pacing/backoff.js';
import type { HealthView, Source } from '../sources/source.js';
import { SourceError } from '../sources/source.js';
import type { FeedChange, Store } from '../store/store.js';

/** The HTTP layer reads health through the engine, never from a source. */
export type { HealthView };

export interface FeedEngineOptions {
  feed: FeedConfig;
  source: Source;
  store: Store;
  clock: Clock;
  log: Logger;
  /** Called with the changes of each poll that changed something. */
  onChanges(changes: FeedChange[]): void;
  /** Called when the feed turns stale or fresh. */
  onStatus(status: FeedStatus): void;
  /** A poll that takes longer than this is abandoned (ms). */
  pollTimeoutMs?: number;
  /** With no successful poll for this long, the feed is stale (ms). */
  staleAfterMs?: number;
}

/** Backoff for failures that are not `SourceError`s: 5 s doubling to 10 min. */
export const ENGINE_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 600_000 };

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error('poll aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

export interface EngineHealth {
  feed: string;
  source: string;
  stale: boolean;
  lastSuccessAt: string | null;
  /** The last failure: when and its state ("unavailable", "misconfigured"…); what it said only for operators. */
  lastError: { at: string; state: string; message?: string } | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
  details?: Record<string, unknown>;
}

export class FeedEngine {
  readonly feed: FeedConfig;
  readonly source: Source;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #options: FeedEngineOptions;
  #timer: unknown;
  #staleTimer: unknown;
  #abort: AbortController | undefined;
  #running = false;
  #stopped = false;
  #polling: Promise<void> | undefined;
  #failures = 0;
  #lastError: { at: number; state: string; message: string } | null = null;
  #lastLoggedError: string | null = null;
  #lastSuccessMs: number | null;
  #lastChangeMs: number | null;
  #nextPollAt: number | null = null;
  #stale: boolean;
  #staleAfterMs: number;

  constructor(options: FeedEngineOptions) {
    this.#options = options;
    this.feed = options.feed;
    this.source = options.source;
    this.#store = options.store;
    this.#clock = options.clock;
    this.#log = options.log;
    const record = this.#store.feed(this.feed.id);
    this.#lastSuccessMs = record.lastSuccessMs;
    this.#lastChangeMs = record.lastChangeMs;
    this.#staleAfterMs = options.staleAfterMs ?? 120_000;
    this.#stale = this.#lastSuccessMs === null || this.#clock.now() - this.#lastSuccessMs > this.#staleAfterMs;
  }

  /** The status visitors see. */
  status(): FeedStatus {
    const at = this.#lastChangeMs ?? this.#lastSuccessMs;
    return {
      stale: this.#stale,
      updatedAt: new Date(
        this.#stale ? (this.#lastSuccessMs ?? at ?? this.#clock.now()) : (at ?? this.#clock.now()),
      ).toISOString(),
    };
  }

  /** What /api/health shows; the `public` view (the default) carries no text from upstream. */
  health(view: HealthView = 'public'): EngineHealth {
    const error = this.#lastError;
    return {
      feed: this.feed.id,
      source: this.source.kind,
      stale: this.#stale,
      lastSuccessAt: this.#lastSuccessMs === null ? null : new Date(this.#lastSuccessMs).toISOString(),
      lastError: error && {
        at: new Date(error.at).toISOString(),
        state: error.state,
        ...(view === 'operator' ? { message: error.message } : {}),
      },
      consecutiveFailures: this.#failures,
      nextPollAt: this.#nextPollAt === null ? null : new Date(this.#nextPollAt).toISOString(),
      details: this.source.health?.(view),
    };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stopped = true;
    this.#clock.clearTimeout(this.#timer);
    this.#clock.clearTimeout(this.#staleTimer);
    this.#abort?.abort();
    await this.#polling;
    await this.source.close?.();
  }

  /** Polls now (tests, operator's "refresh"); resolves when the poll is stored. */
  async pollNow(): Promise<void> {
    if (this.#polling) return this.#polling;
    this.#clock.clearTimeout(this.#timer);
    this.#polling = this.#poll().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  /** An operator resumes a paused source. */
  resume(): void {
    this.source.resume?.();
    if (this.#running) this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#clock.clearTimeout(this.#timer);
    const delay = Math.max(0, delayMs);
    this.#nextPollAt = this.#clock.now() + delay;
    this.#timer = this.#clock.setTimeout(() => void this.pollNow(), delay);
  }

  async #poll(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    const timeoutMs = this.#options.pollTimeoutMs ?? 120_000;
    const timeout = this.#clock.setTimeout(
      () => abort.abort(new Error(`poll timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    let nextDelay: number;
    try {
      const cursor = this.#store.cursor(this.feed.id, this.source.kind);
      // A source that ignores the signal must not hang the engine: the abort wins the race.
      const result = await Promise.race([this.source.poll(cursor, abort.signal), rejectOnAbort(abort.signal)]);
      const now = this.#clock.now();
      const changes = this.#store.applyPoll(this.feed.id, this.source.kind, result, now);
      this.#lastSuccessMs = now;
      if (changes.length) this.#lastChangeMs = now;
      if (this.#failures > 0) this.#log.info('feed.recovered', { feed: this.feed.id, after: this.#failures });
      this.#failures = 0;
      this.#lastError = null;
      this.#lastLoggedError = null;
      if (changes.length) this.#options.onChanges(changes);
      this.#setStale(false);
      nextDelay = result.nextPollInMs;
    } catch (err) {
      if (this.#stopped) return;
      this.#failures++;
      const message = err instanceof Error ? err.message : String(err);
      const state = err instanceof SourceError ? err.state : 'error';
      this.#lastError = { at: this.#clock.now(), state, message };
      nextDelay = err instanceof SourceError ? err.retryInMs : backoffMs(this.#failures, ENGINE_BACKOFF);
      // One line per distinct failure, not one per poll; none when the source said it already.
      const reported = err instanceof SourceError && err.reported;
      if (message !== this.#lastLoggedError && !reported) {
        this.#lastLoggedError = message;
        this.#log.warn('feed.poll_failed', {
          feed: this.feed.id,
          source: this.source.kind,
          state,
          error: message,
          retryInS: Math.round(nextDelay / 1000),
        });
      }
      if (reported) this.#lastLoggedError = message;
      this.#setStale(true);
    } finally {
      this.#clock.clearTimeout(timeout);
      if (this.#abort === abort) this.#abort = undefined;
    }
    this.#schedule(nextDelay);
    this.#watchStaleness(nextDelay);
  }

  /** Turns the feed stale if no poll succeeds within the allowed time. */
  #watchStaleness(nextDelay: number): void {
    this.#clock.clearTimeout(this.#staleTimer);
    if (this.#stale || this.#lastSuccessMs === null) return;
    const allowed = Math.max(this.#staleAfterMs, nextDelay * 2 + 30_000);
    const due = this.#lastSuccessMs + allowed - this.#clock.now();
    this.#staleTimer = this.#clock.setTimeout(
      () => {
        if (this.#lastSuccessMs !== null && this.#clock.now() - this.#lastSuccessMs >= allowed) this.#setStale(true);
      },
      Math.max(0, due),
    );
  }

  #setStale(stale: boolean): void {
    if (stale === this.#stale) return;
    this.#stale = stale;
    this.#options.onStatus(this.status());
  }
}

/**
 * The poll loop of one source of one feed: polls on the source's schedule (never on a visitor's
 * request), abandons a poll that hangs, backs off after failures, and tells when the source turns
 * stale or fresh. What a poll brings is handed to the feed engine, which stores it.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { backoffMs, type BackoffPolicy } from '../pacing/backoff.js';
import type { HealthView, PollResult, Source } from '../sources/source.js';
import { SourceError } from '../sources/source.js';

/** Backoff for failures that are not `SourceError`s: 5 s doubling to 10 min. */
export const ENGINE_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 600_000 };

/**
 * What the runner does: `poll` reads new posts; `compliance` only what the network's terms require
 * (an archived feed: the X compliance re-check); `off` nothing (a paused feed).
 */
export type RunMode = 'poll' | 'compliance' | 'off';

export interface SourceRunnerOptions {
  feedId: string;
  network: string;
  source: Source;
  clock: Clock;
  log: Logger;
  /** The source's stored cursor. */
  cursor(): string | null;
  /** Stores what a poll brought (called once per successful poll). */
  ingest(result: PollResult): void;
  /** Called when the source turns stale or fresh. */
  onStale(): void;
  /** What the runner does until told otherwise (from the feed's state). */
  mode: RunMode;
  /** Whether the feed was stale when the runner was made (from the stored last success). */
  stale: boolean;
  lastSuccessMs: number | null;
  pollTimeoutMs: number;
  staleAfterMs: number;
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error('poll aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** One source's health, as /api/health shows it. */
export interface EngineHealth {
  feed: string;
  source: string;
  /** The feed's state: active, paused or archived. */
  state: string;
  stale: boolean;
  lastSuccessAt: string | null;
  /** The last failure: when and its state ("unavailable", "misconfigured"…); what it said only for operators. */
  lastError: { at: string; state: string; message?: string } | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
  details?: Record<string, unknown>;
}

export class SourceRunner {
  readonly network: string;
  #source: Source;
  /** A source that replaces the current one once the poll in flight is done. */
  #next: Source | undefined;
  readonly #o: SourceRunnerOptions;
  #mode: RunMode;
  #started = false;
  #stopped = false;
  #timer: unknown;
  #staleTimer: unknown;
  #abort: AbortController | undefined;
  #polling: Promise<void> | undefined;
  #failures = 0;
  #lastError: { at: number; state: string; message: string } | null = null;
  #lastLoggedError: string | null = null;
  #lastSuccessMs: number | null;
  #nextPollAt: number | null = null;
  #stale: boolean;

  constructor(options: SourceRunnerOptions) {
    this.#o = options;
    this.network = options.network;
    this.#source = options.source;
    this.#mode = this.#effective(options.mode);
    this.#stale = options.stale;
    this.#lastSuccessMs = options.lastSuccessMs;
  }

  get source(): Source {
    return this.#source;
  }

  /** Stale only while it is supposed to poll and cannot. */
  get stale(): boolean {
    return this.#mode !== 'off' && this.#stale;
  }

  get lastSuccessMs(): number | null {
    return this.#lastSuccessMs;
  }

  /** A source without a compliance check has nothing to do for an archived feed. */
  #effective(mode: RunMode): RunMode {
    return mode === 'compliance' && !this.#source.complianceCheck ? 'off' : mode;
  }

  get #running(): boolean {
    return this.#started && !this.#stopped && this.#mode !== 'off';
  }

  get mode(): RunMode {
    return this.#mode;
  }

  /** Starts the loop: the first poll at once. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedule(0);
  }

  /** Changes what the runner does; a running loop polls at once in its new mode, or stops (`off`). */
  setMode(mode: RunMode): void {
    const effective = this.#effective(mode);
    if (effective === this.#mode) return;
    const before = this.stale;
    this.#mode = effective;
    if (this.#running) this.#schedule(0);
    else {
      this.#o.clock.clearTimeout(this.#timer);
      this.#o.clock.clearTimeout(this.#staleTimer);
      this.#nextPollAt = null;
    }
    if (this.stale !== before) this.#o.onStale();
  }

  /** Replaces the source (settings changed): at once between polls, else after the poll in flight. */
  replace(source: Source): void {
    if (this.#polling) {
      this.#next = source;
      return;
    }
    void this.#source.close?.();
    this.#source = source;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#o.clock.clearTimeout(this.#timer);
    this.#o.clock.clearTimeout(this.#staleTimer);
    this.#abort?.abort();
    await this.#polling;
    await this.#source.close?.();
    await this.#next?.close?.();
  }

  /** Polls now (tests, operator's "refresh"); resolves when the poll is stored. Nothing while `off`. */
  async pollNow(): Promise<void> {
    if (this.#polling) return this.#polling;
    if (this.#mode === 'off' || this.#stopped) return;
    this.#o.clock.clearTimeout(this.#timer);
    this.#polling = this.#poll().finally(() => {
      this.#polling = undefined;
      if (this.#next && !this.#stopped) {
        void this.#source.close?.();
        this.#source = this.#next;
        this.#next = undefined;
      }
    });
    return this.#polling;
  }

  /** An operator resumes a paused source. */
  resume(): void {
    this.#source.resume?.();
    if (this.#running) this.#schedule(0);
  }

  health(view: HealthView, state: string): EngineHealth {
    const error = this.#lastError;
    return {
      feed: this.#o.feedId,
      source: this.network,
      state,
      stale: this.stale,
      lastSuccessAt: this.#lastSuccessMs === null ? null : new Date(this.#lastSuccessMs).toISOString(),
      lastError: error && {
        at: new Date(error.at).toISOString(),
        state: error.state,
        ...(view === 'operator' ? { message: error.message } : {}),
      },
      consecutiveFailures: this.#failures,
      nextPollAt: this.#nextPollAt === null ? null : new Date(this.#nextPollAt).toISOString(),
      details: this.#source.health?.(view),
    };
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    const clock = this.#o.clock;
    clock.clearTimeout(this.#timer);
    const delay = Math.max(0, delayMs);
    this.#nextPollAt = clock.now() + delay;
    this.#timer = clock.setTimeout(() => void this.pollNow(), delay);
  }

  async #poll(): Promise<void> {
    const { clock, log } = this.#o;
    const abort = new AbortController();
    this.#abort = abort;
    const timeoutMs = this.#o.pollTimeoutMs;
    const timeout = clock.setTimeout(() => abort.abort(new Error(`poll timed out after ${timeoutMs} ms`)), timeoutMs);
    let nextDelay: number;
    try {
      const source = this.#source;
      const cursor = this.#o.cursor();
      const poll =
        this.#mode === 'compliance' && source.complianceCheck
          ? source.complianceCheck(cursor, abort.signal)
          : source.poll(cursor, abort.signal);
      // A source that ignores the signal must not hang the engine: the abort wins the race.
      const result = await Promise.race([poll, rejectOnAbort(abort.signal)]);
      this.#o.ingest(result);
      this.#lastSuccessMs = clock.now();
      if (this.#failures > 0) log.info('feed.recovered', { feed: this.#o.feedId, after: this.#failures });
      this.#failures = 0;
      this.#lastError = null;
      this.#lastLoggedError = null;
      this.#setStale(false);
      nextDelay = result.nextPollInMs;
    } catch (err) {
      if (this.#stopped) return;
      this.#failures++;
      const message = err instanceof Error ? err.message : String(err);
      const state = err instanceof SourceError ? err.state : 'error';
      this.#lastError = { at: clock.now(), state, message };
      nextDelay = err instanceof SourceError ? err.retryInMs : backoffMs(this.#failures, ENGINE_BACKOFF);
      // One line per distinct failure, not one per poll; none when the source said it already.
      const reported = err instanceof SourceError && err.reported;
      if (message !== this.#lastLoggedError && !reported) {
        this.#lastLoggedError = message;
        log.warn('feed.poll_failed', {
          feed: this.#o.feedId,
          source: this.network,
          state,
          error: message,
          retryInS: Math.round(nextDelay / 1000),
        });
      }
      if (reported) this.#lastLoggedError = message;
      this.#setStale(true);
    } finally {
      clock.clearTimeout(timeout);
      if (this.#abort === abort) this.#abort = undefined;
    }
    this.#schedule(nextDelay);
    this.#watchStaleness(nextDelay);
  }

  /** Turns the source stale if no poll succeeds within the allowed time. */
  #watchStaleness(nextDelay: number): void {
    const clock = this.#o.clock;
    clock.clearTimeout(this.#staleTimer);
    if (this.#stale || this.#lastSuccessMs === null || !this.#running) return;
    const allowed = Math.max(this.#o.staleAfterMs, nextDelay * 2 + 30_000);
    const due = this.#lastSuccessMs + allowed - clock.now();
    this.#staleTimer = clock.setTimeout(
      () => {
        if (this.#lastSuccessMs !== null && clock.now() - this.#lastSuccessMs >= allowed) this.#setStale(true);
      },
      Math.max(0, due),
    );
  }

  #setStale(stale: boolean): void {
    if (stale === this.#stale) return;
    this.#stale = stale;
    if (this.#mode !== 'off') this.#o.onStale();
  }
}

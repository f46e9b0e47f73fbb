/**
 * The loop of one source of one feed: polls on the engine's schedule (never on a visitor's
 * request), runs the source's stream when it has one, abandons a poll that hangs, backs off after
 * failures, and tells when the source turns stale or fresh. What a poll or a push brings is handed
 * to the feed engine, which stores it.
 */
import type { Clock } from '../clock.js';
import type { FeedSettings } from '../feeds/settings.js';
import type { Logger } from '../log.js';
import type { Random } from '../pacing/jitter.js';
import type { HealthView, Pacing, PollIntervals, PollResult, Source } from '../sources/source.js';
import { SourceError } from '../sources/source.js';
import { DEFAULT_INTERVALS, failureDelayMs, nextPollAt, type RunMode } from './schedule.js';
import { StreamLoop } from './stream-loop.js';

export type { RunMode };

/** Backoff for failures of a network that does not say: 5 s doubling to 10 min. */
export const ENGINE_BACKOFF = DEFAULT_INTERVALS.backoff;

/** What one poll or push writes: posts, removals and the cursor to store with them. */
export interface SourceWrite {
  posts: PollResult['posts'];
  removals: string[];
  cursor: string | null;
}

/** The settings the schedule reads. */
export type ScheduleSettings = Pick<FeedSettings, 'eventWindow' | 'pollSeconds'>;

export interface SourceRunnerOptions {
  feedId: string;
  /** The source's key in the feed (`sourceKeyOf`): its cursor and state are stored under it. */
  key: string;
  network: string;
  source: Source;
  clock: Clock;
  log: Logger;
  /** The feed's event window and `pollSeconds` (changed with `setSchedule`). */
  schedule: ScheduleSettings;
  /** The network's intervals (changed with `setSchedule`). */
  intervals: PollIntervals;
  /** The source's stored cursor. */
  cursor(): string | null;
  /** Stores what a poll or a push brought. */
  ingest(write: SourceWrite): void;
  /** Called when the source turns stale or fresh. */
  onStale(): void;
  /** What the runner does until told otherwise (from the feed's state). */
  mode: RunMode;
  /** Whether the feed was stale when the runner was made (from the stored last success). */
  stale: boolean;
  lastSuccessMs: number | null;
  pollTimeoutMs: number;
  staleAfterMs: number;
  /** Randomness of the backoff's jitter (tests). */
  random?: Random;
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
  /** For a source that streams: whether its stream is live now. */
  live?: boolean;
  details?: Record<string, unknown>;
}

export class SourceRunner {
  readonly key: string;
  readonly network: string;
  #source: Source;
  /** A source that replaces the current one once the poll in flight is done. */
  #next: Source | undefined;
  readonly #o: SourceRunnerOptions;
  #schedule: ScheduleSettings;
  #intervals: PollIntervals;
  #mode: RunMode;
  #started = false;
  #stopped = false;
  #timer: unknown;
  #staleTimer: unknown;
  #abort: AbortController | undefined;
  #polling: Promise<void> | undefined;
  /** Polls in a row that failed, wholly or in part: the backoff grows with them. */
  #failures = 0;
  #lastError: { at: number; state: string; message: string } | null = null;
  #lastLoggedError: string | null = null;
  #lastSuccessMs: number | null;
  #nextPollAt: number | null = null;
  #stale: boolean;
  /** When the poll in flight (or the last one) was due: regular intervals run from there. */
  #dueAt = 0;
  /** What the last successful poll reported; null when the timer is a failure's retry, which settings do not move. */
  #pacing: Pacing | null = null;
  readonly #stream: StreamLoop;
  #live = false;

  constructor(options: SourceRunnerOptions) {
    this.#o = options;
    this.key = options.key;
    this.network = options.network;
    this.#source = options.source;
    this.#schedule = options.schedule;
    this.#intervals = options.intervals;
    this.#mode = this.#effective(options.mode);
    this.#stale = options.stale;
    this.#lastSuccessMs = options.lastSuccessMs;
    this.#stream = new StreamLoop({
      clock: options.clock,
      log: options.log,
      fields: { feed: options.feedId, source: options.key },
      onPush: (posts, removals, cursor) =>
        this.#pushed({ posts, removals, cursor: cursor === undefined ? options.cursor() : cursor }),
      onLive: (live) => this.#setLive(live),
      backoff: () => this.#intervals.backoff,
      random: options.random,
    });
  }

  get source(): Source {
    return this.#source;
  }

  /** Stale only while it is supposed to poll and cannot, and no stream is live. */
  get stale(): boolean {
    return this.#mode !== 'off' && this.#stale && !this.#live;
  }

  get lastSuccessMs(): number | null {
    return this.#lastSuccessMs;
  }

  get mode(): RunMode {
    return this.#mode;
  }

  /** A source without a compliance check has nothing to do for an archived feed. */
  #effective(mode: RunMode): RunMode {
    return mode === 'compliance' && !this.#source.complianceCheck ? 'off' : mode;
  }

  get #running(): boolean {
    return this.#started && !this.#stopped && this.#mode !== 'off';
  }

  /** Starts the loop: the first poll at once, and the stream if the source has one. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#scheduleAt(this.#o.clock.now(), null);
    this.#startStream();
  }

  /** Changes what the runner does; a running loop polls at once in its new mode, or stops (`off`). */
  setMode(mode: RunMode): void {
    const effective = this.#effective(mode);
    if (effective === this.#mode) return;
    const before = this.stale;
    this.#mode = effective;
    if (this.#running) this.#scheduleAt(this.#o.clock.now(), null);
    else {
      this.#o.clock.clearTimeout(this.#timer);
      this.#o.clock.clearTimeout(this.#staleTimer);
      this.#nextPollAt = null;
    }
    if (effective === 'poll') this.#startStream();
    else this.#stopStream();
    if (this.stale !== before) this.#o.onStale();
  }

  /**
   * New event window, `pollSeconds` or intervals: the next regular poll moves at once (counted from
   * when the last one was due); a retry after a failure keeps its time.
   */
  setSchedule(schedule: ScheduleSettings, intervals: PollIntervals): void {
    this.#schedule = schedule;
    this.#intervals = intervals;
    this.#reschedule();
  }

  /** Replaces the source (settings changed): at once between polls, else after the poll in flight. */
  replace(source: Source): void {
    if (this.#polling) this.#next = source;
    else this.#swap(source);
  }

  #swap(source: Source): void {
    this.#stopStream();
    void this.#source.close?.();
    this.#source = source;
    this.#startStream();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#o.clock.clearTimeout(this.#timer);
    this.#o.clock.clearTimeout(this.#staleTimer);
    this.#stopStream();
    this.#abort?.abort();
    await this.#polling;
    await this.#source.close?.();
    await this.#next?.close?.();
  }

  /** Polls now (tests, operator's "refresh"); resolves when the poll is stored. Nothing while `off`. */
  pollNow(): Promise<void> {
    return this.#run(this.#o.clock.now());
  }

  #run(dueAt: number): Promise<void> {
    if (this.#polling) return this.#polling;
    if (this.#mode === 'off' || this.#stopped) return Promise.resolve();
    this.#o.clock.clearTimeout(this.#timer);
    this.#dueAt = dueAt;
    this.#polling = this.#poll().finally(() => {
      this.#polling = undefined;
      const next = this.#next;
      this.#next = undefined;
      if (next && !this.#stopped) this.#swap(next);
    });
    return this.#polling;
  }

  /** An operator resumes a paused source. */
  resume(): void {
    this.#source.resume?.();
    if (this.#running) this.#scheduleAt(this.#o.clock.now(), null);
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
      ...(this.#source.stream ? { live: this.#live } : {}),
      details: this.#source.health?.(view),
    };
  }

  /** Arms the timer for `at`; `pacing` is the last success's (a regular poll), null for a retry or a poll now. */
  #scheduleAt(at: number, pacing: Pacing | null): void {
    if (!this.#running) return;
    const clock = this.#o.clock;
    clock.clearTimeout(this.#timer);
    const now = clock.now();
    // An overdue poll is due now: the intervals after it run from now.
    const due = Math.max(now, at);
    this.#pacing = pacing;
    this.#nextPollAt = due;
    this.#timer = clock.setTimeout(() => void this.#run(due), due - now);
  }

  /** Moves a pending regular poll after a change of settings or of the stream's state. */
  #reschedule(): void {
    if (this.#polling || this.#pacing === null || !this.#running) return;
    this.#scheduleAt(this.#regularAt(this.#pacing), this.#pacing);
    this.#watchStaleness();
  }

  #regularAt(pacing: Pacing): number {
    return nextPollAt({
      dueAt: this.#dueAt,
      mode: this.#mode,
      feed: this.#schedule,
      intervals: this.#intervals,
      pacing,
      live: this.#live,
    });
  }

  async #poll(): Promise<void> {
    const { clock } = this.#o;
    const abort = new AbortController();
    this.#abort = abort;
    const timeoutMs = this.#o.pollTimeoutMs;
    const timeout = clock.setTimeout(() => abort.abort(new Error(`poll timed out after ${timeoutMs} ms`)), timeoutMs);
    let at: number;
    let pacing: Pacing | null = null;
    try {
      const source = this.#source;
      const cursor = this.#o.cursor();
      const poll =
        this.#mode === 'compliance' && source.complianceCheck
          ? source.complianceCheck(cursor, abort.signal)
          : source.poll(cursor, abort.signal);
      // A source that ignores the signal must not hang the engine: the abort wins the race.
      const result = await Promise.race([poll, rejectOnAbort(abort.signal)]);
      this.#o.ingest({ posts: result.posts, removals: result.removals, cursor: result.cursor });
      this.#lastSuccessMs = clock.now();
      this.#setStale(false);
      pacing = result.pacing ?? {};
      at = this.#regularAt(pacing);
      if (result.partialFailure) {
        at = Math.max(at, clock.now() + this.#failed(result.partialFailure));
        pacing = null;
      } else this.#recovered();
    } catch (err) {
      if (this.#stopped) return;
      at = clock.now() + this.#failed(err);
      this.#setStale(true);
    } finally {
      clock.clearTimeout(timeout);
      if (this.#abort === abort) this.#abort = undefined;
    }
    this.#scheduleAt(at, pacing);
    this.#watchStaleness();
  }

  #recovered(): void {
    if (this.#failures > 0) this.#o.log.info('feed.recovered', { feed: this.#o.feedId, after: this.#failures });
    this.#failures = 0;
    this.#lastError = null;
    this.#lastLoggedError = null;
  }

  /** Records a failure (of the whole poll or a part) and returns how long to wait before the next poll. */
  #failed(err: unknown): number {
    const { clock, log } = this.#o;
    this.#failures++;
    const message = err instanceof Error ? err.message : String(err);
    const state = err instanceof SourceError ? err.state : 'error';
    const now = clock.now();
    this.#lastError = { at: now, state, message };
    const notBefore = err instanceof SourceError ? err.notBefore : undefined;
    const delay = failureDelayMs(now, this.#failures, this.#intervals, notBefore, this.#o.random);
    // One line per distinct failure, not one per poll; none when the source said it already.
    const reported = err instanceof SourceError && err.reported;
    if (message !== this.#lastLoggedError && !reported) {
      log.warn('feed.poll_failed', {
        feed: this.#o.feedId,
        source: this.key,
        state,
        error: message,
        retryInS: Math.round(delay / 1000),
      });
    }
    this.#lastLoggedError = message;
    return delay;
  }

  /** Turns the source stale if no poll succeeds within the allowed time (a live stream keeps it fresh). */
  #watchStaleness(): void {
    const clock = this.#o.clock;
    clock.clearTimeout(this.#staleTimer);
    if (this.#stale || this.#lastSuccessMs === null || !this.#running || this.#nextPollAt === null) return;
    const allowed = Math.max(this.#o.staleAfterMs, (this.#nextPollAt - clock.now()) * 2 + 30_000);
    const due = this.#lastSuccessMs + allowed - clock.now();
    this.#staleTimer = clock.setTimeout(
      () => {
        if (this.#live) return;
        if (this.#lastSuccessMs !== null && clock.now() - this.#lastSuccessMs >= allowed) this.#setStale(true);
      },
      Math.max(0, due),
    );
  }

  #setStale(stale: boolean): void {
    if (stale === this.#stale) return;
    const before = this.stale;
    this.#stale = stale;
    if (this.#mode !== 'off' && this.stale !== before) this.#o.onStale();
  }

  // --- the stream ---------------------------------------------------------------------------

  #startStream(): void {
    if (this.#mode === 'poll' && this.#started && !this.#stopped) this.#stream.start(this.#source);
  }

  #stopStream(): void {
    this.#stream.stop();
    this.#setLive(false);
  }

  /** Live: polling slows to a backfill and the source is fresh. Dropped: polling resumes at once. */
  #setLive(live: boolean): void {
    if (live === this.#live) return;
    const before = this.stale;
    this.#live = live;
    if (live || !this.#stream.running) this.#reschedule();
    else if (this.#running) void this.#run(this.#o.clock.now());
    if (this.stale !== before) this.#o.onStale();
  }

  #pushed(write: SourceWrite): void {
    try {
      this.#o.ingest(write);
    } catch (err) {
      this.#o.log.error('feed.push_failed', {
        feed: this.#o.feedId,
        source: this.key,
        error: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    this.#lastSuccessMs = this.#o.clock.now();
    this.#setStale(false);
  }
}

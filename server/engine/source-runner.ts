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
import { FailureRecord, type EngineHealth } from './source-health.js';
import { PollTimer } from './poll-timer.js';
import { Freshness } from './freshness.js';
import { nextPollAt, type RunMode } from './schedule.js';
import { StreamLoop } from './stream-loop.js';
import { timedCall } from './timed-call.js';

export type { RunMode, EngineHealth };

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
  #abort: AbortController | undefined;
  #polling: Promise<void> | undefined;
  readonly #failures: FailureRecord;
  readonly #freshness: Freshness;
  readonly #timer: PollTimer;
  /** When the poll in flight (or the last one) was due: regular intervals run from there. */
  #dueAt = 0;
  readonly #stream: StreamLoop;

  constructor(options: SourceRunnerOptions) {
    this.#o = options;
    this.key = options.key;
    this.network = options.network;
    this.#source = options.source;
    this.#schedule = options.schedule;
    this.#intervals = options.intervals;
    this.#mode = this.#effective(options.mode);
    // The feed turns stale or fresh with the source only while it polls and no stream is live.
    this.#freshness = new Freshness({
      ...options,
      onChange: () => {
        if (this.#mode !== 'off' && !this.#stream.live) options.onStale();
      },
    });
    this.#failures = new FailureRecord({ ...options, key: options.key });
    this.#timer = new PollTimer(options.clock, (due) => void this.#run(due));
    this.#stream = new StreamLoop({
      clock: options.clock,
      log: options.log,
      fields: { feed: options.feedId, source: options.key },
      onPush: (posts, removals, cursor) => {
        options.ingest({ posts, removals, cursor: cursor === undefined ? options.cursor() : cursor });
        this.#freshness.succeeded();
      },
      onLive: (live) => this.#setLive(live),
      cursor: options.cursor,
      backoff: () => this.#intervals.backoff,
      random: options.random,
    });
  }

  get source(): Source {
    return this.#source;
  }

  /** Stale only while it is supposed to poll and cannot, and no stream is live. */
  get stale(): boolean {
    return this.#mode !== 'off' && this.#freshness.stale && !this.#stream.live;
  }

  get lastSuccessMs(): number | null {
    return this.#freshness.lastSuccessMs;
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
      this.#timer.clear();
      this.#freshness.stop();
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
    this.#timer.pause();
    this.#freshness.stop();
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
    this.#timer.pause();
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
    return {
      feed: this.#o.feedId,
      source: this.network,
      state,
      stale: this.stale,
      lastSuccessAt: this.lastSuccessMs === null ? null : new Date(this.lastSuccessMs).toISOString(),
      lastError: this.#failures.lastError(view),
      consecutiveFailures: this.#failures.count,
      nextPollAt: this.#timer.at === null ? null : new Date(this.#timer.at).toISOString(),
      ...(this.#source.stream ? { live: this.#stream.live } : {}),
      details: this.#source.health?.(view),
    };
  }

  /** Arms the timer for `at`; `pacing` is the last success's (a regular poll), null for a retry or a poll now. */
  #scheduleAt(at: number, pacing: Pacing | null): void {
    if (this.#running) this.#timer.set(at, pacing);
  }

  /** Moves a pending regular poll after a change of settings or of the stream's state. */
  #reschedule(): void {
    const pacing = this.#timer.pacing;
    if (this.#polling || pacing === null || !this.#running) return;
    this.#scheduleAt(this.#regularAt(pacing), pacing);
    this.#watchStaleness();
  }

  #regularAt(pacing: Pacing): number {
    return nextPollAt({
      dueAt: this.#dueAt,
      mode: this.#mode,
      feed: this.#schedule,
      intervals: this.#intervals,
      pacing,
      live: this.#stream.live,
    });
  }

  async #poll(): Promise<void> {
    const { clock } = this.#o;
    const abort = new AbortController();
    this.#abort = abort;
    let at: number;
    let pacing: Pacing | null = null;
    try {
      const source = this.#source;
      const cursor = this.#o.cursor();
      const compliance = this.#mode === 'compliance' && source.complianceCheck;
      const result = await timedCall(clock, this.#o.pollTimeoutMs, abort, (signal) =>
        compliance ? compliance.call(source, cursor, signal) : source.poll(cursor, signal),
      );
      this.#o.ingest({ posts: result.posts, removals: result.removals, cursor: result.cursor });
      this.#freshness.succeeded();
      pacing = result.pacing ?? {};
      at = this.#regularAt(pacing);
      if (result.partialFailure) {
        at = Math.max(at, clock.now() + this.#failures.failed(result.partialFailure, this.#intervals));
        pacing = null;
      } else this.#failures.recovered();
    } catch (err) {
      if (this.#stopped) return;
      at = clock.now() + this.#failures.failed(err, this.#intervals);
      this.#freshness.failed();
    } finally {
      if (this.#abort === abort) this.#abort = undefined;
    }
    this.#scheduleAt(at, pacing);
    this.#watchStaleness();
  }

  /** Turns the source stale if no poll succeeds within the allowed time (a live stream keeps it fresh). */
  #watchStaleness(): void {
    this.#freshness.watch(this.#running ? this.#timer.at : null, () => this.#stream.live);
  }

  // --- the stream ---------------------------------------------------------------------------

  #startStream(): void {
    if (this.#mode === 'poll' && this.#started && !this.#stopped) this.#stream.start(this.#source);
  }

  #stopStream(): void {
    this.#stream.stop();
  }

  /** Live: polling slows to a backfill and the source is fresh. Dropped: polling resumes at once. */
  #setLive(live: boolean): void {
    if (live || !this.#stream.running) this.#reschedule();
    else if (this.#running) void this.#run(this.#o.clock.now());
    if (this.#mode !== 'off' && this.#freshness.stale) this.#o.onStale();
  }
}

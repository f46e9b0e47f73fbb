/**
 * One source's health, as /api/health shows it, and the failures behind it: the failures of one source in a row: how many, the last one (for /api/health), how long to wait
 * after each (the time the source named, else the network's backoff with jitter), and one log
 * line per distinct failure, with one more when the source recovers.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Random } from '../pacing/jitter.js';
import type { HealthView, PollIntervals } from '../sources/source.js';
import { SourceError } from '../sources/source.js';
import { failureDelayMs } from './schedule.js';

/** A failure as /api/health shows it: when and its state ("unavailable", "misconfigured"…); what it said only for operators. */
export interface HealthError {
  at: string;
  state: string;
  /** A finer cause when the source names one ("dns"): a code of ours, not upstream's words. */
  reason?: string;
  message?: string;
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
  lastError: HealthError | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
  /** For a source that streams: whether its stream is live now. */
  live?: boolean;
  details?: Record<string, unknown>;
}

export interface FailureRecordOptions {
  clock: Clock;
  log: Logger;
  feedId: string;
  /** The source's key in the feed, named in the logs. */
  key: string;
  /** Randomness of the backoff's jitter (tests). */
  random?: Random;
}

export class FailureRecord {
  readonly #o: FailureRecordOptions;
  /** Polls in a row that failed, wholly or in part: the backoff grows with them. */
  #count = 0;
  #last: { at: number; state: string; reason: string | undefined; message: string } | null = null;
  #lastLogged: string | null = null;

  constructor(options: FailureRecordOptions) {
    this.#o = options;
  }

  get count(): number {
    return this.#count;
  }

  /** The last failure since the last success, as `view` may see it. */
  lastError(view: HealthView): HealthError | null {
    const error = this.#last;
    return (
      error && {
        at: new Date(error.at).toISOString(),
        state: error.state,
        ...(error.reason ? { reason: error.reason } : {}),
        ...(view === 'operator' ? { message: error.message } : {}),
      }
    );
  }

  /** A poll succeeded wholly: the count starts again, and a recovery is logged. */
  recovered(): void {
    if (this.#count > 0) this.#o.log.info('feed.recovered', { feed: this.#o.feedId, after: this.#count });
    this.#count = 0;
    this.#last = null;
    this.#lastLogged = null;
  }

  /** Records a failure (of the whole poll or a part) and returns how long to wait before the next poll. */
  failed(err: unknown, intervals: PollIntervals): number {
    const { clock, log } = this.#o;
    this.#count++;
    const message = err instanceof Error ? err.message : String(err);
    const state = err instanceof SourceError ? err.state : 'error';
    const reason = err instanceof SourceError ? err.reason : undefined;
    const now = clock.now();
    this.#last = { at: now, state, reason, message };
    const notBefore = err instanceof SourceError ? err.notBefore : undefined;
    const delay = failureDelayMs(now, this.#count, intervals, notBefore, this.#o.random);
    // One line per distinct failure, not one per poll; none when the source said it already.
    const reported = err instanceof SourceError && err.reported;
    if (message !== this.#lastLogged && !reported) {
      log.warn('feed.poll_failed', {
        feed: this.#o.feedId,
        source: this.#o.key,
        state,
        ...(reason ? { reason } : {}),
        error: message,
        retryInS: Math.round(delay / 1000),
      });
    }
    this.#lastLogged = message;
    return delay;
  }
}

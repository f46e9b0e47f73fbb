/**
 * What the X source says about its failures: the state /api/health shows, the last error (its
 * words for operators only), one log line with a hint per distinct trouble, and the `SourceError`
 * the engine acts on, with the time X itself imposes when there is one (a rate-limit reset, the
 * usage cap, a misconfiguration retried rarely); outages are left to the engine's backoff.
 */
import type { Logger } from '../../log.js';
import type { Redact } from '../../redact.js';
import { SourceError, type HealthView } from '../source.js';
import { startOfNextUtcMonth, type UsageCapPause } from './budget.js';
import type { XApiError, XErrorKind } from './client.js';
import { utcMonth } from './ledger.js';
import { X_WINDOW_MS, type XRateLimits } from './limits.js';

export type XSourceState =
  'starting' | 'ok' | 'rate-limited' | 'usage-capped' | 'misconfigured' | 'unavailable' | 'budget-exhausted';

/** Retry interval when X says the token or the query is wrong: often enough to notice a fix, rarely enough to stay quiet. */
const MISCONFIGURED_RETRY_MS = 15 * 60_000;
/** A paused source still wakes up this often (no X call) so that `resume()` or a new month takes effect. */
export const PAUSED_RECHECK_MS = 60 * 60_000;

/** Failures from the least to the most serious: the most serious one of a poll is the one reported. */
const SEVERITY: XErrorKind[] = ['unavailable', 'rate-limit', 'bad-request', 'auth', 'usage-cap'];

/** The most serious of a poll's failures. */
export function worstOf(failures: readonly XApiError[]): XApiError | undefined {
  return failures.reduce<XApiError | undefined>(
    (w, f) => (!w || SEVERITY.indexOf(f.kind) > SEVERITY.indexOf(w.kind) ? f : w),
    undefined,
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

export class XStatus {
  state: XSourceState = 'starting';
  #lastError: { at: number; kind: string; reason?: string; message: string } | undefined;
  #misconfiguredLogged = false;
  readonly #warnedOnce = new Set<string>();
  readonly #log: Logger;
  readonly #redact: Redact;
  readonly #pause: UsageCapPause;
  readonly #limits: XRateLimits;
  readonly #budget: number | undefined;

  constructor(deps: { log: Logger; redact: Redact; pause: UsageCapPause; limits: XRateLimits; budget?: number }) {
    this.#log = deps.log;
    this.#redact = deps.redact;
    this.#pause = deps.pause;
    this.#limits = deps.limits;
    this.#budget = deps.budget;
  }

  /** A poll that failed nowhere; `state` says what still holds it back (a blocked endpoint, the budget). */
  succeeded(state: XSourceState): void {
    this.state = state;
    this.#misconfiguredLogged = false;
  }

  /** An operator resumed: start afresh (the next misconfiguration is logged again). */
  reset(): void {
    this.state = 'starting';
    this.#misconfiguredLogged = false;
  }

  /** The last error for /api/health: its words only for operators (a gateway may echo anything). */
  lastError(view: HealthView) {
    const e = this.#lastError;
    return e
      ? {
          at: iso(e.at),
          kind: e.kind,
          ...(e.reason ? { reason: e.reason } : {}),
          ...(view === 'operator' ? { message: e.message } : {}),
        }
      : null;
  }

  /** A usage-cap pause in force: fails at once, with no call to X. */
  paused(until: number, now: number): SourceError {
    this.state = 'usage-capped';
    return new SourceError(`X usage cap reached; paused until ${iso(until)} or an operator resumes`, {
      state: 'usage-capped',
      notBefore: Math.min(until, now + PAUSED_RECHECK_MS),
    });
  }

  /** Every endpoint the feed reads is blocked until `until` (no call was made). */
  blocked(until: number, now: number): SourceError {
    const message = 'X rate limit: waiting for the window to reset';
    this.state = 'rate-limited';
    this.#lastError = { at: now, kind: 'rate-limit', message };
    return new SourceError(message, { state: 'rate-limited', notBefore: Math.max(now, until) + 1000 });
  }

  /** The failure to report for `kind`, logged once with a hint where a person must act. */
  fail(kind: XErrorKind | 'budget', err: XApiError | undefined, now: number): SourceError {
    const message = this.#redact(err?.message ?? 'X error');
    this.#lastError = { at: now, kind, message, ...(err?.reason ? { reason: err.reason } : {}) };
    const log = this.#log;
    switch (kind) {
      case 'usage-cap': {
        const until = startOfNextUtcMonth(now);
        if (this.#pause.start(until)) {
          log.error('x.usage-cap', {
            message,
            pausedUntil: iso(until),
            hint: 'raise the cap in the X developer console, then resume the feed',
          });
        }
        this.state = 'usage-capped';
        return new SourceError(`${message}; paused until ${iso(until)} or an operator resumes`, {
          state: 'usage-capped',
          notBefore: Math.min(until, now + PAUSED_RECHECK_MS),
          cause: err,
          reported: true,
        });
      }
      case 'auth':
      case 'bad-request': {
        this.state = 'misconfigured';
        if (!this.#misconfiguredLogged) {
          this.#misconfiguredLogged = true;
          log.error('x.misconfigured', {
            status: err?.status,
            message,
            hint:
              kind === 'auth'
                ? 'check X_BEARER_TOKEN and that the app is attached to a project with API access'
                : 'X rejected the query: check the feed accounts and hashtags',
          });
        }
        const notBefore = now + MISCONFIGURED_RETRY_MS;
        return new SourceError(message, { state: 'misconfigured', notBefore, cause: err, reported: true });
      }
      case 'rate-limit': {
        this.state = 'rate-limited';
        const resetAt = (err && this.#limits.blockedUntil(err.endpoint, now)) ?? now + X_WINDOW_MS;
        const notBefore = Math.max(now, resetAt) + 1000;
        log.warn('x.rate-limited', { endpoint: err?.endpoint, until: iso(notBefore) });
        return new SourceError(message, { state: 'rate-limited', notBefore, cause: err });
      }
      case 'budget': {
        this.state = 'budget-exhausted';
        const until = startOfNextUtcMonth(now);
        if (!this.#warnedOnce.has(`budget-${utcMonth(now)}`)) {
          this.#warnedOnce.add(`budget-${utcMonth(now)}`);
          log.warn('x.budget.exhausted', { monthlyPostBudget: this.#budget, until: iso(until) });
        }
        return new SourceError(`monthly post budget of ${this.#budget} reads is used up until ${iso(until)}`, {
          state: 'budget-exhausted',
          notBefore: Math.min(until, now + PAUSED_RECHECK_MS),
        });
      }
      default:
        // Outages, timeouts, unreadable answers: the engine backs off with jitter.
        this.state = 'unavailable';
        return new SourceError(message, { state: 'unavailable', cause: err, reason: err?.reason });
    }
  }
}

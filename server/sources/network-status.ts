/**
 * What a free network's source (Mastodon, Bluesky) says about its failures: the state /api/health
 * shows, the last error (its words for operators only: upstream may echo anything), one log line
 * per distinct trouble or standing problem, and the `SourceError` the engine acts on, with the
 * time the network imposes when there is one (a rate-limit reset, a login to set up, retried
 * rarely); outages are left to the engine's backoff.
 */
import type { Logger } from '../log.js';
import type { RateLimit } from '../pacing/rate-limit.js';
import { SourceError, type HealthView } from './source.js';

/** A network's failure, classified by its client. */
export interface ClassifiedFailure {
  kind: string;
  message: string;
  rateLimit?: RateLimit;
}

/** Retry interval when the server must be set up (a token, an account): often enough to notice a fix, rarely enough to stay quiet. */
export const MISCONFIGURED_RETRY_MS = 15 * 60_000;

/** The state /api/health shows for each kind of failure, and whether it names its own retry time. */
const STATES: Record<string, { state: string; severity: number; setUp?: true }> = {
  unavailable: { state: 'unavailable', severity: 0 },
  'rate-limit': { state: 'rate-limited', severity: 1 },
  'bad-request': { state: 'misconfigured', severity: 2, setUp: true },
  'not-found': { state: 'misconfigured', severity: 2, setUp: true },
  'login-required': { state: 'login-required', severity: 3, setUp: true },
  'credentials-missing': { state: 'login-required', severity: 3, setUp: true },
  auth: { state: 'misconfigured', severity: 4, setUp: true },
};

const stateOf = (kind: string) => STATES[kind] ?? STATES.unavailable!;

/** The most serious of a poll's failures. */
export function worstFailure<F extends ClassifiedFailure>(failures: readonly F[]): F | undefined {
  return failures.reduce<F | undefined>(
    (w, f) => (!w || stateOf(f.kind).severity > stateOf(w.kind).severity ? f : w),
    undefined,
  );
}

/** The error the engine acts on for `failure`, at `now`. */
export function sourceErrorOf(failure: ClassifiedFailure, now: number): SourceError {
  const { state, setUp } = stateOf(failure.kind);
  const reset = failure.rateLimit?.resetAt;
  const notBefore =
    failure.kind === 'rate-limit' && reset !== undefined && reset > now
      ? reset
      : setUp
        ? now + MISCONFIGURED_RETRY_MS
        : undefined;
  return new SourceError(failure.message, { state, reported: true, ...(notBefore ? { notBefore } : {}) });
}

export class NetworkStatus {
  state = 'starting';
  #lastError: { at: number; message: string } | undefined;
  #lastLogged: string | undefined;
  /** Standing problems by key: the message for operators, and one in our own words for everyone. */
  readonly #problems = new Map<string, { message: string; public: string }>();

  constructor(
    private readonly log: Logger,
    private readonly event: string,
  ) {}

  /** A failure: logged when it differs from the last one, remembered for health, and returned as the engine's error. */
  fail(failure: ClassifiedFailure, now: number): SourceError {
    const error = sourceErrorOf(failure, now);
    this.state = error.state;
    this.#lastError = { at: now, message: failure.message };
    const key = `${failure.kind}:${failure.message}`;
    if (key !== this.#lastLogged) {
      this.#lastLogged = key;
      this.log.warn(`${this.event}.failed`, { kind: failure.kind, state: error.state, error: failure.message });
    }
    return error;
  }

  succeeded(): void {
    this.state = this.#problems.size > 0 ? 'degraded' : 'ok';
    this.#lastLogged = undefined;
  }

  /**
   * A standing problem (hashtag search without an account): logged once, shown in health until
   * cleared (`message` undefined). `publicMessage` holds no text from upstream (default `message`).
   */
  problem(key: string, message: string | undefined, publicMessage = message): void {
    if (message === undefined) {
      this.#problems.delete(key);
      return;
    }
    if (this.#problems.get(key)?.message !== message) this.log.warn(`${this.event}.${key}`, { problem: message });
    this.#problems.set(key, { message, public: publicMessage ?? message });
  }

  /** For /api/health: the state and standing problems (our own words); the last error's text to operators only. */
  health(view: HealthView): Record<string, unknown> {
    const last = this.#lastError;
    return {
      state: this.state,
      problems: Object.fromEntries(
        [...this.#problems].map(([key, p]) => [key, view === 'operator' ? p.message : p.public]),
      ),
      lastError: last
        ? { at: new Date(last.at).toISOString(), ...(view === 'operator' ? { message: last.message } : {}) }
        : null,
    };
  }
}

/**
 * X's rate limits, shared by every X feed of the server (one app, one token): what each endpoint
 * has left, every call made through them (no call to an endpoint before its reset), and the floor
 * under a feed's poll interval so that all X feeds together stay within the limits.
 */
import type { Clock } from '../../clock.js';
import { blockedUntil, callsAcrossFeeds, exhausted, minIntervalMs, type RateLimit } from '../../pacing/rate-limit.js';
import type { SourceState } from '../source.js';
import { XApiError, type XAnswer, type XEndpoint } from './client.js';

/** X's rate-limit window. */
export const X_WINDOW_MS = 15 * 60_000;

/** Calls allowed per 15 minutes, app (bearer) auth, 2026 documentation, until X's headers say otherwise. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<XEndpoint, number>> = {
  search: 450,
  timeline: 10_000,
  user: 300,
  lookup: 450,
};

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('poll aborted');
}

export class XRateLimits {
  readonly #shared: SourceState;
  readonly #configured: Partial<Record<XEndpoint, number>>;
  readonly #clock: Clock;

  /** `shared`: every X feed's state (keys `rateLimits`, `callsPerPoll`); `configured`: limits known before X says. */
  constructor(shared: SourceState, clock: Clock, configured: Partial<Record<XEndpoint, number>> = {}) {
    this.#shared = shared;
    this.#clock = clock;
    this.#configured = configured;
  }

  /** The last limit X announced per endpoint. */
  all(): Partial<Record<XEndpoint, RateLimit>> {
    return this.#shared.get<Partial<Record<XEndpoint, RateLimit>>>('rateLimits') ?? {};
  }

  #save(endpoint: XEndpoint, rateLimit: RateLimit): void {
    this.#shared.set('rateLimits', { ...this.all(), [endpoint]: rateLimit });
  }

  /** When `endpoint` may be called again (undefined: now). */
  blockedUntil(endpoint: XEndpoint, now: number): number | undefined {
    return blockedUntil(this.all()[endpoint], now);
  }

  /** Calls allowed per window on `endpoint`: what X said last, else the configuration, else the documentation. */
  limitOf(endpoint: XEndpoint): number {
    return this.all()[endpoint]?.limit ?? this.#configured[endpoint] ?? DEFAULT_RATE_LIMITS[endpoint];
  }

  /**
   * One call to X: stops waiting when `signal` aborts (twitter-api-v2 takes no signal; the request
   * itself ends at its timeout), and records the limit the answer or the failure announced. A 429
   * leaves the endpoint blocked until its reset (a whole window when X names none). Throws `XApiError`.
   */
  async call<T>(endpoint: XEndpoint, signal: AbortSignal, run: () => Promise<XAnswer<T>>): Promise<T> {
    if (signal.aborted) throw abortError(signal);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const answer = await Promise.race([run(), aborted]);
      if (answer.rateLimit) this.#save(endpoint, answer.rateLimit);
      return answer.body;
    } catch (err) {
      if (!(err instanceof XApiError)) throw err;
      if (err.kind === 'rate-limit') {
        const fallback = { limit: this.limitOf(endpoint), windowMs: X_WINDOW_MS };
        this.#save(endpoint, exhausted(err.rateLimit, fallback, this.#clock.now()));
      } else if (err.rateLimit) this.#save(endpoint, err.rateLimit);
      throw err;
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The rate-limit floor of `feedId` reading `calls` per poll (searches and timelines), counted
   * with every other X feed's calls: the shortest interval at which all of them stay within the limits.
   */
  floorMs(feedId: string, calls: { search: number; timeline: number }, now: number): number {
    const sums = callsAcrossFeeds(this.#shared, 'callsPerPoll', feedId, calls, now);
    return Math.max(
      ...(['search', 'timeline'] as const).map((e) =>
        minIntervalMs({ limit: this.limitOf(e), windowMs: X_WINDOW_MS }, sums[e] ?? 0),
      ),
    );
  }

  /** For /api/health. */
  health(): Record<string, { limit: number; remaining: number; resetAt: string }> {
    return Object.fromEntries(
      Object.entries(this.all()).map(([e, rl]) => [
        e,
        { limit: rl.limit, remaining: rl.remaining, resetAt: new Date(rl.resetAt).toISOString() },
      ]),
    );
  }
}

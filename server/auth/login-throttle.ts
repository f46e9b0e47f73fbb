/**
 * Slows down password guessing, per account and per address: after 5 failures
 * within 15 minutes, each further attempt must wait (1 s, 2 s, 4 s… capped at
 * 15 min) and is refused until then. A success clears the account's count. The
 * memory is bounded: beyond `maxKeys`, the least recently used key is forgotten.
 */
import type { Clock } from '../clock.js';

export interface LoginThrottleOptions {
  clock: Clock;
  /** Failures allowed before attempts must wait (default 5). */
  freeFailures?: number;
  /** Failures are forgotten after this long without one, counted from the end of the last wait (default 15 min). */
  windowMs?: number;
  /** First wait, doubled at each further failure (default 1 s). */
  baseDelayMs?: number;
  /** Longest wait (default 15 min). */
  maxDelayMs?: number;
  /** Accounts and addresses remembered at most (default 20,000). */
  maxKeys?: number;
}

/** What an attempt is checked against: the account tried (when known) and the client's address. */
export interface AttemptKeys {
  account?: string;
  address: string;
}

export type Attempt =
  | { allowed: false; retryAfterMs: number }
  | {
      allowed: true;
      /** The credentials were right: clears the account's failures and takes back this attempt's count for the address. */
      succeeded(): void;
    };

interface Entry {
  failures: number;
  lastFailureMs: number;
  blockedUntilMs: number;
}

export class LoginThrottle {
  readonly #clock: Clock;
  readonly #free: number;
  readonly #windowMs: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #maxKeys: number;
  /** Keys in least-recently-used order (a Map keeps insertion order; a touched key is re-inserted). */
  readonly #entries = new Map<string, Entry>();

  constructor(options: LoginThrottleOptions) {
    this.#clock = options.clock;
    this.#free = options.freeFailures ?? 5;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#baseMs = options.baseDelayMs ?? 1000;
    this.#maxMs = options.maxDelayMs ?? 15 * 60_000;
    this.#maxKeys = options.maxKeys ?? 20_000;
  }

  /** Keys remembered now (for tests of the bound). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Checks an attempt and, when it may go on, counts it as a failure before the
   * credentials are checked, so that parallel guesses cannot all slip through;
   * `succeeded()` takes it back.
   */
  attempt(keys: AttemptKeys): Attempt {
    const now = this.#clock.now();
    const names = this.#names(keys);
    const waitMs = Math.max(0, ...names.map((name) => (this.#live(name, now)?.blockedUntilMs ?? 0) - now));
    if (waitMs > 0) return { allowed: false, retryAfterMs: waitMs };
    for (const name of names) this.#fail(name, now);
    return {
      allowed: true,
      succeeded: () => {
        if (keys.account !== undefined) this.#entries.delete(`account:${keys.account.toLowerCase()}`);
        this.#forgiveOne(`address:${keys.address}`);
      },
    };
  }

  #names(keys: AttemptKeys): string[] {
    const names = [`address:${keys.address}`];
    if (keys.account !== undefined) names.push(`account:${keys.account.toLowerCase()}`);
    return names;
  }

  /** The entry of a key, dropped when its failures are old enough to forget. */
  #live(name: string, now: number): Entry | undefined {
    const entry = this.#entries.get(name);
    if (entry && now - Math.max(entry.lastFailureMs, entry.blockedUntilMs) > this.#windowMs) {
      this.#entries.delete(name);
      return undefined;
    }
    return entry;
  }

  #fail(name: string, now: number): void {
    const entry = this.#live(name, now) ?? { failures: 0, lastFailureMs: now, blockedUntilMs: 0 };
    entry.failures += 1;
    entry.lastFailureMs = now;
    entry.blockedUntilMs = this.#blockedUntil(entry);
    this.#entries.delete(name);
    this.#entries.set(name, entry);
    while (this.#entries.size > this.#maxKeys) this.#entries.delete(this.#entries.keys().next().value!);
  }

  #forgiveOne(name: string): void {
    const entry = this.#entries.get(name);
    if (!entry) return;
    entry.failures -= 1;
    if (entry.failures <= 0) this.#entries.delete(name);
    else entry.blockedUntilMs = this.#blockedUntil(entry);
  }

  #blockedUntil(entry: Entry): number {
    const over = entry.failures - this.#free;
    if (over < 0) return 0;
    return entry.lastFailureMs + Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(over, 30));
  }
}

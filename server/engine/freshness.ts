/**
 * Whether a source's posts are fresh: stale after a failed poll, or when no poll has succeeded
 * for longer than allowed (the feed's `staleAfter`, or twice the wait for the next poll plus
 * 30 s when polls are further apart); fresh again at the next success, polled or pushed.
 */
import type { Clock } from '../clock.js';

export interface FreshnessOptions {
  clock: Clock;
  staleAfterMs: number;
  /** Whether the source was stale when made (from the stored last success). */
  stale: boolean;
  lastSuccessMs: number | null;
  /** Called when the source turns stale or fresh. */
  onChange(): void;
}

export class Freshness {
  readonly #o: FreshnessOptions;
  #stale: boolean;
  #lastSuccessMs: number | null;
  #timer: unknown;

  constructor(options: FreshnessOptions) {
    this.#o = options;
    this.#stale = options.stale;
    this.#lastSuccessMs = options.lastSuccessMs;
  }

  get stale(): boolean {
    return this.#stale;
  }

  get lastSuccessMs(): number | null {
    return this.#lastSuccessMs;
  }

  /** A poll or a push was stored: fresh. */
  succeeded(): void {
    this.#lastSuccessMs = this.#o.clock.now();
    this.#set(false);
  }

  /** A poll failed: stale. */
  failed(): void {
    this.#set(true);
  }

  /**
   * Turns the source stale if nothing succeeds before the next poll (at `nextPollAt`; null: none is
   * planned, nothing to watch) and a while after it. `live()` tells whether a stream keeps it fresh.
   */
  watch(nextPollAt: number | null, live: () => boolean): void {
    const { clock } = this.#o;
    clock.clearTimeout(this.#timer);
    if (this.#stale || this.#lastSuccessMs === null || nextPollAt === null) return;
    const allowed = Math.max(this.#o.staleAfterMs, (nextPollAt - clock.now()) * 2 + 30_000);
    const due = this.#lastSuccessMs + allowed - clock.now();
    this.#timer = clock.setTimeout(
      () => {
        if (live()) return;
        if (this.#lastSuccessMs !== null && clock.now() - this.#lastSuccessMs >= allowed) this.#set(true);
      },
      Math.max(0, due),
    );
  }

  stop(): void {
    this.#o.clock.clearTimeout(this.#timer);
  }

  #set(stale: boolean): void {
    if (stale === this.#stale) return;
    this.#stale = stale;
    this.#o.onChange();
  }
}

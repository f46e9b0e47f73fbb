/** The one timer of a source's loop: when its next poll runs, and whether that poll is a regular one. */
import type { Clock } from '../clock.js';
import type { Pacing } from '../sources/source.js';

export class PollTimer {
  readonly #clock: Clock;
  readonly #run: (dueAt: number) => void;
  #timer: unknown;
  #at: number | null = null;
  #pacing: Pacing | null = null;

  /** `run(dueAt)` is called when the timer fires, with the time the poll was due. */
  constructor(clock: Clock, run: (dueAt: number) => void) {
    this.#clock = clock;
    this.#run = run;
  }

  /** When the next poll runs (ms since the epoch), or null when none is planned. */
  get at(): number | null {
    return this.#at;
  }

  /** What the last successful poll reported, when the planned poll is a regular one; null for a retry or a poll now. */
  get pacing(): Pacing | null {
    return this.#pacing;
  }

  /** Plans the next poll at `at` (an overdue poll is due now: the intervals after it run from now). */
  set(at: number, pacing: Pacing | null): void {
    const clock = this.#clock;
    clock.clearTimeout(this.#timer);
    const now = clock.now();
    const due = Math.max(now, at);
    this.#pacing = pacing;
    this.#at = due;
    this.#timer = clock.setTimeout(() => this.#run(due), due - now);
  }

  /** Stops the timer, as a poll starts (`at` stays, for /api/health). */
  pause(): void {
    this.#clock.clearTimeout(this.#timer);
  }

  /** Plans nothing. */
  clear(): void {
    this.pause();
    this.#at = null;
  }
}

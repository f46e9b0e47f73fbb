/**
 * The polling fallback of the live connection: while the event stream cannot
 * be used, the snapshot is fetched every few seconds, and the stream is tried
 * again from time to time, less and less often while it keeps failing.
 */
import { spreadJitter } from '../../server/pacing/jitter.js';
import type { FeedEnvironment } from './environment.js';

/** Default milliseconds between two polls. */
export const DEFAULT_POLL_INTERVAL = 30_000;
/** While polling, how long before trying the stream again, at first and at most. */
const FIRST_PROBE_DELAY = 60_000;
const MAX_PROBE_DELAY = 600_000;

export interface PollerOptions {
  environment: () => FeedEnvironment;
  /** Milliseconds between two polls, before jitter. */
  interval: () => number;
  /** Fetches the snapshot. */
  poll: () => void;
  /** Tries the event stream again. */
  probe: () => void;
}

/** Polls and probes on timers of its own; inert until started, and again once stopped. */
export class Poller {
  /** Whether the connection is on the fallback. */
  active = false;

  private readonly options: PollerOptions;
  private pollTimer: number | undefined;
  private probeTimer: number | undefined;
  private probeDelay = FIRST_PROBE_DELAY;

  constructor(options: PollerOptions) {
    this.options = options;
  }

  private get env(): FeedEnvironment {
    return this.options.environment();
  }

  /** Polls every interval, and probes the stream later where the browser has one. */
  start(): void {
    this.active = true;
    this.schedulePoll();
    if (this.env.EventSource) this.scheduleProbe();
  }

  /** Back on the stream, or starting again: no more polls or probes, and the next fallback probes soon. */
  stop(): void {
    this.active = false;
    this.clearTimers();
    this.probeDelay = FIRST_PROBE_DELAY;
  }

  private clearTimers(): void {
    if (this.pollTimer !== undefined) this.env.clearTimeout(this.pollTimer);
    if (this.probeTimer !== undefined) this.env.clearTimeout(this.probeTimer);
    this.pollTimer = undefined;
    this.probeTimer = undefined;
  }

  /** A probe failed: try the stream again later, twice as late as last time (up to a cap). */
  scheduleProbe(): void {
    if (this.probeTimer !== undefined) this.env.clearTimeout(this.probeTimer);
    const delay = spreadJitter(this.probeDelay, 0.25, () => this.env.random());
    this.probeDelay = Math.min(MAX_PROBE_DELAY, this.probeDelay * 2);
    this.probeTimer = this.env.setTimeout(() => {
      this.probeTimer = undefined;
      if (this.active) this.options.probe();
    }, delay);
  }

  /** Tries the stream now instead of at the next probe. */
  probeNow(): void {
    if (this.probeTimer !== undefined) this.env.clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.options.probe();
  }

  private schedulePoll(): void {
    this.pollTimer = this.env.setTimeout(
      () => {
        this.pollTimer = undefined;
        if (!this.active) return;
        this.schedulePoll();
        this.options.poll();
      },
      spreadJitter(this.options.interval(), 0.1, () => this.env.random()),
    );
  }
}

/**
 * The seam between a network and the feed engine: what a source implements, and what it reports.
 *
 * A source never talks to visitors and never writes the store itself. The engine owns the
 * schedule (event window, `pollSeconds`, the network's fast and slow intervals, backoff with
 * jitter, staleness) and calls `poll()`; the source only reports what the next poll must respect
 * (`Pacing`), and may push posts between polls (`stream`). The engine stores what comes back in
 * one transaction with the new cursor, with images rewritten to this server's `/media/`, and
 * hands the changes to delivery. See `README.md` beside this file.
 */
import type { Config } from '../config.js';
import type { Post, SourceKind } from '../contract.js';
import type { FeedSettings, FeedSource } from '../feeds/settings.js';
import type { Clock } from '../clock.js';
import type { SourceState } from '../store/source-state.js';
import type { Logger } from '../log.js';
import type { BackoffPolicy } from '../pacing/backoff.js';

export type { SourceState } from '../store/source-state.js';

/**
 * What the next poll must respect, as the source knows it; the engine's schedule decides within
 * these bounds. Every field is optional: a source with no limit reports nothing.
 */
export interface Pacing {
  /** Rate-limit floor: the shortest interval between two polls that keeps within the network's limits (ms). */
  minIntervalMs?: number;
  /** Budget pace: a slow-down factor (≥ 1) applied to the interval, e.g. as a monthly budget runs low. */
  slowdown?: number;
  /** Poll again no later than this (ms since the epoch): what the network's terms require (X: re-check displayed posts within a day). */
  pollBy?: number;
  /** No poll before this time (ms since the epoch): a rate-limit reset, a usage-cap pause. */
  notBefore?: number;
}

/** What one poll brings back. */
export interface PollResult {
  /** New or changed posts (an edit carries the same id as the post it replaces, or removes it). */
  posts: Post[];
  /** Ids of posts to remove everywhere (deleted, protected, withheld upstream). */
  removals: string[];
  /** The opaque cursor to hand back on the next poll; stored with the posts. */
  cursor: string | null;
  /** What the next poll must respect. */
  pacing?: Pacing;
  /**
   * A failure of part of the poll (one endpoint of several): what came is stored and the feed stays
   * fresh, but the next poll waits as after a failure (until its `notBefore`, else the backoff).
   */
  partialFailure?: SourceError;
}

/** Raised by a source for a failure that should mark the feed stale and be retried later. */
export class SourceError extends Error {
  /** A short machine-readable state for /api/health: "rate-limited", "misconfigured", "unavailable"... */
  readonly state: string;
  /**
   * No retry before this time (ms since the epoch): a rate-limit reset, a pause, a misconfiguration
   * retried rarely. Without it the engine backs off with jitter.
   */
  readonly notBefore: number | undefined;
  /** True when the source has already logged this failure itself (with its own hint): the engine stays quiet. */
  readonly reported: boolean;
  /** A finer machine-readable cause, for /api/health and the logs: "dns"... */
  readonly reason: string | undefined;

  constructor(
    message: string,
    options: ErrorOptions & { state?: string; notBefore?: number; reported?: boolean; reason?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SourceError';
    this.state = options.state ?? 'unavailable';
    this.notBefore = options.notBefore;
    this.reported = options.reported ?? false;
    this.reason = options.reason;
  }
}

/** Where a streaming source hands what it receives between polls. */
export interface PushSink {
  /**
   * Posts (and removals) the stream brought, stored at once as a poll's are. `cursor`, when given,
   * replaces the stored cursor, so it must be one `poll` understands; without it the cursor stays.
   */
  posts(posts: Post[], removals?: string[], cursor?: string | null): void;
  /** The stream is live (true) or dropped (false). While live, polling is only a slow backfill. */
  live(live: boolean): void;
  /**
   * The cursor stored now (by the last poll or push; null before any): where a stream resumes
   * after a restart (Jetstream's time cursor, kept inside the source's own cursor).
   */
  cursor(): string | null;
}

/** Who reads /api/health: anyone, or an operator who sent `ADMIN_TOKEN`. */
export type HealthView = 'public' | 'operator';

export interface SourceContext {
  /** The feed's settings when the source was made (it is made again when they change). */
  feed: FeedSettings;
  /** This source's entry in the feed's settings (its network, accounts, and the network's own fields). */
  source: FeedSource;
  /** State of this source for this feed (scope `<feedId>:<sourceKey>`). */
  state: SourceState;
  /** State shared by every feed reading the same upstream (scope `<sourceKey>`): limits, budgets. */
  sharedState: SourceState;
  clock: Clock;
  log: Logger;
  /** Ids of the posts the feed currently shows from this network (for compliance re-checks). */
  displayedIds(): string[];
}

export interface Source {
  readonly kind: SourceKind;
  /**
   * Asks for what is newer than `cursor` (null on the very first poll).
   * Throws `SourceError` (or anything else) on failure; the engine keeps
   * serving the last good posts, flagged stale, and retries.
   */
  poll(cursor: string | null, signal: AbortSignal): Promise<PollResult>;
  /**
   * For a network that can push: runs while the feed is active, hands posts to `sink` between
   * polls and says when it is live. It reconnects by itself; the engine aborts `signal` when it
   * no longer wants it, and calls it again (after a backoff) if it returns or throws.
   */
  stream?(sink: PushSink, signal: AbortSignal): Promise<void>;
  /**
   * Health details for /api/health; never a secret. In the `public` view, no text from upstream
   * either (a gateway may echo anything): states, times and counts only. Public by default.
   */
  health?(view?: HealthView): Record<string, unknown>;
  /**
   * For an archived feed: only what the network's terms require while its posts are displayed
   * (X: the compliance re-check removes deleted posts), no new posts. A source without it is not
   * polled once its feed is archived.
   */
  complianceCheck?(cursor: string | null, signal: AbortSignal): Promise<PollResult>;
  /** An operator's "resume now" after a pause (e.g. X's monthly usage cap was raised). */
  resume?(): void;
  close?(): void | Promise<void>;
}

/** The engine's cadence for one network: the feed's event window and `pollSeconds` choose among these. */
export interface PollIntervals {
  /** Inside the feed's event window (ms). */
  fastMs: number;
  /** Outside the event window, before it (waking at its start) and after it; also while a stream is live (ms). */
  slowMs: number;
  /** For a feed with no event window (ms). */
  defaultMs: number;
  /** Waits after failures that name no time: doubling from `baseMs` to `capMs`, with jitter. */
  backoff: BackoffPolicy;
}

/** What the engine applies to one source besides polling it: the network's cadence and image hosts. */
export interface NetworkPolicy {
  intervals: PollIntervals;
  /**
   * Hosts of this network's images (avatars, photos, previews) that visitors load through this
   * server's `/media/<host>/…` instead of from the network.
   */
  imageHosts: readonly string[];
}

/**
 * A network, as the wiring (`sources/index.ts`) knows it: how to make its sources, its cadence,
 * and its image hosts. Adding a network is a folder with a `Source` and one of these.
 */
export interface NetworkModule {
  /** Makes the source of one entry of a feed's sources. */
  create(context: SourceContext, config: Config): Source;
  /** The engine's intervals for this network's source in `feed` (from the config, and the feed for the demo's pace). */
  intervals(config: Config, feed: FeedSettings): PollIntervals;
  /** This network's own image hosts, proxied for every feed (X: `pbs.twimg.com`). */
  readonly imageHosts: readonly string[];
  /** Image hosts one entry of a feed adds (a Mastodon instance named in its settings). */
  entryImageHosts?(entry: FeedSource): readonly string[];
}

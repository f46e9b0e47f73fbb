/**
 * The source interface: how the feed engine asks a network for what is new.
 *
 * A source never talks to visitors and never writes the store itself: the
 * engine calls `poll()` on its own schedule, stores what comes back in one
 * transaction with the new cursor, and hands the changes to delivery.
 */
import type { Post, SourceKind } from '../contract.js';
import type { FeedSettings } from '../feeds/settings.js';
import type { Clock } from '../clock.js';
import type { SourceState } from '../store/source-state.js';
import type { Logger } from '../log.js';

/** What one poll brings back. */
export interface PollResult {
  /** New or changed posts (an edit carries the same id as the post it replaces, or `replaces`). */
  posts: Post[];
  /** Ids of posts to remove everywhere (deleted, protected, withheld upstream). */
  removals: string[];
  /** The opaque cursor to hand back on the next poll; stored with the posts. */
  cursor: string | null;
  /**
   * When the source wants to be polled again, in ms from now. The engine
   * never polls earlier; it may poll later.
   */
  nextPollInMs: number;
}

export type { SourceState } from '../store/source-state.js';

/** Raised by a source for a failure that should mark the feed stale and be retried later. */
export class SourceError extends Error {
  /** True when the source has already logged this failure itself (with its own hint): the engine stays quiet. */
  readonly reported: boolean;

  constructor(
    message: string,
    /** When to try again, in ms from now. */
    readonly retryInMs: number,
    /** A short machine-readable state for /api/health: "rate-limited", "misconfigured", "unavailable"... */
    readonly state: string = 'unavailable',
    options?: ErrorOptions & { reported?: boolean },
  ) {
    super(message, options);
    this.name = 'SourceError';
    this.reported = options?.reported ?? false;
  }
}

/** Who reads /api/health: anyone, or an operator who sent `ADMIN_TOKEN`. */
export type HealthView = 'public' | 'operator';

export interface SourceContext {
  /** The feed's settings when the source was made (it is made again when they change). */
  feed: FeedSettings;
  /** State of this source for this feed. */
  state: SourceState;
  /** State of this kind of source shared by all feeds (e.g. a monthly budget across feeds). */
  sharedState: SourceState;
  clock: Clock;
  log: Logger;
  /** Ids of the posts the feed currently shows (for compliance re-checks). */
  displayedIds(): string[];
}

export interface Source {
  readonly kind: SourceKind;
  /**
   * Ask for what is newer than `cursor` (null on the very first poll).
   * Throws `SourceError` (or anything else) on failure; the engine keeps
   * serving the last good posts, flagged stale, and retries.
   */
  poll(cursor: string | null, signal: AbortSignal): Promise<PollResult>;
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

export type SourceFactory = (context: SourceContext) => Source;

/** The store's own vocabulary, shared with the layers above it (moderation, engine, delivery). */
import type { Alert, FeedInfo, Post } from '../contract.js';

/** Where a stored post stands: on the wall, waiting for an organiser, hidden, or outside the feed's settings. */
export type Visibility = 'shown' | 'held' | 'hidden' | 'filtered';

/** What the rules say about a post (`moderation/rules.ts`). */
export interface Verdict {
  visibility: Visibility;
  /** Why (`mode-pre`, `blocked-account`, `blocked-term:<term>`, `sensitive-media`, `organiser`…), or null. */
  reason: string | null;
  /** Shown with its media covered (`sensitive: true` on the wire). */
  blur: boolean;
}

/** The organisers' current decision on a post: approved or hidden, pinned or not. */
export interface DecisionState {
  decision: 'approved' | 'hidden' | null;
  /** When it was pinned, or null. */
  pinnedMs: number | null;
  decidedBy: string;
  decidedMs: number;
  reason: string | null;
}

/**
 * Decides a post's visibility from the feed's rules and the organisers' decision (applied when
 * posts change). `network` is the source that brought the post (`organisers` for announcements).
 */
/** Where a post stands; `onWall` when it is shown already by the rules (not by an organiser's approval). */
export type Judge = (post: Post, decision: DecisionState | null, network: string, onWall: boolean) => Verdict;

/** A public change of a feed, with the revision it produced (the SSE event id). */
export type FeedChange =
  | { kind: 'post'; revision: number; post: Post }
  | { kind: 'remove'; revision: number; id: string }
  | { kind: 'alert'; revision: number; alert: Alert | null }
  | { kind: 'feed'; revision: number; feed: FeedInfo };

/** A stored post as organisers see it in the console's queue. */
export interface QueueItem {
  /** The post as the wall shows it (or would show it). */
  post: Post;
  visibility: Visibility;
  reason: string | null;
  decision: 'approved' | 'hidden' | null;
  decidedBy: string | null;
  /** ISO 8601. */
  decidedAt: string | null;
  /** ISO 8601: when the post was stored (or last changed). */
  storedAt: string;
}

/** A change of the organisers' queue: a post entered or changed, or left the store. */
export type QueueChange = { kind: 'queue'; item: QueueItem } | { kind: 'dequeue'; id: string };

/** What a write did: public changes for delivery, queue changes for the organisers' stream. */
export interface Outcome {
  changes: FeedChange[];
  queue: QueueChange[];
}

export interface PollWrite {
  posts: Post[];
  removals: string[];
  cursor: string | null;
}

export function emptyOutcome(): Outcome {
  return { changes: [], queue: [] };
}

/** Adds `more` to `into` (in place) and returns `into`. */
export function mergeOutcome(into: Outcome, more: Outcome): Outcome {
  into.changes.push(...more.changes);
  into.queue.push(...more.queue);
  return into;
}

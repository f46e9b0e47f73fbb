/**
 * The moderation vocabulary the admin routes and the console build on. Types only: the console
 * may import this module type-only.
 */
export type { DecisionState, QueueChange, QueueItem, Verdict, Visibility } from '../store/types.js';
import type { QueueItem } from '../store/types.js';

/** Who acts: an organiser (with a role), or the system itself (`config-file`, `admin-token`, `system`). */
export type Actor =
  | { username: string; role: 'admin' | 'moderator' }
  | { username: 'config-file' | 'admin-token' | 'system'; role?: 'admin' };

/** The one-tap actions on a post. */
export type DecisionAction = 'approve' | 'hide' | 'unhide' | 'pin' | 'unpin';

export const DECISION_ACTIONS: readonly DecisionAction[] = ['approve', 'hide', 'unhide', 'pin', 'unpin'];

/** One line of the audit log, as the console shows it. */
export interface AuditEntry {
  id: number;
  /** ISO 8601. */
  at: string;
  actor: string;
  /** `approve`, `hide`, `unhide`, `pin`, `unpin`, `undo`, `feed.create`, `feed.update`, `feed.state`,
   * `feed.config-file`, `announcement.create`, `announcement.edit`, `announcement.delete`,
   * `announcement.expire`, `alert.raise`, `alert.withdraw`, `alert.expire`. */
  action: string;
  postId: string | null;
  reason: string | null;
  /** One line in French saying what happened ("Publication masquée : @lecteur42 « … »"). */
  summary: string;
  /** The id of the entry that undid this one. */
  undoneBy: number | null;
  /** Whether `undo` may be called on it now. */
  undoable: boolean;
}

/** What a decision (or an undo) did: the post as it now stands, and the audit entry written. */
export interface DecisionResult {
  item: QueueItem;
  /** The audit entry written; null when the action changed nothing (unpin a post not pinned). */
  auditId: number | null;
}

/** What an organiser writes: limited rich text, pinned at the top or placed in time, with an optional expiry. */
export interface AnnouncementInput {
  html: string;
  pinned: boolean;
  /** ISO 8601 with a time zone: where it sits among the posts (default: now). */
  at?: string;
  /** ISO 8601 with a time zone: when it leaves the wall by itself. */
  expiresAt?: string;
}

export interface AlertInput {
  /** Plain text, 1 to 500 characters. */
  text: string;
  /** ISO 8601 with a time zone: when it ends by itself. */
  expiresAt?: string;
  /** BCP 47 language of the text (default: the feed's). */
  lang?: string;
}

/** Filter of the organisers' queue. */
export interface QueueFilter {
  /** Only these visibilities (default: all). */
  visibility?: import('../store/types.js').Visibility[];
  /** Only posts after this post id in the queue's order (newest first by creation time). */
  before?: string;
  /** At most this many items (default 50, at most 200). */
  limit?: number;
}

/** A stored post as the figures read it: its body, where it stands, the organisers' decision. */
export type { ScannedPost as StatsRow } from '../store/posts.js';

/**
 * Figures of a feed, computed from its posts (never from visitors): what `GET
 * /api/admin/feeds/:id/stats` answers and what the archive page shows. Network posts only, unless
 * said otherwise (announcements are counted apart). Posts deleted by retention are still counted;
 * posts deleted on their network are not.
 */
export interface FeedStats {
  feedId: string;
  /** ISO 8601: when these figures were computed. */
  computedAt: string;
  /** Posts from the networks by where they stand; `filtered` ones did not match the feed's settings. */
  posts: { total: number; shown: number; held: number; hidden: number; filtered: number };
  /** Held (by the rules: mode `pre`, sensitive media, young accounts), hidden by an organiser or by a rule, approved by an organiser. */
  moderation: { held: number; hiddenByOrganisers: number; hiddenByRules: number; approvedByOrganisers: number };
  /** The same as shares (0 to 1) of the posts that matched the feed (shown, held or hidden); 0 without posts. */
  shares: { held: number; hiddenByOrganisers: number; hiddenByRules: number };
  /** Share of the posts that matched the feed that were held or hidden (0 to 1; 0 without posts). */
  heldOrHiddenShare: number;
  /** The organisers' announcements. */
  announcements: number;
  /** Per network (`x`, `demo`…): posts and those shown, most posts first. */
  networks: { network: string; total: number; shown: number }[];
  /**
   * The hours `postsPerHour` covers (ISO 8601, `end` exclusive): the event window up to now, or
   * the span of the posts without one; at most 31 days (the last ones). Null without posts or window.
   */
  range: { start: string; end: string; basis: 'event-window' | 'posts' } | null;
  /** Posts that matched the feed, per hour of `range` (UTC hour start, ISO 8601), every hour, oldest first. */
  postsPerHour: { hour: string; count: number }[];
  /** Posts that matched the feed outside `range` (before or after the event window). */
  outsideRange: number;
  /** The busiest hour of `postsPerHour`, or null without posts in it. */
  peakHour: { hour: string; count: number } | null;
  /** Most used hashtags among the posts shown now, most used first, then by name (at most 10). */
  topHashtags: { tag: string; count: number }[];
  /** Most active authors among the posts shown now, most active first, then by handle (at most 10). */
  topAccounts: { network: string; handle: string; name: string; profileUrl: string; count: number }[];
  /** ISO 8601 of the first and last post that matched the feed, or null without posts. */
  firstPostAt: string | null;
  lastPostAt: string | null;
}

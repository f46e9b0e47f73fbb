/**
 * What the admin API answers, route by route (`/api/admin/…`, see docs/admin-api.md). Types
 * only: the console imports this module type-only, so that its client and its test fake are
 * checked against what the server really sends.
 */
import type { Alert, FeedStatus, Post } from '../../contract.js';
import type { FeedRecord } from '../../feeds/registry.js';
import type { AuditEntry, DecisionResult, FeedStats, QueueItem } from '../../moderation/types.js';
import type { FeedHealth, HealthReport } from '../health.js';

export type { AuditEntry, DecisionResult, FeedStats, QueueItem };

/** One feed as organisers list it: its settings, where they come from, its posts and its state. */
export interface FeedSummary extends FeedRecord {
  /** Stored posts (announcements included) on the wall, waiting for a decision, hidden. */
  counts: { shown: number; held: number; hidden: number };
  /** Whether the wall is up to date, as visitors see it. */
  health: FeedStatus;
}

/** `GET /feeds`. */
export interface FeedsAnswer {
  feeds: FeedSummary[];
}

/** `POST /feeds`, `PUT /feeds/:id`, `POST /feeds/:id/state`. */
export interface FeedAnswer {
  feed: FeedSummary;
}

/** `GET /feeds/:id/queue`. */
export interface QueueAnswer {
  items: QueueItem[];
}

/** `GET /feeds/:id/audit`. */
export interface AuditAnswer {
  entries: AuditEntry[];
}

/** `GET /feeds/:id/announcements`: those on display, pinned first. */
export interface AnnouncementsAnswer {
  announcements: Post[];
}

/** `POST /feeds/:id/announcements`, `PUT /feeds/:id/announcements/:postId`. */
export interface AnnouncementAnswer {
  announcement: Post;
}

/** `GET /feeds/:id/alert` (null: none in force), `POST /feeds/:id/alert`. */
export interface AlertAnswer {
  alert: Alert | null;
}

/** Reads and what X bills for them, in US dollars. */
export interface ReadCost {
  posts: number;
  users: number;
  costUsd: number;
}

/** One source of one feed in the organisers' health: the operator view, and this month's reads in dollars. */
export interface SourceHealth extends FeedHealth {
  /** This feed's reads from this source this month and their cost; null for a source that is not billed. */
  monthReads: ReadCost | null;
}

/** What the X feeds of this server cost this month. */
export interface XSpending {
  /** Reads of every X feed together this month (X bills the account, not a feed). */
  month: ReadCost;
  /** `x.monthlyPostBudget` in posts and in dollars, how much of it is used and left; null when none is set. */
  budget: { posts: number; used: number; remaining: number; costUsd: number } | null;
  /** X's prices, in dollars per read. */
  prices: { postRead: number; userRead: number };
}

/** `GET /health`: the operator view of every source, plus X's spending (null when no feed reads X). */
export interface AdminHealth extends Omit<HealthReport, 'feeds'> {
  feeds: SourceHealth[];
  x: XSpending | null;
}

/**
 * The shapes the console reads from and sends to the admin API (`/api/admin`),
 * as SPEC-9 sections 2, 4 and 8 define them. The server owns the truth; this
 * module mirrors it on the client side, in one place, so the two can be
 * aligned at a glance. Types only.
 */
import type { Alert, FeedStatus, Post } from '../../server/contract.js';

export type { Alert, FeedStatus, Post };

/** An organiser's role: `admin` (feeds, accounts) or `moderator` (moderation, announcements). */
export type Role = 'admin' | 'moderator';

/** Who is signed in (`GET /api/admin/session`, `POST /login`, `POST /setup`). */
export interface SignedInUser {
  username: string;
  displayName: string;
  role: Role;
}

/** `GET /api/admin/setup`. */
export interface SetupStatus {
  needsFirstAdmin: boolean;
  tokenConfigured: boolean;
}

/** An organiser's account (`GET /api/admin/users`). */
export interface OrganiserAccount {
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
  /** When the account was disabled; null while it is enabled. */
  disabledAt: string | null;
}

export interface NewAccount {
  username: string;
  displayName?: string;
  role: Role;
  password: string;
}

export interface AccountChanges {
  displayName?: string;
  role?: Role;
  password?: string;
  disabled?: boolean;
}

/** Networks a feed reads. */
export type Network = 'x' | 'demo';

export type FeedState = 'active' | 'paused' | 'archived';

export type ModerationMode = 'post' | 'pre';

/** A feed's settings, canonical form (SPEC-9 section 2). */
export interface FeedSettings {
  id: string;
  title: string;
  lang: string;
  state: FeedState;
  /** Without "#". */
  hashtags: string[];
  sources: { network: Network; accounts: string[] }[];
  eventWindow?: { start: string; end: string };
  pollSeconds?: number;
  paceSeconds?: number;
  display: { languages: string[]; reposts: boolean; replies: boolean };
  moderation: {
    mode: ModerationMode;
    trustedAccounts: string[];
    blockedAccounts: string[];
    blockedTerms: string[];
    sensitiveMedia: 'blur' | 'hold';
    minAccountAgeDays: number | null;
  };
  organiserName: string;
}

/** One source of one feed, as health reports it (`GET /api/admin/health`, `feeds[]`). */
export interface SourceHealth {
  feed: string;
  /** The network: `x`, `demo`… */
  source: string;
  /** The feed's state, when the server gives it. */
  state?: string;
  stale: boolean;
  lastSuccessAt: string | null;
  /** The last failure; `message` is what upstream said (admin view). */
  lastError: { at: string; state: string; message?: string } | null;
  consecutiveFailures?: number;
  nextPollAt: string | null;
  /** The source's own figures: X gives reads, budget and rate limits. */
  details?: SourceDetails;
}

/** What an X source reports about itself (other sources report less, or nothing). */
export interface SourceDetails {
  state?: string;
  reads?: {
    today?: ReadCount;
    month?: ReadCount;
    allFeedsMonth?: ReadCount;
  };
  budget?: { monthlyPostBudget: number; used: number; remaining: number } | null;
  pausedUntil?: string | null;
  rateLimits?: Record<string, { limit: number; remaining: number; resetAt: string }>;
}

export interface ReadCount {
  posts: number;
  users: number;
}

/** `GET /api/admin/health`: the detailed health, one entry per feed and source. */
export interface AdminHealth {
  feeds: SourceHealth[];
}

/** One feed as the console lists it (`GET /api/admin/feeds`). */
export interface FeedSummary {
  settings: FeedSettings;
  /** Where the current settings come from: the config file, or the console. */
  origin: 'file' | 'console';
  updatedAt: string | null;
  updatedBy: string | null;
  /** "Réglages repris du fichier de configuration le …", when the file won at the last start. */
  fileNote?: string;
  health?: { stale: boolean; lastSuccessAt: string | null };
  counts?: { shown: number; held: number; hidden: number };
}

/** Where a post stands for the public (SPEC-9 section 4). */
export type Visibility = 'shown' | 'held' | 'hidden' | 'filtered';

/** A post of the organisers' queue. */
export interface QueueItem {
  post: Post;
  visibility: Visibility;
  /** Why (`mode-pre`, `blocked-account`, `blocked-term:<term>`, `sensitive-media`, `young-account`…), or null. */
  reason: string | null;
  decision: 'approved' | 'hidden' | null;
  decidedBy: string | null;
  decidedAt: string | null;
  storedAt: string;
}

/** The one-tap actions on a post. */
export type DecisionAction = 'approve' | 'hide' | 'unhide' | 'pin' | 'unpin';

/** What a decision or an undo did: the post as it now stands, and the audit entry written (null: nothing changed). */
export interface DecisionResult {
  item?: QueueItem;
  auditId: number | null;
}

/** One line of the audit log. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  postId: string | null;
  reason: string | null;
  /** One line saying what happened. */
  summary: string;
  /** The entry that undid this one. */
  undoneBy: number | null;
  undoable: boolean;
}

/** An announcement as organisers write it. */
export interface AnnouncementInput {
  html: string;
  pinned: boolean;
  /** ISO 8601: where it sits among the posts (default: now). */
  at?: string;
  /** ISO 8601: when it leaves the wall by itself. */
  expiresAt?: string;
}

export interface AlertInput {
  text: string;
  expiresAt?: string;
}

/** The events of `GET /api/admin/feeds/:id/events`, by name. */
export interface AdminEventMap {
  queue: QueueItem;
  /** A post left the store (deleted upstream, an announcement deleted). */
  dequeue: { id: string };
  audit: AuditEntry;
  status: FeedStatus;
  reset: FeedStatus;
}

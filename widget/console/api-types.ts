/**
 * The shapes the console reads from and sends to the admin API (`/api/admin`).
 * They are the server's own types, imported type-only (nothing of the server
 * reaches the console's bundle): the console, and its tests' fake API, are
 * checked by the compiler against what the server really answers. Types only.
 */
import type { Alert, FeedStatus, Post } from '../../server/contract.js';
import type { User } from '../../server/auth/accounts.js';
import type { Role } from '../../server/auth/actor.js';
import type { AdminEventMap } from '../../server/delivery/admin-stream.js';
import type { FeedSettings, FeedState, Network } from '../../server/feeds/settings.js';
import type {
  AdminHealth as ServerAdminHealth,
  AlertAnswer,
  AnnouncementAnswer,
  AnnouncementsAnswer,
  AuditAnswer,
  FeedAnswer,
  FeedsAnswer,
  FeedSummary,
  QueueAnswer,
  ReadCost,
  SourceHealth as ServerSourceHealth,
  XSpending,
} from '../../server/http/admin/admin-contract.js';
import type { SetupStatus, SignedInUser } from '../../server/http/admin/sign-in-routes.js';
import type {
  AlertInput,
  AnnouncementInput,
  AuditEntry,
  DecisionAction,
  DecisionResult,
  QueueItem,
  Visibility,
} from '../../server/moderation/types.js';

export type {
  AdminEventMap,
  Alert,
  AlertAnswer,
  AlertInput,
  AnnouncementAnswer,
  AnnouncementInput,
  AnnouncementsAnswer,
  AuditAnswer,
  AuditEntry,
  DecisionAction,
  DecisionResult,
  FeedAnswer,
  FeedSettings,
  FeedsAnswer,
  FeedState,
  FeedStatus,
  FeedSummary,
  Network,
  Post,
  QueueAnswer,
  QueueItem,
  ReadCost,
  Role,
  SetupStatus,
  SignedInUser,
  Visibility,
  XSpending,
};

/** An organiser's account (`GET /api/admin/users`). */
export type OrganiserAccount = User;

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

export type ModerationMode = FeedSettings['moderation']['mode'];

/**
 * What a source reports about itself in `details`, as the console reads it:
 * X gives its state, its pause and its rate limits (other sources less, or nothing).
 */
export type SourceDetails = {
  state?: string;
  pausedUntil?: string | null;
  rateLimits?: Record<string, { limit: number; remaining: number; resetAt: string }>;
};

/** One source of one feed in `GET /api/admin/health`, its `details` as the console reads them. */
export type SourceHealth = Omit<ServerSourceHealth, 'details'> & { details?: SourceDetails };

/** `GET /api/admin/health`, each source's `details` as the console reads them. */
export type AdminHealth = Omit<ServerAdminHealth, 'feeds'> & { feeds: SourceHealth[] };

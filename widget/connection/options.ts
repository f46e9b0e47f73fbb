/** What the element gives its live connection: the feed to follow, the browser, and where the feed's changes go. */
import type { AlertChange, FeedInfo, FeedSnapshot, FeedStatus, Post, PostRemoval } from '../../server/contract.js';
import type { FeedEnvironment } from './environment.js';
import type { FeedConnectionError } from './error.js';

/** Which feed to follow, read from the host at each update. */
export interface FeedTarget {
  /** Server origin (and optional path); "" means the page's own origin. */
  src: string;
  feed: string;
}

export interface FeedConnectionOptions {
  target: () => FeedTarget;
  environment: () => FeedEnvironment;
  onSnapshot: (snapshot: FeedSnapshot) => void;
  onPost: (post: Post) => void;
  onRemove: (removal: PostRemoval) => void;
  onStatus: (status: FeedStatus) => void;
  /** The urgent alert was raised, replaced or withdrawn (`alert: null`). */
  onAlert: (change: AlertChange) => void;
  /** The feed's title or hashtags changed. */
  onFeed: (feed: FeedInfo) => void;
  onError: (error: FeedConnectionError) => void;
  /** Milliseconds between two snapshot requests in the polling fallback. */
  pollInterval?: number;
  /** Consecutive stream failures before falling back to polling. */
  maxStreamFailures?: number;
  /** First reconnection delay in milliseconds; doubles at each failure. */
  baseDelay?: number;
  /** Longest reconnection delay in milliseconds. */
  maxDelay?: number;
}

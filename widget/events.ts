/**
 * The events of <commune-feed>, typed. All bubble and are composed: they
 * cross the Shadow DOM and reach the town's page.
 */
import type { Alert, Post } from '../server/contract.js';
import type { FeedConnectionError } from './feed-connection.js';

/** Why a `commune-feed-update` was fired. */
export type FeedUpdateReason = 'snapshot' | 'post' | 'remove' | 'status' | 'alert' | 'feed';

export interface CommuneFeedUpdateDetail {
  reason: FeedUpdateReason;
  /** The posts the element now holds, in wall order: pinned first, then newest first (shown or waiting). */
  posts: readonly Post[];
  stale: boolean;
  /** ISO 8601 time of the feed's last refresh on the server. */
  updatedAt: string;
  /** The urgent alert on screen, or null. */
  alert: Alert | null;
}

export interface CommuneFeedErrorDetail {
  error: FeedConnectionError;
}

export interface CommuneFeedPauseDetail {
  paused: boolean;
}

export type CommuneFeedUpdateEvent = CustomEvent<CommuneFeedUpdateDetail>;
export type CommuneFeedErrorEvent = CustomEvent<CommuneFeedErrorDetail>;
export type CommuneFeedPauseEvent = CustomEvent<CommuneFeedPauseDetail>;

interface CommuneFeedEventDetails {
  'commune-feed-update': CommuneFeedUpdateDetail;
  'commune-feed-error': CommuneFeedErrorDetail;
  'commune-feed-pause': CommuneFeedPauseDetail;
}

/** Dispatches one of the element's events from `target`. */
export function fire<K extends keyof CommuneFeedEventDetails>(
  target: EventTarget,
  name: K,
  detail: CommuneFeedEventDetails[K],
): void {
  target.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'commune-feed-update': CommuneFeedUpdateEvent;
    'commune-feed-error': CommuneFeedErrorEvent;
    'commune-feed-pause': CommuneFeedPauseEvent;
  }
}

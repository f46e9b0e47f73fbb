/** Where the live connection stands, as the visitor should understand it. */

/**
 * - `idle`: no feed to follow;
 * - `loading`: first snapshot on its way;
 * - `live`: snapshot shown and the event stream open;
 * - `reconnecting`: the stream or the snapshot failed, a new try is scheduled;
 * - `polling`: the stream keeps failing, the snapshot is fetched every few seconds;
 * - `offline`: the browser says there is no network.
 */
export type ConnectionState = 'idle' | 'loading' | 'live' | 'reconnecting' | 'polling' | 'offline';

/** What the connection knows of itself. */
export interface ConnectionFacts {
  /** On the page, with a feed to follow. */
  following: boolean;
  online: boolean;
  polling: boolean;
  hasSnapshot: boolean;
  /** Consecutive failures of the stream or the snapshot. */
  failures: number;
  /** An event stream was opened (and not closed since). */
  streaming: boolean;
  /** That stream is open. */
  streamOpen: boolean;
}

/** The state to show for these facts. Pure. */
export function connectionState(facts: ConnectionFacts): ConnectionState {
  if (!facts.following) return 'idle';
  if (!facts.online) return 'offline';
  if (facts.polling) return 'polling';
  if (!facts.hasSnapshot) return facts.failures === 0 ? 'loading' : 'reconnecting';
  if (facts.streamOpen || (facts.failures === 0 && facts.streaming)) return 'live';
  return 'reconnecting';
}

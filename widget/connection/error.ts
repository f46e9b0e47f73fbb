/** How the live connection reports a failure to the element (and the element to the page). */

/** Which step failed. */
export type FeedErrorPhase = 'snapshot' | 'events' | 'data' | 'config';

/** A failure of the connection, as reported in `commune-feed-error`. */
export class FeedConnectionError extends Error {
  override readonly name = 'FeedConnectionError';
  constructor(
    message: string,
    readonly phase: FeedErrorPhase,
    /** HTTP status when the server answered. */
    readonly status?: number,
    /** Delay the server asked for (Retry-After), in milliseconds. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

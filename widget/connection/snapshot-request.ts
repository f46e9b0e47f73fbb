/**
 * One request for a feed's snapshot: its URL, the conditional GET, the
 * server's Retry-After, and the check of the answer against the wire contract.
 */
import type { FeedSnapshot } from '../../server/contract.js';
import type { FeedEnvironment } from './environment.js';
import { FeedConnectionError } from './error.js';
import { parseSnapshot } from './parse.js';

/** What a snapshot request brought: the snapshot and its ETag, or `dropped` when it was aborted on its way. */
export type SnapshotAnswer = { snapshot: FeedSnapshot; etag: string | undefined } | 'not-modified' | 'dropped';

/** The feed server's root (with a final slash), from the element's `src`; "" means the page's own origin. */
export function serverRoot(src: string, page: string = location.href): string {
  const root = new URL(src.trim() || '/', page).href;
  return root.endsWith('/') ? root : `${root}/`;
}

/** The snapshot URL of a feed, from the element's `src` and `feed`. */
export function snapshotUrl(src: string, feed: string, page: string = location.href): string {
  return new URL(`api/feeds/${encodeURIComponent(feed)}`, serverRoot(src, page)).href;
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds from `now`. */
export function retryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Fetches the snapshot at `url`. `held`: the snapshot already shown, if any,
 * with its ETag; the request is then conditional and a 304 means no change.
 * Throws a FeedConnectionError when the server answers an error or a
 * malformed snapshot (and lets a network failure through).
 */
export async function requestSnapshot(
  env: FeedEnvironment,
  url: string,
  held: { etag: string | undefined } | undefined,
  signal: AbortSignal,
): Promise<SnapshotAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (held?.etag) headers['if-none-match'] = held.etag;
  const response = await env.fetch(url, { headers, signal, credentials: 'omit', mode: 'cors' });
  if (signal.aborted) return 'dropped';
  if (response.status === 304 && held) return 'not-modified';
  if (!response.ok) {
    throw new FeedConnectionError(
      `The snapshot request answered ${response.status}`,
      'snapshot',
      response.status,
      retryAfter(response.headers.get('retry-after'), env.now()),
    );
  }
  const body: unknown = await response.json();
  if (signal.aborted) return 'dropped';
  const snapshot = parseSnapshot(body);
  if (!snapshot) throw new FeedConnectionError('The snapshot is malformed', 'data');
  return { snapshot, etag: response.headers.get('etag') ?? undefined };
}

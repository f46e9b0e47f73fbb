/**
 * The one order of posts on a wall, used by the store's SQL, the snapshot, the
 * sources and the widget: pinned posts first, the most recently pinned first;
 * then newest first; posts of the same instant by id, the greater id first
 * (a longer id is greater, so X's numeric ids compare as numbers).
 *
 * Pure and dependency-free: the widget imports it as it is.
 */
import type { Post } from './contract.js';

/** Milliseconds of an ISO date, or 0 when it cannot be read (such posts sort last). */
function timeOf(iso: string | undefined): number {
  if (!iso) return 0;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Compares two ids as the store does: by length, then by code units. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort callback: negative when `a` comes before `b` on the wall. */
export function comparePosts(a: Post, b: Post): number {
  const pinA = a.pinnedAt === undefined ? -1 : timeOf(a.pinnedAt);
  const pinB = b.pinnedAt === undefined ? -1 : timeOf(b.pinnedAt);
  if (pinA !== pinB) return pinB - pinA;
  const diff = timeOf(b.createdAt) - timeOf(a.createdAt);
  if (diff !== 0) return diff;
  return compareIds(b.id, a.id);
}

/**
 * The same order in SQL, for a table with `pinned_ms` (NULL when not pinned),
 * `created_ms` and `id` columns.
 */
export const POST_ORDER_SQL = 'pinned_ms IS NULL, pinned_ms DESC, created_ms DESC, length(id) DESC, id DESC';

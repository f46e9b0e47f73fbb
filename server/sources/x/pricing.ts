/**
 * What X bills for reads (pay-per-use, 2026): each item once per UTC day.
 * Pure constants and arithmetic, no imports: the console imports this file to
 * show the month's reads in dollars, and the server may too.
 */

/** Dollars per post read. */
export const X_PRICE_PER_POST_READ = 0.005;

/** Dollars per user read. */
export const X_PRICE_PER_USER_READ = 0.01;

/** The cost in dollars of `posts` post reads and `users` user reads, to the cent's fraction. */
export function xReadsCost(reads: { posts: number; users: number }): number {
  return Math.round((reads.posts * X_PRICE_PER_POST_READ + reads.users * X_PRICE_PER_USER_READ) * 1000) / 1000;
}

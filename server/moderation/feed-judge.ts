/**
 * The judge of a feed's posts as the store applies it everywhere (at store entry, on a change of
 * rules, on an organiser's decision): the feed's rules, with cross-posted announcements found
 * among the posts stored around the same time.
 */
import type { Post } from '../contract.js';
import type { FeedSettings } from '../feeds/settings.js';
import type { Store } from '../store/store.js';
import type { Judge } from '../store/types.js';
import { comesFirst, copiesOf, CROSS_POST_WINDOW_MS, isDuplicate, isOwnPost, type Candidate } from './cross-post.js';
import { judgeWith } from './rules.js';

/** The stored posts that could be copies of `post`: none unless it is the town's own, on a feed of several networks. */
function around(store: Store, feed: FeedSettings, post: Post, network: string): Candidate[] {
  if (new Set(feed.sources.map((s) => s.network)).size < 2 || !isOwnPost(post, network, feed)) return [];
  const at = Date.parse(post.createdAt);
  if (Number.isNaN(at)) return [];
  return store.posts.createdBetween(feed.id, at - CROSS_POST_WINDOW_MS, at + CROSS_POST_WINDOW_MS);
}

export function feedJudge(store: Store, feed: FeedSettings, nowMs: number): Judge {
  return judgeWith(feed, nowMs, (post, network) =>
    isDuplicate({ post, network }, around(store, feed, post, network), feed),
  );
}

/** Ids of stored copies that `posts` (just stored) come before: they must be judged again, as duplicates now. */
export function outrankedCopies(store: Store, feed: FeedSettings, posts: readonly Post[], network: string): string[] {
  const ids = new Set<string>();
  for (const post of posts) {
    const incoming = { post, network };
    for (const copy of copiesOf(incoming, around(store, feed, post, network), feed)) {
      if (comesFirst(incoming, copy)) ids.add(copy.post.id);
    }
  }
  return [...ids];
}

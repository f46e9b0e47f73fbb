/**
 * The town's own announcement cross-posted to several networks shows once. Two posts are the same
 * announcement when both come from the feed's own accounts (no repost), on different networks,
 * within `CROSS_POST_WINDOW_MS` of each other, and say the same thing once case, spaces,
 * punctuation, links, hashtags and mentions are set aside. The first one posted stays (on a tie:
 * X, then Mastodon, then Bluesky); the others are `filtered` as `duplicate`, so organisers still
 * see them. Pure: the candidates come from the caller (the store), the clock plays no part.
 */
import type { Post } from '../contract.js';
import { accountsOf, type FeedSettings } from '../feeds/settings.js';

/** How far apart in time two copies of one announcement may be. */
export const CROSS_POST_WINDOW_MS = 10 * 60_000;

/** On a tie, the copy that stays: the first network in this list. */
const NETWORK_ORDER = ['x', 'mastodon', 'bluesky'];

/** A stored post and the network that brought it. */
export interface Candidate {
  post: Post;
  network: string;
}

/**
 * What an announcement says, for comparison: lower case, without links, hashtags, mentions,
 * punctuation or extra spaces; '' when nothing is left (such posts are never duplicates).
 */
export function crossPostKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/(?:^|(?<=\s))(?:[#＃]|@)[\p{L}\p{N}_.@-]+/gu, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether the post is by one of the feed's own accounts on `network`, in its own name (no repost). */
export function isOwnPost(post: Post, network: string, settings: FeedSettings): boolean {
  if (post.repostedBy || post.source === 'organisers') return false;
  const own = accountsOf(settings, network).map((a) => a.toLowerCase());
  return own.includes(post.author.handle.toLowerCase());
}

/** Whether `a` comes before `b`: the earlier one, else the network first in `NETWORK_ORDER`, else the smaller id. */
export function comesFirst(a: Candidate, b: Candidate): boolean {
  const at = Date.parse(a.post.createdAt) - Date.parse(b.post.createdAt);
  if (at !== 0) return at < 0;
  const rank = (n: string) => (NETWORK_ORDER.indexOf(n) + NETWORK_ORDER.length + 1) % (NETWORK_ORDER.length + 1);
  if (rank(a.network) !== rank(b.network)) return rank(a.network) < rank(b.network);
  return a.post.id < b.post.id;
}

/** The copies of the same announcement as `post` among `candidates` (own posts on other networks, close in time). */
export function copiesOf(post: Candidate, candidates: readonly Candidate[], settings: FeedSettings): Candidate[] {
  if (!isOwnPost(post.post, post.network, settings)) return [];
  const key = crossPostKey(post.post.text);
  if (key === '') return [];
  const at = Date.parse(post.post.createdAt);
  return candidates.filter(
    (c) =>
      c.network !== post.network &&
      c.post.id !== post.post.id &&
      Math.abs(Date.parse(c.post.createdAt) - at) <= CROSS_POST_WINDOW_MS &&
      isOwnPost(c.post, c.network, settings) &&
      crossPostKey(c.post.text) === key,
  );
}

/** Whether `post` is a later copy of an announcement another network already brought. */
export function isDuplicate(post: Candidate, candidates: readonly Candidate[], settings: FeedSettings): boolean {
  return copiesOf(post, candidates, settings).some((c) => comesFirst(c, post));
}

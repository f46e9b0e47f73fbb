/** Figures of a feed for its organisers and its archive, computed from the stored posts, never from visitors. */
import type { Store } from '../store/store.js';
import { foldText } from './text-match.js';
import type { FeedStats } from './types.js';

const HOUR_MS = 3_600_000;
const TOP = 10;

function top<T>(counts: Map<string, { value: T; count: number }>): { value: T; count: number }[] {
  return [...counts.values()].sort((a, b) => b.count - a.count).slice(0, TOP);
}

export function feedStats(store: Store, feedId: string): FeedStats {
  const posts = { total: 0, shown: 0, held: 0, hidden: 0, filtered: 0 };
  let announcements = 0;
  const hours = new Map<number, number>();
  const tags = new Map<string, { value: string; count: number }>();
  const accounts = new Map<string, { value: { handle: string; name: string }; count: number }>();
  let first = Infinity;
  let last = -Infinity;
  for (const { post, visibility } of store.posts.scan(feedId)) {
    if (post.source === 'organisers') {
      announcements++;
      continue;
    }
    posts.total++;
    posts[visibility]++;
    const at = Date.parse(post.createdAt);
    if (!Number.isNaN(at)) {
      first = Math.min(first, at);
      last = Math.max(last, at);
      const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
      hours.set(hour, (hours.get(hour) ?? 0) + 1);
    }
    if (visibility !== 'shown') continue;
    for (const tag of new Set(post.entities.hashtags.map((h) => h.tag))) {
      const key = foldText(tag);
      const entry = tags.get(key) ?? { value: tag, count: 0 };
      entry.count++;
      tags.set(key, entry);
    }
    const key = post.author.handle.toLowerCase();
    const entry = accounts.get(key) ?? { value: { handle: post.author.handle, name: post.author.name }, count: 0 };
    entry.count++;
    accounts.set(key, entry);
  }
  return {
    feedId,
    posts,
    heldOrHiddenShare: posts.total === 0 ? 0 : (posts.held + posts.hidden) / posts.total,
    announcements,
    postsPerHour: [...hours.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([hour, count]) => ({ hour: new Date(hour).toISOString(), count })),
    topHashtags: top(tags).map(({ value, count }) => ({ tag: value, count })),
    topAccounts: top(accounts).map(({ value, count }) => ({ ...value, count })),
    firstPostAt: Number.isFinite(first) ? new Date(first).toISOString() : null,
    lastPostAt: Number.isFinite(last) ? new Date(last).toISOString() : null,
  };
}

/**
 * How long posts are kept. Every feed's posts are deleted `RETENTION_DAYS` after they were posted;
 * an archived feed's page keeps the posts it shows (its first `ARCHIVE_SIZE` shown posts, in the
 * wall's order) for `ARCHIVE_RETENTION_DAYS`. Posts deleted by retention are counted on in the
 * feed's figures first, so that an archive's figures do not change when its held and hidden posts go.
 */
import type { FeedSettings } from '../feeds/settings.js';
import { figuresState } from '../moderation/stats.js';
import type { Outcome, RetentionPlan, Store } from '../store/store.js';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  retentionDays: number;
  archiveRetentionDays: number;
  archiveSize: number;
}

/** Each feed's plan: everything after `retentionDays`, an archive's page after `archiveRetentionDays`. */
export function retentionPlans(
  store: Store,
  feeds: readonly FeedSettings[],
  options: RetentionOptions,
  nowMs: number,
): RetentionPlan[] {
  const beforeMs = nowMs - options.retentionDays * DAY_MS;
  return feeds.map((feed) =>
    feed.state === 'archived'
      ? {
          feedId: feed.id,
          beforeMs,
          keep: {
            ids: new Set(store.posts.shownIds(feed.id, options.archiveSize)),
            beforeMs: nowMs - options.archiveRetentionDays * DAY_MS,
          },
        }
      : { feedId: feed.id, beforeMs },
  );
}

/** Deletes what retention says, counting it on in each feed's figures; returns what changed per feed. */
export function pruneFeeds(
  store: Store,
  feeds: readonly FeedSettings[],
  options: RetentionOptions,
  nowMs: number,
): Map<string, Outcome> {
  return store.prune(
    retentionPlans(store, feeds, options, nowMs),
    nowMs - options.retentionDays * DAY_MS,
    nowMs,
    (feedId, ids) => figuresState(store, feedId).retain(store.posts.scan(feedId, ids)),
  );
}

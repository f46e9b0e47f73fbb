/**
 * Reading Bluesky incrementally: an account's posts (public AppView) or a hashtag (search, logged
 * in), newest first, page by page, stopping at the last item read before (the mark), within a
 * bounded number of pages. Bluesky's own paging cursor only goes back in time, so what is new is
 * told by time and id: the mark holds when the newest item read sits in its feed, and the ids read
 * at that very time.
 */
import type { Post } from '../../contract.js';
import type { BlueskyClient } from './client.js';
import type { BskyFeedViewPost, BskyPostView } from './lexicon.js';
import { normalizeFeedItem, normalizePostView, type Normalized } from './normalize.js';
import { recordHashtags } from './richtext.js';
import type { RateLimit } from '../../pacing/rate-limit.js';

export interface ReadMark {
  /** ISO 8601: where the newest item read sits in its feed. */
  newestAt: string;
  /** Ids of the items read that sit exactly at `newestAt`. */
  ids: string[];
}

export interface ReadOptions {
  /** Pages read at most in one call (default 3); the first read ever reads one. */
  maxPages?: number;
  /** Items per page (default 50; Bluesky takes 1 to 100). */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface ReadResult {
  /** New posts to show, newest first, each once. */
  posts: Post[];
  /** Ids of new items that must not be shown (a restricted author, a hiding label): remove them if shown. */
  removals: string[];
  /** What to hand back next time (store it with the posts). */
  mark: ReadMark | null;
  /** False when the pages ran out before reaching the mark: items in between were not read. */
  complete: boolean;
  /** Calls made. */
  calls: number;
  rateLimit?: RateLimit;
}

/** A page as the readers see it: normalised items and Bluesky's cursor to the next (older) page. */
interface Page {
  items: Normalized[];
  /** Items Bluesky sent (some may have been set aside). */
  sent: number;
  cursor?: string;
  rateLimit?: RateLimit;
}

const DEFAULT_MAX_PAGES = 3;
const DEFAULT_PAGE_SIZE = 50;

/** The mark as the opaque cursor the engine stores. */
export function encodeMark(mark: ReadMark | null): string | null {
  return mark ? JSON.stringify({ v: 1, at: mark.newestAt, ids: mark.ids }) : null;
}

/** The mark of a stored cursor; anything unreadable is no mark (the next read starts afresh, one page). */
export function decodeMark(cursor: string | null | undefined): ReadMark | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(cursor) as { v?: unknown; at?: unknown; ids?: unknown };
    if (value?.v !== 1 || typeof value.at !== 'string' || !Number.isFinite(Date.parse(value.at))) return null;
    const ids = Array.isArray(value.ids) ? value.ids.filter((id): id is string => typeof id === 'string') : [];
    return { newestAt: value.at, ids };
  } catch {
    return null;
  }
}

/** Where an item sits and its id, shown or not. */
function position(item: Normalized): { at: string; id: string } | undefined {
  if (item.ok) return { at: item.post.createdAt, id: item.post.id };
  return item.id && item.at ? { at: item.at, id: item.id } : undefined;
}

/** Reads pages from newest until the mark (or `maxPages`), and moves the mark to the newest item read. */
async function readPages(
  fetchPage: (cursor: string | undefined) => Promise<Page>,
  mark: ReadMark | null,
  maxPages: number,
): Promise<ReadResult> {
  const result: ReadResult = { posts: [], removals: [], mark, complete: false, calls: 0 };
  const seen = new Set<string>();
  let newest = mark ? { at: mark.newestAt, ids: new Set(mark.ids) } : undefined;
  let cursor: string | undefined;
  for (let page = 0; page < (mark ? maxPages : 1); page++) {
    const answer = await fetchPage(cursor);
    result.calls++;
    if (answer.rateLimit) result.rateLimit = answer.rateLimit;
    let reachedMark = false;
    for (const item of answer.items) {
      const where = position(item);
      if (!where || seen.has(where.id)) continue;
      seen.add(where.id);
      if (mark && (where.at < mark.newestAt || (where.at === mark.newestAt && mark.ids.includes(where.id)))) {
        // Read before; the rest of this page is still looked at, in case the order is off by a little.
        reachedMark = true;
        continue;
      }
      if (item.ok) result.posts.push(item.post);
      else result.removals.push(where.id);
      if (!newest || where.at > newest.at) newest = { at: where.at, ids: new Set([where.id]) };
      else if (where.at === newest.at) newest.ids.add(where.id);
    }
    cursor = answer.cursor;
    if (reachedMark || !cursor || answer.sent === 0) {
      result.complete = true;
      break;
    }
  }
  // The first read ever takes the newest page only: older posts are not the wall's business.
  if (!mark) result.complete = true;
  result.mark = newest ? { newestAt: newest.at, ids: [...newest.ids] } : null;
  return result;
}

/** An account's new posts and reposts (no replies), from the public AppView. `actor` is a handle or a did. */
export function readAuthorFeed(
  client: BlueskyClient,
  actor: string,
  mark: ReadMark | null,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
  return readPages(
    async (cursor) => {
      const { body, rateLimit } = await client.getAuthorFeed(
        actor,
        { limit, ...(cursor ? { cursor } : {}) },
        options.signal,
      );
      return {
        items: body.feed.map((item: BskyFeedViewPost) => normalizeFeedItem(item)),
        sent: body.feed.length,
        ...(body.cursor ? { cursor: body.cursor } : {}),
        ...(rateLimit ? { rateLimit } : {}),
      };
    },
    mark,
    options.maxPages ?? DEFAULT_MAX_PAGES,
  );
}

/**
 * New posts with a hashtag (`tag`, without `#`), by Bluesky's search, sorted by time, from the
 * mark's time on. Search matches loosely: only posts that really carry the hashtag (a facet, the
 * text, or an outline tag, in any letter case) are kept.
 */
export function readHashtag(
  client: BlueskyClient,
  tag: string,
  mark: ReadMark | null,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const wanted = tag.replace(/^#/, '').toLowerCase();
  const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
  return readPages(
    async (cursor) => {
      const search = { q: `#${tag.replace(/^#/, '')}`, sort: 'latest' as const, limit };
      const { body, rateLimit } = await client.searchPosts(
        { ...search, ...(mark ? { since: mark.newestAt } : {}), ...(cursor ? { cursor } : {}) },
        options.signal,
      );
      const carries = (view: BskyPostView) => Boolean(view?.record) && recordHashtags(view.record).has(wanted);
      return {
        items: body.posts.filter(carries).map((view) => normalizePostView(view)),
        sent: body.posts.length,
        ...(body.cursor ? { cursor: body.cursor } : {}),
        ...(rateLimit ? { rateLimit } : {}),
      };
    },
    mark,
    options.maxPages ?? DEFAULT_MAX_PAGES,
  );
}

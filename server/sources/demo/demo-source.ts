/** The demo source: replays the Fête du livre script at a steady pace, with no network and no token. */
import type { Author, Entities, Media, Post } from '../../contract.js';
import type { PollResult, Source, SourceContext } from '../source.js';
import { entitiesFromText, type EntityUrls } from './entities.js';
import { avatarFile, DEMO_AUTHORS, DEMO_MEDIA, type DemoAuthorKey } from './cast.js';
import { DEMO_SCRIPT, quotedIndex } from './replay.js';

export interface DemoSourceOptions {
  /**
   * The absolute URL the server is reached at; permalinks, profiles and media are built on it.
   * Empty: they are relative to the server, and the widget resolves them against its `src`.
   */
  publicUrl: string;
  /** Time between two released posts; defaults to the feed's `paceSeconds`, else {@link DEFAULT_PACE_MS}. */
  paceMs?: number;
  /** Posts released at once on the very first poll, so that a fresh wall is not empty. */
  initialCount?: number;
  /** Posts released by one poll at most, however long since the last one (a long pause, a restart). */
  maxPerPoll?: number;
}

/** Pace when neither the options nor the feed set one. */
export const DEFAULT_PACE_MS = 5000;

/** Posts released by the first poll when the options do not say. */
export const DEFAULT_INITIAL_COUNT = 8;

/** Posts released by one poll at most when the options do not say. */
export const DEFAULT_MAX_PER_POLL = 20;

/**
 * The cursor, serialised as JSON: how many posts have been released so far, and when the last one
 * was (ms; absent in cursors stored before releases followed the clock).
 */
interface DemoCursor {
  n: number;
  at?: number;
}

function parseCursor(cursor: string): DemoCursor | undefined {
  try {
    const value: unknown = JSON.parse(cursor);
    if (typeof value !== 'object' || value === null) return undefined;
    const { n, at } = value as Record<string, unknown>;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return undefined;
    return typeof at === 'number' && Number.isFinite(at) ? { n, at } : { n };
  } catch {
    return undefined;
  }
}

function formatCursor(cursor: DemoCursor): string {
  return JSON.stringify(cursor);
}

/**
 * Creates the demo source. Release number `n` (0, 1, 2, …) plays script entry
 * `n % DEMO_SCRIPT.length` as post `demo-<n>`, so ids stay unique across loops.
 * Posts are released one every `paceMs`, whenever the engine polls:
 *
 * - First poll (cursor null, or a cursor that cannot be read): releases
 *   `initialCount` posts in release order, oldest first and newest last,
 *   backdated `paceMs` apart so that the last one is dated now.
 * - Every later poll: releases the posts due since the last one, each dated
 *   when it was due (one per poll when polled at the pace; several, grouped,
 *   when polled less often), at most `maxPerPoll`: after a long pause the
 *   replay continues where it stopped, with the latest due times.
 *
 * The output depends only on the cursor and the clock, so a restart with a
 * stored cursor continues where it stopped. A repost is the original post with
 * `repostedBy`; a quote carries the quoted post as released earlier in the same
 * loop (`demo-<m>`).
 */
export function createDemoSource(context: SourceContext, options: DemoSourceOptions): Source {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const paceSeconds = context.feed.paceSeconds;
  const paceMs = options.paceMs ?? (paceSeconds !== undefined ? paceSeconds * 1000 : DEFAULT_PACE_MS);
  const initialCount = options.initialCount ?? DEFAULT_INITIAL_COUNT;
  const maxPerPoll = Math.max(1, options.maxPerPoll ?? DEFAULT_MAX_PER_POLL);
  const log = context.log.child({ source: 'demo', feed: context.feed.id });
  let released = 0;

  const accountUrl = (handle: string) => `${publicUrl}/?account=${encodeURIComponent(handle)}`;
  const urls: EntityUrls = {
    hashtag: (tag) => `${publicUrl}/?hashtag=${encodeURIComponent(tag)}`,
    mention: accountUrl,
  };

  /** Entities depend only on the entry (its text and its author's network), so each one is parsed once. */
  const entitiesCache = new Map<number, Entities>();
  function entitiesOf(index: number): Entities {
    let entities = entitiesCache.get(index);
    if (!entities) {
      const entry = DEMO_SCRIPT[index]!;
      entities = entitiesFromText(entry.text, urls, DEMO_AUTHORS[entry.author].network);
      entitiesCache.set(index, entities);
    }
    return entities;
  }

  function author(key: DemoAuthorKey): Author {
    const account = DEMO_AUTHORS[key];
    const { name, handle } = account;
    return {
      name,
      handle,
      avatarUrl: `${publicUrl}/demo/media/${avatarFile(account)}`,
      profileUrl: accountUrl(handle),
    };
  }

  /** Builds release `n`, dated `createdAtMs`; `withQuote` is false for a post shown inside another. */
  function build(n: number, createdAtMs: number, withQuote = true): Post {
    const index = n % DEMO_SCRIPT.length;
    const entry = DEMO_SCRIPT[index]!;
    const id = `demo-${n}`;
    const media: Media[] = entry.media.map((key) => {
      const { file, alt, width, height } = DEMO_MEDIA[key];
      const url = `${publicUrl}/demo/media/${file}`;
      return { kind: 'photo', url, previewUrl: url, alt, width, height };
    });
    // Shown as a post of the network its author is on (the permalink stays on the demo site).
    const post: Post = {
      id,
      source: DEMO_AUTHORS[entry.author].network,
      url: `${publicUrl}/?post=${id}`,
      createdAt: new Date(createdAtMs).toISOString(),
      author: author(entry.author),
      text: entry.text,
      entities: entitiesOf(index),
      media,
      lang: entry.lang ?? 'fr',
    };
    if (entry.contentWarning) post.contentWarning = entry.contentWarning;
    if (entry.repostedBy) post.repostedBy = author(entry.repostedBy);
    const target = withQuote ? quotedIndex(index) : undefined;
    if (target !== undefined) {
      const back = index - target;
      post.quoted = build(n - back, createdAtMs - back * paceMs, false);
    }
    return post;
  }

  /** `count` release times `paceMs` apart, the last one `last`, oldest first. */
  function slots(last: number, count: number): number[] {
    return Array.from({ length: count }, (_, i) => last - (count - 1 - i) * paceMs);
  }

  return {
    kind: 'demo',

    async poll(cursor: string | null, signal: AbortSignal): Promise<PollResult> {
      signal.throwIfAborted();
      const now = context.clock.now();
      const stored = cursor === null ? undefined : parseCursor(cursor);
      if (cursor !== null && !stored) log.warn('demo.cursor-unreadable', { cursor });

      const posts: Post[] = [];
      const release = (from: number, times: number[]) => times.forEach((at, i) => posts.push(build(from + i, at)));
      let next: DemoCursor;
      if (!stored) {
        release(0, slots(now, initialCount));
        next = { n: initialCount, at: now };
      } else if (stored.at === undefined || stored.at > now) {
        // A cursor from before releases followed the clock (or from a clock set back): one post now.
        release(stored.n, [now]);
        next = { n: stored.n + 1, at: now };
      } else {
        const due = Math.floor((now - stored.at) / paceMs);
        const last = stored.at + due * paceMs;
        const count = Math.min(due, maxPerPoll);
        release(stored.n, slots(last, count));
        next = { n: stored.n + count, at: last };
      }
      released = next.n;
      return { posts, removals: [], cursor: formatCursor(next) };
    },

    health() {
      return { released, scriptLength: DEMO_SCRIPT.length, paceMs };
    },
  };
}

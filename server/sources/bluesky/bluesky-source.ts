/**
 * The Bluesky source of one feed: its accounts' feeds from the public AppView (no login) and the
 * feed's hashtags by search (logged in as the town's account: Bluesky refuses logged-out searches
 * since 2025), read from one mark each; Jetstream pushes new posts and deletions between polls,
 * resumed from the time cursor kept in the same stored cursor. The engine owns the schedule.
 */
import type { Post } from '../../contract.js';
import { comparePosts } from '../../post-order.js';
import { blockedUntil, callsAcrossFeeds, minIntervalMs, type RateLimit } from '../../pacing/rate-limit.js';
import { NetworkStatus, worstFailure } from '../network-status.js';
import type { HealthView, Pacing, PollResult, PushSink, Source, SourceContext, SourceError } from '../source.js';
import { untilAborted } from '../until-aborted.js';
import { displayedChecker } from '../displayed.js';
import type { BlueskyClient } from './client.js';
import { decodeBlueskyCursor, encodeBlueskyCursor, laterUs, withJetstreamUs } from './cursor.js';
import { openBlueskyLive, type BlueskyLive, type BlueskyLiveOptions } from './live.js';
import { readAuthorFeed, readHashtag, type ReadResult } from './reader.js';
import { CREDENTIALS_MISSING } from './session.js';
import { BlueskyApiError } from './xrpc.js';

export interface BlueskySourceOptions {
  client: BlueskyClient;
  /** Jetstream's `/subscribe` URL (default Bluesky's). */
  jetstreamUrl?: string;
  /** Pages read at most per account or hashtag in one poll when catching up (default 3). */
  maxPagesPerPoll?: number;
  /** Fine-tuning of Jetstream and hydration (the network's batch wait; tests). */
  live?: Pick<BlueskyLiveOptions, 'jetstream' | 'hydrate'>;
}

/** Bluesky's limits are generous (thousands of calls per 5 minutes); this is the floor until its headers say. */
const DEFAULT_LIMIT = { limit: 3000, windowMs: 5 * 60_000 };

export function createBlueskySource(context: SourceContext, options: BlueskySourceOptions): Source {
  const { feed, clock, sharedState, state } = context;
  const { client } = options;
  const log = context.log.child({ source: 'bluesky' }).redacting((text) => client.redact(text));
  const accounts = [...new Set(context.source.accounts.map((a) => a.toLowerCase()))];
  const tags = [...new Set(feed.hashtags.map((t) => t.toLowerCase()))];
  const keys = [...accounts.map((a) => `author:${a}`), ...tags.map((t) => `tag:${t}`)];
  const maxPages = Math.max(1, options.maxPagesPerPoll ?? 3);
  const status = new NetworkStatus(log, 'bluesky');
  let live: BlueskyLive | undefined;
  const isShown = displayedChecker(context);

  // Without the town's account, hashtags still come live from Jetstream, but nothing fills a gap.
  if (tags.length > 0 && !client.canSearch) {
    status.problem('hashtag-search', `${CREDENTIALS_MISSING}: hashtags come from Jetstream only, with no backfill`);
  }

  async function poll(cursorText: string | null, signal: AbortSignal): Promise<PollResult> {
    const cursor = decodeBlueskyCursor(cursorText);
    const posts = new Map<string, Post>();
    const removals = new Set<string>();
    const failures: BlueskyApiError[] = [];
    let calls = 0;
    let rateLimit: RateLimit | undefined;
    let progress = false;
    const reads: [string, (mark: ReadResult['mark']) => Promise<ReadResult>][] = accounts.map((a) => [
      `author:${a}`,
      (mark) => readAuthorFeed(client, a, mark, { maxPages, signal }),
    ]);
    if (client.canSearch) {
      for (const t of tags) reads.push([`tag:${t}`, (mark) => readHashtag(client, t, mark, { maxPages, signal })]);
    }
    for (const [key, read] of reads) {
      if (blockedUntil(rateLimit, clock.now()) !== undefined) break;
      try {
        const result = await read(cursor.marks[key] ?? null);
        calls += result.calls;
        rateLimit = result.rateLimit ?? rateLimit;
        progress = true;
        for (const post of result.posts) posts.set(post.id, post);
        for (const id of result.removals) removals.add(id);
        if (result.mark) cursor.marks[key] = result.mark;
      } catch (err) {
        if (!(err instanceof BlueskyApiError)) throw err;
        calls++;
        rateLimit = err.rateLimit ?? rateLimit;
        failures.push(err);
      }
    }
    const now = clock.now();
    const worst = worstFailure(failures);
    if (!progress && worst) throw status.fail(worst, now);
    // Pushes may have moved Jetstream's cursor on since this poll began: keep the later one.
    cursor.jetstreamUs = laterUs(cursor.jetstreamUs, live?.cursorUs());
    const sums = callsAcrossFeeds(sharedState, 'calls', feed.id, { api: calls }, now);
    const limit = {
      limit: rateLimit?.limit ?? DEFAULT_LIMIT.limit,
      windowMs: rateLimit?.windowMs ?? DEFAULT_LIMIT.windowMs,
    };
    const pacing: Pacing = { minIntervalMs: minIntervalMs(limit, sums.api ?? calls) };
    const until = blockedUntil(rateLimit, now);
    if (until !== undefined) pacing.notBefore = until;
    let partialFailure: SourceError | undefined;
    if (worst) partialFailure = status.fail(worst, now);
    else status.succeeded();
    for (const id of removals) posts.delete(id);
    return {
      posts: [...posts.values()].sort(comparePosts),
      removals: [...removals],
      cursor: encodeBlueskyCursor(cursor, keys),
      pacing,
      ...(partialFailure ? { partialFailure } : {}),
    };
  }

  /** The dids of the feed's accounts, for Jetstream's filter (resolved once, kept in the feed's state). */
  async function didsOf(signal: AbortSignal): Promise<string[]> {
    const known = { ...state.get<Record<string, string>>('dids') };
    for (const account of accounts) {
      if (account.startsWith('did:')) known[account] = account;
      else if (!known[account]) known[account] = await client.resolveHandle(account, signal);
    }
    state.set('dids', known);
    return accounts.map((a) => known[a]!);
  }

  async function stream(sink: PushSink, signal: AbortSignal): Promise<void> {
    const dids = await didsOf(signal);
    if (dids.length === 0 && tags.length === 0) return untilAborted(signal);
    const cursorNow = () => live?.cursorUs() ?? null;
    live = openBlueskyLive({
      client,
      hashtags: tags,
      dids,
      ...(options.jetstreamUrl ? { url: options.jetstreamUrl } : {}),
      cursorUs: decodeBlueskyCursor(sink.cursor()).jetstreamUs,
      isKnown: isShown,
      clock,
      log,
      onPost: (post) => sink.posts([post], [], withJetstreamUs(sink.cursor(), cursorNow())),
      onRemoval: (id) => sink.posts([], [id], withJetstreamUs(sink.cursor(), cursorNow())),
      // While Jetstream is not open, the engine polls at the normal pace; a reopening resumes from its cursor.
      onState: (s) => sink.live(s.state === 'open'),
      ...options.live,
    });
    try {
      await untilAborted(signal);
    } finally {
      live.close();
      live = undefined;
    }
  }

  return {
    kind: 'bluesky',
    poll,
    stream,
    health(view: HealthView = 'public') {
      const jet = live?.status();
      return {
        ...status.health(view),
        search: client.canSearch ? 'available' : 'unavailable',
        accounts: accounts.length,
        hashtags: tags.length,
        jetstream: jet ? { state: jet.state, hydrating: jet.hydrating } : null,
      };
    },
  };
}

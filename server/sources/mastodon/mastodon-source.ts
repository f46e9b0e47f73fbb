/**
 * The Mastodon source of one feed entry (one instance): its accounts' and the feed's hashtags'
 * timelines read incrementally (`min_id`, one cursor holding each timeline's newest id), their
 * statuses normalised, the instance's rate limit honoured across every feed reading it, and the
 * streaming API pushing new statuses and deletions between polls. The engine owns the schedule.
 */
import type { Post } from '../../contract.js';
import type { FeedSource } from '../../feeds/settings.js';
import { comparePosts } from '../../post-order.js';
import { blockedUntil, callsAcrossFeeds, minIntervalMs, type RateLimit } from '../../pacing/rate-limit.js';
import { redactor } from '../../redact.js';
import { NetworkStatus, worstFailure } from '../network-status.js';
import {
  SourceError,
  type HealthView,
  type Pacing,
  type PollResult,
  type PushSink,
  type Source,
  type SourceContext,
} from '../source.js';
import { untilAborted } from '../until-aborted.js';
import { displayedChecker } from '../displayed.js';
import { createMastodonClient, MastodonApiError, type MastodonClient, type TimelineResult } from './client.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { hashtagAccess, webSocketOrigin, type MastodonInstanceInfo } from './instance.js';
import { normalizeStatus, normalizeStatuses, postId, type MastodonContext } from './normalize.js';
import {
  openMastodonStream,
  type MastodonStream,
  type MastodonStreamEvent,
  type MastodonStreamOptions,
} from './stream.js';
import { MASTODON_TOKENS } from './tokens.js';

export type MastodonEntry = Extract<FeedSource, { network: 'mastodon' }>;

export interface MastodonSourceOptions {
  /** This instance's access token (from MASTODON_TOKENS), for instances that ask for a login. */
  accessToken?: string;
  /** Pages read at most per timeline in one poll when catching up (default 3). */
  maxPagesPerPoll?: number;
  /** Replaces the HTTP client (tests). */
  client?: MastodonClient;
  /** Fine-tuning of the stream (tests). */
  stream?: Pick<MastodonStreamOptions, 'backoff' | 'pingMs' | 'silenceMs' | 'random'>;
}

/** Mastodon's default limit, until the instance's headers say otherwise: 300 calls per 5 minutes. */
const DEFAULT_LIMIT = { limit: 300, windowMs: 5 * 60_000 };
/** The instance's description is read again this often (its access rules and streaming address change rarely). */
const INSTANCE_TTL_MS = 60 * 60_000;

export function createMastodonSource(context: SourceContext, options: MastodonSourceOptions = {}): Source {
  const { feed, clock, sharedState } = context;
  const entry = context.source as MastodonEntry;
  const base = new URL(entry.instance);
  const host = base.host;
  const token = options.accessToken || undefined;
  const log = context.log.child({ source: 'mastodon', instance: host }).redacting(redactor([token]));
  const client =
    options.client ??
    createMastodonClient({
      baseUrl: entry.instance,
      accessToken: token,
      tokenSetting: MASTODON_TOKENS,
      now: () => clock.now(),
    });
  const accounts = [...new Set(entry.accounts.map((a) => a.toLowerCase()))];
  const tags = [...new Set(feed.hashtags.map((t) => t.toLowerCase()))];
  const maxPages = Math.max(1, options.maxPagesPerPoll ?? 3);
  const status = new NetworkStatus(log, 'mastodon');
  const fallbackInfo: MastodonInstanceInfo = {
    domain: base.hostname,
    version: '',
    streamingUrl: webSocketOrigin(entry.instance)!,
  };
  let info: { value: MastodonInstanceInfo; at: number } | undefined;
  let stream: MastodonStream | undefined;
  // The ids of this instance's posts on display: a deletion of any other is not passed on.
  const isShown = displayedChecker(context, postId(host, ''));

  /** The instance's description, read at most once an hour; a failure keeps the last (or plain defaults). */
  async function instance(signal: AbortSignal): Promise<MastodonInstanceInfo> {
    const now = clock.now();
    if (info && now - info.at < INSTANCE_TTL_MS) return info.value;
    try {
      info = { value: (await client.instance(signal)).body, at: now };
    } catch (err) {
      if (!(err instanceof MastodonApiError)) throw err;
      log.info('mastodon.instance-unread', { error: err.message });
      info = { value: info?.value ?? fallbackInfo, at: now };
    }
    return info.value;
  }

  /** Whether the feed's hashtags can be read here, said once in the logs and in /api/health. */
  function hashtagsReadable(value: MastodonInstanceInfo): ReturnType<typeof hashtagAccess> {
    const access = hashtagAccess(value, Boolean(token));
    const problem = tags.length > 0 && access.problem ? `${access.problem} (${MASTODON_TOKENS})` : undefined;
    status.problem(
      'hashtags',
      problem,
      problem && `${host}: hashtag timelines need an access token (${MASTODON_TOKENS}) or are disabled`,
    );
    return access;
  }

  const contextOf = (value: MastodonInstanceInfo, timeline: MastodonContext['timeline']): MastodonContext => ({
    instance: host,
    localDomain: value.domain,
    timeline,
  });

  async function poll(cursorText: string | null, signal: AbortSignal): Promise<PollResult> {
    const cursor = decodeCursor(cursorText);
    const value = await instance(signal);
    const access = hashtagsReadable(value);
    const posts = new Map<string, Post>();
    const failures: MastodonApiError[] = [];
    let calls = 0;
    let rateLimit: RateLimit | undefined;
    let progress = false;
    const note = (limit: RateLimit | undefined) => (rateLimit = limit ?? rateLimit);
    const blocked = () => blockedUntil(rateLimit, clock.now());
    const take = (read: TimelineResult, timeline: MastodonContext['timeline']) => {
      calls += read.pages;
      note(read.rateLimit);
      if (read.interrupted) failures.push(read.interrupted);
      progress = true;
      for (const post of normalizeStatuses(read.statuses, contextOf(value, timeline))) posts.set(post.id, post);
    };
    const attempt = async (read: () => Promise<void>) => {
      try {
        await read();
      } catch (err) {
        if (!(err instanceof MastodonApiError)) throw err;
        calls++;
        note(err.rateLimit);
        failures.push(err);
      }
    };

    for (const acct of accounts) {
      if (blocked()) break;
      const seen = { ...cursor.accounts[acct] };
      await attempt(async () => {
        if (!seen.id) {
          const found = await client.lookupAccount(acct, signal);
          calls++;
          note(found.rateLimit);
          seen.id = found.body.id;
          cursor.accounts[acct] = { ...seen };
        }
        const read = await client.accountStatuses(
          seen.id,
          { ...(seen.minId ? { minId: seen.minId } : {}), maxPages },
          signal,
        );
        take(read, 'account');
        cursor.accounts[acct] = { ...seen, ...(read.cursor ? { minId: read.cursor } : {}) };
      });
    }
    for (const tag of access.readable ? tags : []) {
      if (blocked()) break;
      const minId = cursor.tags[tag];
      await attempt(async () => {
        const read = await client.hashtagStatuses(
          tag,
          { ...(minId ? { minId } : {}), maxPages, scope: access.scope },
          signal,
        );
        take(read, 'hashtag');
        if (read.cursor) cursor.tags[tag] = read.cursor;
      });
    }

    const now = clock.now();
    const worst = worstFailure(failures);
    if (!progress) {
      if (worst) throw status.fail(worst, now);
      const until = blocked();
      if (until !== undefined)
        throw new SourceError(`${host} rate limit reached`, { state: 'rate-limited', notBefore: until });
      // Nothing this entry follows can be read here: hashtags closed to us, and no account.
      const why = access.problem ? `${access.problem} (${MASTODON_TOKENS})` : `${host}: nothing to read`;
      throw status.fail({ kind: 'login-required', message: why }, now);
    }
    const sums = callsAcrossFeeds(sharedState, 'calls', feed.id, { api: calls }, now);
    const limit = {
      limit: rateLimit?.limit ?? DEFAULT_LIMIT.limit,
      windowMs: rateLimit?.windowMs ?? DEFAULT_LIMIT.windowMs,
    };
    const pacing: Pacing = { minIntervalMs: minIntervalMs(limit, sums.api ?? calls) };
    const until = blocked();
    if (until !== undefined) pacing.notBefore = until;
    let partialFailure: SourceError | undefined;
    if (worst) partialFailure = status.fail(worst, now);
    else status.succeeded();
    return {
      posts: [...posts.values()].sort(comparePosts),
      removals: [],
      cursor: encodeCursor(cursor, { accounts, tags }),
      pacing,
      ...(partialFailure ? { partialFailure } : {}),
    };
  }

  /** Streams the feed's hashtags (and the token's own timeline) until the engine aborts. */
  async function streamLive(sink: PushSink, signal: AbortSignal): Promise<void> {
    const value = await instance(signal);
    const hashtags = hashtagsReadable(value).readable ? tags : [];
    const user = Boolean(token) && accounts.length > 0;
    if (hashtags.length === 0 && !user) return untilAborted(signal);
    const onEvent = (event: MastodonStreamEvent) => {
      if (event.event === 'delete') {
        const id = postId(host, event.id);
        return isShown(id) ? sink.posts([], [id]) : undefined;
      }
      // Public statuses only: a user stream also carries what the token's account may see.
      const post = normalizeStatus(event.status, contextOf(value, 'hashtag'));
      if (post) sink.posts([post]);
    };
    stream = openMastodonStream({
      streamingUrl: value.streamingUrl,
      ...(token ? { accessToken: token } : {}),
      hashtags,
      user,
      clock,
      log,
      onEvent,
      // A `closed` makes the engine poll at once, which fills the gap from the stored ids.
      onState: (state) => sink.live(state.state === 'open'),
      ...options.stream,
    });
    try {
      await untilAborted(signal);
    } finally {
      stream.close();
      stream = undefined;
    }
  }

  return {
    kind: 'mastodon',
    poll,
    stream: streamLive,
    health(view: HealthView = 'public') {
      return {
        ...status.health(view),
        instance: host,
        token: Boolean(token),
        accounts: accounts.length,
        hashtags: tags.length,
        stream: stream ? { open: stream.isOpen } : null,
      };
    },
  };
}

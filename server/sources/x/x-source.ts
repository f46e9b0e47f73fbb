/**
 * The X source: reads a feed's accounts and hashtags from X API v2 with
 * `since_id` cursors, respects rate limits, the monthly usage cap and the
 * commune's budget, and re-checks displayed posts for compliance.
 */
import type { Post } from '../../contract.js';
import { SourceError } from '../source.js';
import type { HealthView, PollResult, Source, SourceContext } from '../source.js';
import { redactor } from '../../redact.js';
import { XApiError, createXClient } from './client.js';
import type { XAnswer, XClient, XEndpoint, XErrorKind, XRateLimit } from './client.js';
import { countReads, idsToRemove, normalizePage } from './normalize.js';
import { withProxiedMedia } from '../../media/proxied-url.js';
import { comparePosts } from '../../post-order.js';
import { accountsOf } from '../../feeds/settings.js';
import type { XTweetsPayload } from './normalize.js';

export interface XSourceOptions {
  bearerToken: string;
  /** Default https://api.x.com (X_API_BASE_URL). */
  baseUrl?: string;
  /** Post reads allowed per UTC month across all feeds; polling slows past half of it and stops before exceeding it. */
  monthlyPostBudget?: number;
  /** Hours between two compliance re-checks of the displayed posts (default 24, at most 24). */
  recheckHours?: number;
  /** Pages read at most per account or query in one poll when catching up (default 5). */
  maxPagesPerPoll?: number;
  /** Poll interval inside the feed's event window (default 60 s). */
  fastPollSeconds?: number;
  /** Poll interval outside the event window (default 900 s). */
  slowPollSeconds?: number;
  /** Socket inactivity timeout of one request (default 15 000 ms). */
  requestTimeoutMs?: number;
  /** Requests allowed per 15 minutes per endpoint for this app, until X's headers say otherwise. */
  rateLimits?: Partial<Record<XEndpoint, number>>;
  /** max_results of incremental reads (default 100). */
  pageSize?: number;
  /** max_results of the very first read of an account or query: no deep history (default 20). */
  firstPageSize?: number;
  /** Randomness for backoff jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  /** Replaces the twitter-api-v2 client (tests). */
  client?: XClient;
}

export type XSourceState =
  'starting' | 'ok' | 'rate-limited' | 'usage-capped' | 'misconfigured' | 'unavailable' | 'budget-exhausted';

/** The opaque cursor: newest post id seen per account and per search query. */
interface XCursor {
  v: 1;
  accounts: Record<string, string>;
  queries: Record<string, string>;
}

interface ReadCounts {
  day: string;
  dayPosts: number;
  dayUsers: number;
  month: string;
  monthPosts: number;
  monthUsers: number;
}

interface SharedReads {
  month: string;
  posts: number;
  users: number;
}

type ResolvedUser = { id: string; username: string } | { missing: true; checkedAt: number };

/** X's rate-limit window. */
const WINDOW_MS = 15 * 60_000;
/** Default requests per 15 minutes, app (bearer) auth, 2026 documentation. */
const DEFAULT_RATE_LIMITS: Record<XEndpoint, number> = { search: 450, timeline: 10_000, user: 300, lookup: 450 };
/** Retry interval when X says the token or the query is wrong: often enough to notice a fix, rarely enough to stay quiet. */
const MISCONFIGURED_RETRY_MS = 15 * 60_000;
/** First backoff step after 5xx / timeouts, doubled each time up to the cap. */
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_CAP_MS = 15 * 60_000;
/** A paused source still wakes up this often (no X call) so that `resume()` or a new month takes effect. */
const PAUSED_RECHECK_MS = 60 * 60_000;
/** How long an account not found on X is left alone before being looked up again. */
const MISSING_ACCOUNT_RETRY_MS = 24 * 3_600_000;
/** Search queries are limited to 512 characters. */
const MAX_QUERY_LENGTH = 512;
/** Smallest max_results per endpoint. */
const MIN_RESULTS: Record<'search' | 'timeline', number> = { search: 10, timeline: 5 };
const LOOKUP_BATCH = 100;
/** How far back search/recent reaches. */
const SEARCH_WINDOW_MS = 7 * 24 * 3_600_000;
/** Stay this far inside the search window, for clock differences with X. */
const SEARCH_EDGE_MARGIN_MS = 15 * 60_000;
/** X's 400 for a since_id older than the search window, with the smallest id it accepts. */
const STALE_SINCE_ID = /'since_id' must be a tweet id created after .*?larger than (\d+)/;
/** X's snowflake epoch: ids carry their creation time. */
const SNOWFLAKE_EPOCH = 1288834974657;
/** Feeds that have not polled for this long no longer count in the shared rate-limit floor. */
const LOAD_TTL_MS = 24 * 3_600_000;

const SEVERITY: XErrorKind[] = ['unavailable', 'rate-limit', 'bad-request', 'auth', 'usage-cap'];

// ---------------------------------------------------------------------------
// Small pure helpers

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function utcMonth(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The first instant of the next UTC month: when X's monthly cap resets. */
export function startOfNextUtcMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * One search query per group of hashtags, each at most 512 characters:
 * `(#a OR #b) -is:retweet` (reposts reach the feed through the accounts' timelines).
 */
export function buildSearchQueries(hashtags: readonly string[], maxLength = MAX_QUERY_LENGTH): string[] {
  const suffix = ' -is:retweet';
  const wrap = (tags: string[]) =>
    tags.length === 1 ? `#${tags[0]}${suffix}` : `(${tags.map((t) => `#${t}`).join(' OR ')})${suffix}`;
  const queries: string[] = [];
  let group: string[] = [];
  for (const tag of [...new Set(hashtags.map((t) => t.replace(/^#/, '')))]) {
    if (group.length > 0 && wrap([...group, tag]).length > maxLength) {
      queries.push(wrap(group));
      group = [];
    }
    group.push(tag);
  }
  if (group.length > 0) queries.push(wrap(group));
  return queries;
}

function parseCursor(cursor: string | null): XCursor {
  const empty: XCursor = { v: 1, accounts: {}, queries: {} };
  if (!cursor) return empty;
  try {
    const parsed = JSON.parse(cursor) as Partial<XCursor>;
    if (parsed?.v !== 1) return empty;
    return { v: 1, accounts: { ...parsed.accounts }, queries: { ...parsed.queries } };
  } catch {
    return empty;
  }
}

function newer(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return BigInt(a) >= BigInt(b) ? a : b;
}

/** When a post id was minted (ms since the Unix epoch). */
export function snowflakeTime(id: string): number {
  return /^\d{1,20}$/.test(id) ? Number(BigInt(id) >> 22n) + SNOWFLAKE_EPOCH : 0;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('poll aborted');
}

// ---------------------------------------------------------------------------

interface Unit {
  kind: 'timeline' | 'search';
  /** Cursor key: lowercase username or the query. */
  key: string;
  /** User id (timeline) or query text (search). */
  target: string;
}

export function createXSource(context: SourceContext, options: XSourceOptions): Source {
  const { feed, state, sharedState, clock } = context;
  const redact = redactor([options.bearerToken]);
  // Whatever X or a gateway echoes, the token never reaches a log line.
  const log = context.log.child({ source: 'x', feed: feed.id }).redacting(redact);
  const client =
    options.client ??
    createXClient({
      bearerToken: options.bearerToken,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    });
  const recheckMs = Math.min(24, Math.max(0.01, options.recheckHours ?? 24)) * 3_600_000;
  const maxPages = Math.max(1, options.maxPagesPerPoll ?? 5);
  const fastMs = (options.fastPollSeconds ?? 60) * 1000;
  const slowMs = (options.slowPollSeconds ?? 900) * 1000;
  const pageSize = Math.min(100, Math.max(10, options.pageSize ?? 100));
  const firstPageSize = Math.min(100, Math.max(10, options.firstPageSize ?? 20));
  const budget = options.monthlyPostBudget;
  const random = options.random ?? Math.random;
  const queries = buildSearchQueries(feed.hashtags);
  const accounts = [...new Set(accountsOf(feed, 'x').map((a) => a.replace(/^@/, '')))];

  // In-memory state: what /api/health shows and what must not repeat in the log.
  let healthState: XSourceState = 'starting';
  let lastSuccessAt: number | undefined;
  let lastError: { at: number; kind: string; message: string } | undefined;
  let nextPollAt: number | undefined;
  let consecutiveFailures = 0;
  /** The wait asked for after the last poll: the compliance re-check runs one poll early rather than one late. */
  let plannedWaitMs = 0;
  let misconfiguredLogged = false;
  const warnedOnce = new Set<string>();

  // --- persistent state -----------------------------------------------------

  function rateLimits(): Partial<Record<XEndpoint, XRateLimit>> {
    return sharedState.get<Partial<Record<XEndpoint, XRateLimit>>>('rateLimits') ?? {};
  }

  function saveRateLimit(endpoint: XEndpoint, rl: XRateLimit): void {
    sharedState.set('rateLimits', { ...rateLimits(), [endpoint]: rl });
  }

  /** When the endpoint may be called again (undefined: now). */
  function blockedUntil(endpoint: XEndpoint, now: number): number | undefined {
    const rl = rateLimits()[endpoint];
    if (rl && rl.remaining <= 0 && rl.resetAt > now) return rl.resetAt;
    return undefined;
  }

  function pause(): { until: number } | undefined {
    return sharedState.get<{ until: number } | null>('pause') ?? undefined;
  }

  function readCounts(now: number): ReadCounts {
    const saved = state.get<ReadCounts>('reads');
    const day = utcDay(now);
    const month = utcMonth(now);
    const counts: ReadCounts = saved
      ? { ...saved }
      : { day, dayPosts: 0, dayUsers: 0, month, monthPosts: 0, monthUsers: 0 };
    if (counts.day !== day) Object.assign(counts, { day, dayPosts: 0, dayUsers: 0 });
    if (counts.month !== month) Object.assign(counts, { month, monthPosts: 0, monthUsers: 0 });
    return counts;
  }

  function sharedReads(now: number): SharedReads {
    const month = utcMonth(now);
    const saved = sharedState.get<SharedReads>('monthlyReads');
    return saved && saved.month === month ? saved : { month, posts: 0, users: 0 };
  }

  function countRead(posts: number, users: number): void {
    if (posts === 0 && users === 0) return;
    const now = clock.now();
    const mine = readCounts(now);
    mine.dayPosts += posts;
    mine.dayUsers += users;
    mine.monthPosts += posts;
    mine.monthUsers += users;
    state.set('reads', mine);
    const all = sharedReads(now);
    sharedState.set('monthlyReads', { month: all.month, posts: all.posts + posts, users: all.users + users });
  }

  /** Post reads left this month (Infinity without a budget). */
  function budgetLeft(now: number): number {
    if (budget === undefined) return Infinity;
    return Math.max(0, budget - sharedReads(now).posts);
  }

  // --- calls ------------------------------------------------------------------

  /** One call to X, with rate-limit bookkeeping; throws XApiError. */
  async function call<T>(endpoint: XEndpoint, signal: AbortSignal, run: () => Promise<XAnswer<T>>): Promise<T> {
    if (signal.aborted) throw abortError(signal);
    let onAbort: (() => void) | undefined;
    // twitter-api-v2 takes no AbortSignal: stop waiting on abort (the request itself ends at its timeout).
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const answer = await Promise.race([run(), aborted]);
      if (answer.rateLimit) saveRateLimit(endpoint, answer.rateLimit);
      return answer.body;
    } catch (err) {
      if (!(err instanceof XApiError)) throw err;
      if (err.kind === 'rate-limit') {
        const resetAt =
          err.rateLimit && err.rateLimit.resetAt > clock.now() ? err.rateLimit.resetAt : clock.now() + WINDOW_MS;
        saveRateLimit(endpoint, { limit: err.rateLimit?.limit ?? limitOf(endpoint), remaining: 0, resetAt });
      } else if (err.rateLimit) {
        saveRateLimit(endpoint, err.rateLimit);
      }
      throw err;
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  function limitOf(endpoint: XEndpoint): number {
    return rateLimits()[endpoint]?.limit ?? options.rateLimits?.[endpoint] ?? DEFAULT_RATE_LIMITS[endpoint];
  }

  /** Timelines to read: account ids from `state`, looked up once; a failed look-up is retried next poll. */
  async function resolveAccounts(now: number, signal: AbortSignal, failures: XApiError[]): Promise<Unit[]> {
    const ids = { ...state.get<Record<string, ResolvedUser>>('userIds') };
    const units: Unit[] = [];
    let lookups = true;
    for (const account of accounts) {
      const key = account.toLowerCase();
      let resolved = ids[key];
      const stale = resolved && 'missing' in resolved && now - resolved.checkedAt >= MISSING_ACCOUNT_RETRY_MS;
      if ((!resolved || stale) && lookups && blockedUntil('user', now) === undefined) {
        let body: Awaited<ReturnType<XClient['userByUsername']>>['body'];
        try {
          body = await call('user', signal, () => client.userByUsername(account));
        } catch (err) {
          if (!(err instanceof XApiError)) throw err;
          failures.push(err);
          // Rate limit, usage cap, bad token: no more look-ups this poll; known accounts are still read.
          if (err.kind !== 'unavailable' && err.kind !== 'bad-request') lookups = false;
          continue;
        }
        if (body.data?.id) {
          resolved = { id: body.data.id, username: body.data.username };
          countRead(0, 1);
        } else {
          resolved = { missing: true, checkedAt: now };
          log.warn('x.account.not-found', { account, detail: body.errors?.[0]?.title });
        }
        ids[key] = resolved;
        state.set('userIds', ids);
      }
      if (resolved && 'id' in resolved) units.push({ kind: 'timeline', key, target: resolved.id });
    }
    return units;
  }

  /** Reads one account or query: the first page only without a cursor, else up to `maxPages` pages. */
  async function readUnit(unit: Unit, since: string | undefined, signal: AbortSignal) {
    const posts: Post[] = [];
    const removals: string[] = [];
    let newest: string | undefined;
    let token: string | undefined;
    let partialErrors = 0;
    let budgetStopped = false;
    const endpoint: XEndpoint = unit.kind;
    for (let pageNo = 0; pageNo < (since ? maxPages : 1); pageNo++) {
      // Each post may bring its referenced post: ask for at most half of what the budget leaves.
      const left = budgetLeft(clock.now());
      const wanted = since ? pageSize : firstPageSize;
      const max = Math.min(wanted, left === Infinity ? wanted : Math.floor(left / 2));
      if (max < MIN_RESULTS[unit.kind]) {
        budgetStopped = pageNo === 0;
        break;
      }
      const query: Record<string, string | number> = { max_results: max };
      let body: XTweetsPayload;
      if (unit.kind === 'search') {
        // Search reaches 7 days back and rejects an older since_id: a quiet hashtag starts from the window's edge instead.
        const edge = clock.now() - SEARCH_WINDOW_MS + SEARCH_EDGE_MARGIN_MS;
        if (since && snowflakeTime(since) < edge)
          query.start_time = new Date(edge).toISOString().replace(/\.\d{3}Z$/, 'Z');
        else if (since) query.since_id = since;
        if (token) query.next_token = token;
        try {
          body = await call('search', signal, () => client.searchRecent({ query: unit.target, ...query }));
        } catch (err) {
          // Clocks disagree: X names the oldest since_id it accepts; retry once with it.
          const suggested =
            err instanceof XApiError && err.kind === 'bad-request' ? STALE_SINCE_ID.exec(err.message)?.[1] : undefined;
          if (!suggested || query.since_id === undefined) throw err;
          log.info('x.since-id.too-old', { since: query.since_id, retryWith: suggested });
          query.since_id = suggested;
          body = await call('search', signal, () => client.searchRecent({ query: unit.target, ...query }));
        }
      } else {
        if (since) query.since_id = since;
        query.exclude = 'replies';
        if (token) query.pagination_token = token;
        body = await call('timeline', signal, () => client.userTimeline(unit.target, query));
      }
      const reads = countReads(body);
      countRead(reads.posts, reads.users);
      const page = normalizePage(body);
      posts.push(...page.posts);
      removals.push(...page.removals);
      partialErrors += page.errors.length;
      if (pageNo === 0) newest = body.meta?.newest_id ?? body.data?.[0]?.id;
      token = body.meta?.next_token;
      if (!token) break;
      if (pageNo + 1 === maxPages && since) {
        log.warn('x.catch-up.capped', { endpoint, pages: maxPages, hint: 'older posts of this gap are skipped' });
      }
      if (blockedUntil(endpoint, clock.now()) !== undefined) break;
    }
    return { posts, removals, newest, partialErrors, endpoint, budgetStopped };
  }

  /** Removals from the compliance re-check when one is due; a failed batch is reported in `failures` and the re-check is retried next poll. */
  async function recheck(now: number, signal: AbortSignal, failures: XApiError[]): Promise<string[] | undefined> {
    const last = state.get<number>('lastRecheckAt');
    // Due when waiting for the next poll would let the gap exceed recheckHours (X: "within 24 hours").
    if (last !== undefined && now - last + plannedWaitMs <= recheckMs) return undefined;
    const ids = [...new Set(context.displayedIds())];
    const removals: string[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      if (blockedUntil('lookup', clock.now()) !== undefined) return removals.length ? removals : undefined;
      const batch = ids.slice(i, i + LOOKUP_BATCH);
      let body: XTweetsPayload;
      try {
        body = await call('lookup', signal, () => client.lookupTweets(batch));
      } catch (err) {
        if (!(err instanceof XApiError)) throw err;
        failures.push(err);
        return removals;
      }
      const reads = countReads(body);
      countRead(reads.posts, reads.users);
      removals.push(...idsToRemove(batch, body));
    }
    state.set('lastRecheckAt', now);
    if (removals.length) log.info('x.recheck.removed', { count: removals.length, checked: ids.length });
    return removals;
  }

  // --- scheduling ---------------------------------------------------------------

  /** The shortest interval all X feeds together can keep within the rate limits. */
  function rateLimitFloorMs(now: number, units: { search: number; timeline: number }): number {
    const load = { ...sharedState.get<Record<string, { search: number; timeline: number; seenAt: number }>>('load') };
    load[feed.id] = { ...units, seenAt: now };
    for (const [id, entry] of Object.entries(load)) if (now - entry.seenAt > LOAD_TTL_MS) delete load[id];
    sharedState.set('load', load);
    let floor = 0;
    for (const endpoint of ['search', 'timeline'] as const) {
      const calls = Object.values(load).reduce((sum, e) => sum + (e[endpoint] ?? 0), 0);
      if (calls > 0) floor = Math.max(floor, (WINDOW_MS * calls) / limitOf(endpoint));
    }
    return Math.ceil(floor);
  }

  /**
   * The normal wait before the next poll: event window, fixed interval, rate-limit floor, budget pace;
   * never longer than `recheckHours`, so that the compliance re-check, which runs in a poll, is never late.
   */
  function intervalMs(now: number): number {
    let base: number;
    if (feed.pollSeconds !== undefined) base = feed.pollSeconds * 1000;
    else if (feed.eventWindow) {
      const start = Date.parse(feed.eventWindow.start);
      const end = Date.parse(feed.eventWindow.end);
      if (now >= start && now <= end) base = fastMs;
      else if (now < start) base = Math.min(slowMs, Math.max(fastMs, start - now));
      else base = slowMs;
    } else base = slowMs;
    const floor = rateLimitFloorMs(now, { search: queries.length, timeline: accounts.length });
    let ms = Math.max(base, floor);
    if (budget !== undefined && budget > 0) {
      const used = Math.min(1, sharedReads(now).posts / budget);
      // Past half the budget, slow down: ×2 at 75 %, ×5 at 90 %, up to ×10.
      if (used > 0.5) ms *= Math.min(10, 1 / (2 * Math.max(0.05, 1 - used)));
    }
    return Math.round(Math.min(ms, recheckMs));
  }

  function backoffMs(): number {
    const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, consecutiveFailures - 1));
    return Math.round(step / 2 + random() * (step / 2));
  }

  // --- outcomes -------------------------------------------------------------------

  function fail(kind: XErrorKind | 'budget', err: XApiError | undefined, now: number): SourceError {
    const message = redact(err?.message ?? 'X error');
    lastError = { at: now, kind, message };
    switch (kind) {
      case 'usage-cap': {
        const until = startOfNextUtcMonth(now);
        if (pause()?.until !== until) {
          sharedState.set('pause', { until, reason: 'usage-capped' });
          log.error('x.usage-cap', {
            message,
            pausedUntil: new Date(until).toISOString(),
            hint: 'raise the cap in the X developer console, then resume the feed',
          });
        }
        healthState = 'usage-capped';
        return new SourceError(
          `${message}; paused until ${new Date(until).toISOString()} or an operator resumes`,
          Math.min(until - now, PAUSED_RECHECK_MS),
          'usage-capped',
          { cause: err, reported: true },
        );
      }
      case 'auth':
      case 'bad-request': {
        healthState = 'misconfigured';
        if (!misconfiguredLogged) {
          misconfiguredLogged = true;
          log.error('x.misconfigured', {
            status: err?.status,
            message,
            hint:
              kind === 'auth'
                ? 'check X_BEARER_TOKEN and that the app is attached to a project with API access'
                : 'X rejected the query: check the feed accounts and hashtags',
          });
        }
        return new SourceError(message, MISCONFIGURED_RETRY_MS, 'misconfigured', { cause: err, reported: true });
      }
      case 'rate-limit': {
        healthState = 'rate-limited';
        const resetAt = err ? blockedUntil(err.endpoint, now) : undefined;
        const wait = Math.max(1000, (resetAt ?? now + WINDOW_MS) - now + 1000);
        log.warn('x.rate-limited', { endpoint: err?.endpoint, until: new Date(now + wait).toISOString() });
        return new SourceError(message, wait, 'rate-limited', { cause: err });
      }
      case 'budget': {
        healthState = 'budget-exhausted';
        const until = startOfNextUtcMonth(now);
        if (!warnedOnce.has(`budget-${utcMonth(now)}`)) {
          warnedOnce.add(`budget-${utcMonth(now)}`);
          log.warn('x.budget.exhausted', { monthlyPostBudget: budget, until: new Date(until).toISOString() });
        }
        return new SourceError(
          `monthly post budget of ${budget} reads is used up until ${new Date(until).toISOString()}`,
          Math.min(until - now, PAUSED_RECHECK_MS),
          'budget-exhausted',
        );
      }
      default: {
        healthState = 'unavailable';
        consecutiveFailures++;
        return new SourceError(message, backoffMs(), 'unavailable', { cause: err });
      }
    }
  }

  /** How long an archived feed waits for its next compliance re-check. */
  function recheckWaitMs(now: number): number {
    const last = state.get<number>('lastRecheckAt') ?? now;
    return Math.max(1000, last + recheckMs - now + 1000);
  }

  /**
   * One poll: the compliance re-check when due, then (unless `complianceOnly`, for an archived
   * feed) the new posts of every account and hashtag query.
   */
  async function poll(cursorText: string | null, signal: AbortSignal, complianceOnly = false): Promise<PollResult> {
    const now = clock.now();
    const cursor = parseCursor(cursorText);

    const paused = pause();
    if (paused) {
      if (now < paused.until) {
        healthState = 'usage-capped';
        throw new SourceError(
          `X usage cap reached; paused until ${new Date(paused.until).toISOString()} or an operator resumes`,
          Math.min(paused.until - now, PAUSED_RECHECK_MS),
          'usage-capped',
        );
      }
      sharedState.set('pause', null);
    }

    const posts = new Map<string, Post>();
    const removals = new Set<string>();
    const failures: XApiError[] = [];
    let progress = false;
    let blocked: number | undefined;
    let budgetHit = false;

    const runStep = async <T>(step: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await step();
      } catch (err) {
        if (!(err instanceof XApiError)) throw err;
        failures.push(err);
        return undefined;
      }
    };
    const fatal = () => failures.some((f) => f.kind === 'usage-cap' || f.kind === 'auth');

    // Compliance comes first: it runs even when the budget is used up.
    const rechecked = blockedUntil('lookup', now) === undefined ? await recheck(now, signal, failures) : undefined;
    // A re-check that removes nothing is no sign of freshness: it does not count as progress.
    if (rechecked?.length) {
      progress = true;
      for (const id of rechecked) removals.add(id);
    }

    const budgetExhausted = !complianceOnly && budgetLeft(now) < 2 * MIN_RESULTS.timeline;
    if (!complianceOnly && !budgetExhausted && !fatal()) {
      const units: Unit[] = [];
      if (accounts.length) {
        units.push(...(await resolveAccounts(now, signal, failures)));
      }
      for (const q of queries) units.push({ kind: 'search', key: q, target: q });
      for (const unit of units) {
        if (fatal()) break;
        const until = blockedUntil(unit.kind, clock.now());
        if (until !== undefined) {
          blocked = Math.min(blocked ?? until, until);
          continue;
        }
        const store = unit.kind === 'search' ? cursor.queries : cursor.accounts;
        const result = await runStep(() => readUnit(unit, store[unit.key], signal));
        if (!result) continue;
        if (result.budgetStopped) {
          budgetHit = true;
          continue;
        }
        progress = true;
        // Avatars and images go through this server's /media, so that visitors never reach X.
        for (const p of result.posts) posts.set(p.id, withProxiedMedia(p));
        for (const id of result.removals) removals.add(id);
        const newest = newer(store[unit.key], result.newest);
        if (newest !== undefined) store[unit.key] = newest;
        if (result.partialErrors)
          log.info('x.partial-errors', { endpoint: result.endpoint, count: result.partialErrors });
      }
    }

    const after = clock.now();
    const worst = failures.reduce<XApiError | undefined>(
      (w, f) => (!w || SEVERITY.indexOf(f.kind) > SEVERITY.indexOf(w.kind) ? f : w),
      undefined,
    );
    if (!progress) {
      if (worst) throw fail(worst.kind, worst, after);
      if (budgetExhausted || budgetHit) throw fail('budget', undefined, after);
      if (blocked !== undefined) {
        healthState = 'rate-limited';
        lastError = { at: after, kind: 'rate-limit', message: 'X rate limit: waiting for the window to reset' };
        throw new SourceError(
          'X rate limit: waiting for the window to reset',
          Math.max(1000, blocked - after + 1000),
          'rate-limited',
        );
      }
    }

    // Success (possibly partial).
    for (const id of removals) posts.delete(id);
    let wait = complianceOnly ? recheckWaitMs(after) : intervalMs(after);
    if (worst) {
      const err = fail(worst.kind, worst, after);
      // A rate-limited endpoint is skipped until its reset and a rejected query fails for free:
      // the others keep their pace. Outages and account-wide failures slow everything down.
      if (worst.kind === 'unavailable' || worst.kind === 'auth' || worst.kind === 'usage-cap') {
        wait = Math.max(wait, err.retryInMs);
      }
    } else {
      consecutiveFailures = 0;
      misconfiguredLogged = false;
      healthState = budgetExhausted || budgetHit ? 'budget-exhausted' : blocked !== undefined ? 'rate-limited' : 'ok';
      if (budgetExhausted) wait = Math.min(PAUSED_RECHECK_MS, startOfNextUtcMonth(after) - after);
    }
    lastSuccessAt = after;
    nextPollAt = after + wait;
    plannedWaitMs = complianceOnly ? 0 : Math.min(wait, recheckMs / 2);
    const sorted = [...posts.values()].sort(comparePosts);
    return { posts: sorted, removals: [...removals], cursor: JSON.stringify(cursor), nextPollInMs: wait };
  }

  /** `poll`, remembering when a failed one will be retried (for /api/health). */
  async function pollTracked(cursor: string | null, signal: AbortSignal, complianceOnly: boolean) {
    try {
      return await poll(cursor, signal, complianceOnly);
    } catch (err) {
      if (err instanceof SourceError) nextPollAt = clock.now() + err.retryInMs;
      throw err;
    }
  }

  return {
    kind: 'x',
    poll: (cursor, signal) => pollTracked(cursor, signal, false),
    complianceCheck: (cursor, signal) => pollTracked(cursor, signal, true),
    health(view: HealthView = 'public') {
      const now = clock.now();
      const mine = readCounts(now);
      const all = sharedReads(now);
      const limits = rateLimits();
      const paused = pause();
      return {
        state: paused && now < paused.until ? 'usage-capped' : healthState,
        lastSuccessAt: lastSuccessAt !== undefined ? new Date(lastSuccessAt).toISOString() : null,
        // What X said stays with operators: a gateway may echo anything.
        lastError: lastError
          ? {
              at: new Date(lastError.at).toISOString(),
              kind: lastError.kind,
              ...(view === 'operator' ? { message: lastError.message } : {}),
            }
          : null,
        nextPollAt: nextPollAt !== undefined ? new Date(nextPollAt).toISOString() : null,
        reads: {
          today: { posts: mine.dayPosts, users: mine.dayUsers },
          month: { posts: mine.monthPosts, users: mine.monthUsers },
          allFeedsMonth: { posts: all.posts, users: all.users },
        },
        budget:
          budget === undefined
            ? null
            : { monthlyPostBudget: budget, used: all.posts, remaining: Math.max(0, budget - all.posts) },
        pausedUntil: paused && now < paused.until ? new Date(paused.until).toISOString() : null,
        rateLimits: Object.fromEntries(
          Object.entries(limits).map(([e, rl]) => [
            e,
            { limit: rl.limit, remaining: rl.remaining, resetAt: new Date(rl.resetAt).toISOString() },
          ]),
        ),
        accounts: accounts.length,
        queries: queries.length,
      };
    },
    close() {
      // Only the client this source created: an injected one belongs to the caller.
      if (!options.client) client.close?.();
    },
    resume() {
      sharedState.set('pause', null);
      consecutiveFailures = 0;
      misconfiguredLogged = false;
      healthState = 'starting';
      log.info('x.resumed');
    },
  };
}

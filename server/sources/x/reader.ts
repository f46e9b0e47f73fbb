/**
 * Reading X: the units a feed reads (one timeline per account, one search per group of
 * hashtags), the cursor of the newest post seen per unit, account look-ups, and paging through
 * `since_id` and `next_token` (the first read of a unit takes its latest page only). Every call
 * goes through the rate limits and is counted in the ledger.
 */
import type { Clock } from '../../clock.js';
import type { Post } from '../../contract.js';
import type { Logger } from '../../log.js';
import type { SourceState } from '../source.js';
import type { XTweetsPayload } from './api-types.js';
import { MIN_RESULTS, pageSizeWithin } from './budget.js';
import { XApiError, type XClient } from './client.js';
import type { ReadLedger } from './ledger.js';
import type { XRateLimits } from './limits.js';
import { countReads, normalizePage } from './normalize.js';

/** One thing a feed reads: an account's timeline or a hashtag search. */
export interface Unit {
  kind: 'timeline' | 'search';
  /** Cursor key: lowercase username or the query. */
  key: string;
  /** User id (timeline) or query text (search). */
  target: string;
}

/** The opaque cursor: newest post id seen per account and per search query. */
export interface XCursor {
  v: 1;
  accounts: Record<string, string>;
  queries: Record<string, string>;
}

/** What reading one unit brought. */
export interface UnitRead {
  posts: Post[];
  removals: string[];
  /** The newest post id of the first page: where the next poll starts. */
  newest: string | undefined;
  /** Errors X reported inside its answers (deleted referenced posts...). */
  partialErrors: number;
  /** Nothing was read: the budget leaves too little for one page. */
  budgetStopped: boolean;
}

type ResolvedUser = { id: string; username: string } | { missing: true; checkedAt: number };

/** Search queries are limited to 512 characters. */
const MAX_QUERY_LENGTH = 512;
/** How far back search/recent reaches. */
const SEARCH_WINDOW_MS = 7 * 24 * 3_600_000;
/** Stay this far inside the search window, for clock differences with X. */
const SEARCH_EDGE_MARGIN_MS = 15 * 60_000;
/** X's 400 for a since_id older than the search window, with the smallest id it accepts. */
const STALE_SINCE_ID = /'since_id' must be a tweet id created after .*?larger than (\d+)/;
/** X's snowflake epoch: ids carry their creation time. */
const SNOWFLAKE_EPOCH = 1288834974657;
/** How long an account not found on X is left alone before being looked up again. */
const MISSING_ACCOUNT_RETRY_MS = 24 * 3_600_000;

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

export function parseCursor(cursor: string | null): XCursor {
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

/** The newer of two post ids. */
export function newer(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return BigInt(a) >= BigInt(b) ? a : b;
}

/** When a post id was minted (ms since the Unix epoch). */
export function snowflakeTime(id: string): number {
  return /^\d{1,20}$/.test(id) ? Number(BigInt(id) >> 22n) + SNOWFLAKE_EPOCH : 0;
}

export interface XReaderOptions {
  client: XClient;
  limits: XRateLimits;
  ledger: ReadLedger;
  /** This feed's state: account ids looked up (key `userIds`). */
  state: SourceState;
  clock: Clock;
  log: Logger;
  /** Post reads the budget leaves this month. */
  budgetLeft(): number;
  /** max_results of incremental reads. */
  pageSize: number;
  /** max_results of the very first read of a unit: no deep history. */
  firstPageSize: number;
  /** Pages read at most per unit in one poll when catching up. */
  maxPages: number;
}

export class XReader {
  readonly #o: XReaderOptions;

  constructor(options: XReaderOptions) {
    this.#o = options;
  }

  /**
   * The timelines of `accounts`: ids looked up once and kept; an account X does not know is asked
   * again a day later; a failed look-up (reported in `failures`) is retried at the next poll.
   */
  async timelines(accounts: readonly string[], signal: AbortSignal, failures: XApiError[]): Promise<Unit[]> {
    const { state, limits, client, ledger, clock, log } = this.#o;
    const now = clock.now();
    const ids = { ...state.get<Record<string, ResolvedUser>>('userIds') };
    const units: Unit[] = [];
    let lookups = true;
    for (const account of accounts) {
      const key = account.toLowerCase();
      let resolved = ids[key];
      const stale = resolved && 'missing' in resolved && now - resolved.checkedAt >= MISSING_ACCOUNT_RETRY_MS;
      if ((!resolved || stale) && lookups && limits.blockedUntil('user', now) === undefined) {
        let body: Awaited<ReturnType<XClient['userByUsername']>>['body'];
        try {
          body = await limits.call('user', signal, () => client.userByUsername(account));
        } catch (err) {
          if (!(err instanceof XApiError)) throw err;
          failures.push(err);
          // Rate limit, usage cap, bad token: no more look-ups this poll; known accounts are still read.
          if (err.kind !== 'unavailable' && err.kind !== 'bad-request') lookups = false;
          continue;
        }
        if (body.data?.id) {
          resolved = { id: body.data.id, username: body.data.username };
          ledger.count(0, 1);
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

  /** Reads one unit: its latest page only without a cursor, else up to `maxPages` pages after `since`. */
  async read(unit: Unit, since: string | undefined, signal: AbortSignal): Promise<UnitRead> {
    const { clock, ledger, limits, log, maxPages } = this.#o;
    const read: UnitRead = { posts: [], removals: [], newest: undefined, partialErrors: 0, budgetStopped: false };
    let token: string | undefined;
    for (let pageNo = 0; pageNo < (since ? maxPages : 1); pageNo++) {
      const max = pageSizeWithin(since ? this.#o.pageSize : this.#o.firstPageSize, this.#o.budgetLeft());
      if (max < MIN_RESULTS[unit.kind]) {
        read.budgetStopped = pageNo === 0;
        break;
      }
      const body = await this.#page(unit, since, token, max, signal);
      const reads = countReads(body);
      ledger.count(reads.posts, reads.users);
      const page = normalizePage(body);
      read.posts.push(...page.posts);
      read.removals.push(...page.removals);
      read.partialErrors += page.errors.length;
      if (pageNo === 0) read.newest = body.meta?.newest_id ?? body.data?.[0]?.id;
      token = body.meta?.next_token;
      if (!token) break;
      if (pageNo + 1 === maxPages && since) {
        log.warn('x.catch-up.capped', {
          endpoint: unit.kind,
          pages: maxPages,
          hint: 'older posts of this gap are skipped',
        });
      }
      if (limits.blockedUntil(unit.kind, clock.now()) !== undefined) break;
    }
    return read;
  }

  /** One page of a timeline or a search. */
  async #page(
    unit: Unit,
    since: string | undefined,
    token: string | undefined,
    max: number,
    signal: AbortSignal,
  ): Promise<XTweetsPayload> {
    const { client, limits, clock, log } = this.#o;
    const query: Record<string, string | number> = { max_results: max };
    if (unit.kind === 'timeline') {
      if (since) query.since_id = since;
      query.exclude = 'replies';
      if (token) query.pagination_token = token;
      return limits.call('timeline', signal, () => client.userTimeline(unit.target, query));
    }
    // Search reaches 7 days back and rejects an older since_id: a quiet hashtag starts from the window's edge instead.
    const edge = clock.now() - SEARCH_WINDOW_MS + SEARCH_EDGE_MARGIN_MS;
    if (since && snowflakeTime(since) < edge) query.start_time = new Date(edge).toISOString().replace(/\.\d{3}Z$/, 'Z');
    else if (since) query.since_id = since;
    if (token) query.next_token = token;
    const search = () => limits.call('search', signal, () => client.searchRecent({ query: unit.target, ...query }));
    try {
      return await search();
    } catch (err) {
      // Clocks disagree: X names the oldest since_id it accepts; retry once with it.
      const suggested =
        err instanceof XApiError && err.kind === 'bad-request' ? STALE_SINCE_ID.exec(err.message)?.[1] : undefined;
      if (!suggested || query.since_id === undefined) throw err;
      log.info('x.since-id.too-old', { since: query.since_id, retryWith: suggested });
      query.since_id = suggested;
      return search();
    }
  }
}

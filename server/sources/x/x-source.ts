/**
 * The X source: reads a feed's accounts and hashtags from X API v2 with `since_id` cursors, and
 * re-checks displayed posts for compliance. It composes the parts: reading and paging (`reader`),
 * the ledger of reads (`ledger`), the budget and X's usage cap (`budget`), the rate limits
 * (`limits`), the re-check (`recheck`) and what it says about failures (`status`). The engine
 * owns the schedule; this reports what the next poll must respect.
 */
import type { Post } from '../../contract.js';
import { comparePosts } from '../../post-order.js';
import { redactor } from '../../redact.js';
import type { HealthView, Pacing, PollResult, Source, SourceContext, SourceError } from '../source.js';
import { budgetExhausted, budgetLeft, budgetSlowdown, startOfNextUtcMonth, UsageCapPause } from './budget.js';
import { XApiError, createXClient, type XClient, type XEndpoint } from './client.js';
import { ReadLedger } from './ledger.js';
import { XRateLimits } from './limits.js';
import { buildSearchQueries, newer, parseCursor, XReader, type Unit, type UnitRead } from './reader.js';
import { ComplianceRecheck } from './recheck.js';
import { PAUSED_RECHECK_MS, worstOf, XStatus } from './status.js';

export type { XSourceState } from './status.js';

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
  /** Socket inactivity timeout of one request (default 15 000 ms). */
  requestTimeoutMs?: number;
  /** Requests allowed per 15 minutes per endpoint for this app, until X's headers say otherwise. */
  rateLimits?: Partial<Record<XEndpoint, number>>;
  /** max_results of incremental reads (default 100). */
  pageSize?: number;
  /** max_results of the very first read of an account or query: no deep history (default 20). */
  firstPageSize?: number;
  /** Replaces the twitter-api-v2 client (tests). */
  client?: XClient;
}

/** Failures that slow every endpoint down even when others answered: outages and account-wide refusals. */
const SLOWS_EVERYTHING = new Set(['unavailable', 'auth', 'usage-cap']);

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
  const budget = options.monthlyPostBudget;
  const queries = buildSearchQueries(feed.hashtags);
  const accounts = [...new Set(context.source.accounts.map((a) => a.replace(/^@/, '')))];
  const ledger = new ReadLedger(state, sharedState, clock);
  const limits = new XRateLimits(sharedState, clock, options.rateLimits);
  const pause = new UsageCapPause(sharedState);
  const status = new XStatus({ log, redact, pause, limits, budget });
  const left = () => budgetLeft(budget, ledger.allFeeds(clock.now()).posts);
  const reader = new XReader({
    client,
    limits,
    ledger,
    state,
    clock,
    log,
    budgetLeft: left,
    pageSize: Math.min(100, Math.max(10, options.pageSize ?? 100)),
    firstPageSize: Math.min(100, Math.max(10, options.firstPageSize ?? 20)),
    maxPages: Math.max(1, options.maxPagesPerPoll ?? 5),
  });
  const recheck = new ComplianceRecheck({
    client,
    limits,
    ledger,
    state,
    log,
    displayedIds: context.displayedIds,
    recheckMs: Math.min(24, Math.max(0.01, options.recheckHours ?? 24)) * 3_600_000,
  });

  /** Reads one unit; an X failure is reported in `failures` and the other units are still read. */
  async function readUnit(unit: Unit, since: string | undefined, signal: AbortSignal, failures: XApiError[]) {
    try {
      return await reader.read(unit, since, signal);
    } catch (err) {
      if (!(err instanceof XApiError)) throw err;
      failures.push(err);
      return undefined;
    }
  }

  /**
   * One poll: the compliance re-check when due, then (unless `complianceOnly`, for an archived
   * feed) the new posts of every account and hashtag query. A poll that read something succeeds,
   * even if some endpoints failed; one that read nothing throws the most serious failure.
   */
  async function poll(cursorText: string | null, signal: AbortSignal, complianceOnly: boolean): Promise<PollResult> {
    const now = clock.now();
    const paused = pause.current(now);
    if (paused) throw status.paused(paused.until, now);

    const cursor = parseCursor(cursorText);
    const posts = new Map<string, Post>();
    const removals = new Set<string>();
    const failures: XApiError[] = [];
    let progress = false;
    let blocked: number | undefined;
    let budgetHit = false;
    const fatal = () => failures.some((f) => f.kind === 'usage-cap' || f.kind === 'auth');

    // Compliance comes first: it runs even when the budget is used up. Removing nothing is no
    // sign of freshness: it does not count as progress.
    const rechecked = await recheck.run(now, signal, failures);
    for (const id of rechecked ?? []) removals.add(id);
    if (rechecked?.length) progress = true;

    const exhausted = !complianceOnly && budgetExhausted(left());
    if (!complianceOnly && !exhausted && !fatal()) {
      const units: Unit[] = accounts.length ? await reader.timelines(accounts, signal, failures) : [];
      for (const q of queries) units.push({ kind: 'search', key: q, target: q });
      for (const unit of units) {
        if (fatal()) break;
        const until = limits.blockedUntil(unit.kind, clock.now());
        if (until !== undefined) {
          blocked = Math.min(blocked ?? until, until);
          continue;
        }
        const seen = unit.kind === 'search' ? cursor.queries : cursor.accounts;
        const read: UnitRead | undefined = await readUnit(unit, seen[unit.key], signal, failures);
        if (!read) continue;
        if (read.budgetStopped) {
          budgetHit = true;
          continue;
        }
        progress = true;
        for (const p of read.posts) posts.set(p.id, p);
        for (const id of read.removals) removals.add(id);
        const newest = newer(seen[unit.key], read.newest);
        if (newest !== undefined) seen[unit.key] = newest;
        if (read.partialErrors) log.info('x.partial-errors', { endpoint: unit.kind, count: read.partialErrors });
      }
    }

    const after = clock.now();
    const worst = worstOf(failures);
    if (!progress) {
      if (worst) throw status.fail(worst.kind, worst, after);
      if (exhausted || budgetHit) throw status.fail('budget', undefined, after);
      if (blocked !== undefined) throw status.blocked(blocked, after);
    }

    // Success (possibly partial).
    for (const id of removals) posts.delete(id);
    const pacing: Pacing = { pollBy: recheck.pollBy(after) };
    if (!complianceOnly) {
      pacing.minIntervalMs = limits.floorMs(feed.id, { search: queries.length, timeline: accounts.length }, after);
      pacing.slowdown = budgetSlowdown(budget, ledger.allFeeds(after).posts);
    }
    let partialFailure: SourceError | undefined;
    if (worst) {
      const err = status.fail(worst.kind, worst, after);
      // A rate-limited endpoint is skipped until its reset and a rejected query fails for free:
      // the others keep their pace. Outages and account-wide failures slow everything down.
      if (SLOWS_EVERYTHING.has(worst.kind)) partialFailure = err;
    } else {
      status.succeeded(exhausted || budgetHit ? 'budget-exhausted' : blocked !== undefined ? 'rate-limited' : 'ok');
      if (exhausted) pacing.notBefore = Math.min(startOfNextUtcMonth(after), after + PAUSED_RECHECK_MS);
    }
    return {
      posts: [...posts.values()].sort(comparePosts),
      removals: [...removals],
      cursor: JSON.stringify(cursor),
      pacing,
      ...(partialFailure ? { partialFailure } : {}),
    };
  }

  return {
    kind: 'x',
    poll: (cursor, signal) => poll(cursor, signal, false),
    complianceCheck: (cursor, signal) => poll(cursor, signal, true),
    health(view: HealthView = 'public') {
      const now = clock.now();
      const paused = pause.current(now);
      const used = ledger.allFeeds(now).posts;
      return {
        state: paused ? 'usage-capped' : status.state,
        // What X said stays with operators: a gateway may echo anything.
        lastError: status.lastError(view),
        reads: ledger.health(now),
        budget:
          budget === undefined ? null : { monthlyPostBudget: budget, used, remaining: Math.max(0, budget - used) },
        pausedUntil: paused ? new Date(paused.until).toISOString() : null,
        rateLimits: limits.health(),
        accounts: accounts.length,
        queries: queries.length,
      };
    },
    close() {
      // Only the client this source created: an injected one belongs to the caller.
      if (!options.client) client.close?.();
    },
    resume() {
      pause.lift();
      status.reset();
      log.info('x.resumed');
    },
  };
}

/**
 * Rate limits, read once for every network: the headers of X (`x-rate-limit-*`), Mastodon
 * (`X-RateLimit-*`) and Bluesky (`ratelimit-*`) in one `RateLimit` shape, when calls may resume,
 * and the floor a poll interval must keep so that every feed sharing a limit stays within it.
 * Pure functions, apart from the shared tally kept in a source's state.
 */

/** A limit as a network announces it. */
export interface RateLimit {
  /** Calls allowed per window. */
  limit: number;
  /** Calls left in the current window. */
  remaining: number;
  /** When the window resets (ms since the epoch). */
  resetAt: number;
  /** The window's length, when the network says it (Bluesky's `ratelimit-policy: 3000;w=300`), in ms. */
  windowMs?: number;
}

/** Response headers: a fetch `Headers`, or Node's (and twitter-api-v2's) plain object with lower-case names. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** Persistent key/value state, as sources receive it (the store's `SourceState` has this shape). */
export interface KeyValueState {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/**
 * The header families, most specific first: X sends `x-rate-limit-reset` in Unix seconds, Mastodon
 * `x-ratelimit-reset` as an ISO 8601 time, Bluesky `ratelimit-reset` in Unix seconds (the IETF
 * draft's form, where a small number counts seconds from now).
 */
const PREFIXES = ['x-rate-limit-', 'x-ratelimit-', 'ratelimit-'] as const;

/** A tally entry not refreshed for this long no longer counts: that feed stopped polling. */
const TALLY_TTL_MS = 24 * 3_600_000;

/** Unix seconds are above this; a smaller number of seconds is a delay from now. */
const UNIX_SECONDS_FROM = 1_000_000_000;

function header(headers: HeaderSource, name: string): string | undefined {
  const value = headers instanceof Headers ? headers.get(name) : headers[name];
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? String(value[0]) : String(value)).trim();
}

function count(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/** A reset time: Unix seconds, seconds from now, or an ISO 8601 time (ms since the epoch). */
function resetTime(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d{1,15}(\.\d+)?$/.test(value)) {
    const seconds = Number(value);
    return Math.round(seconds >= UNIX_SECONDS_FROM ? seconds * 1000 : now + seconds * 1000);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * The limit an answer announces, whichever network sent it, or undefined when it announces none
 * (or none readable). A missing `remaining` counts as none left: wait for the reset rather than guess.
 */
export function parseRateLimit(headers: HeaderSource, now: number): RateLimit | undefined {
  for (const prefix of PREFIXES) {
    const limit = count(header(headers, `${prefix}limit`));
    const resetAt = resetTime(header(headers, `${prefix}reset`), now);
    if (limit === undefined || resetAt === undefined) continue;
    const rateLimit: RateLimit = { limit, remaining: count(header(headers, `${prefix}remaining`)) ?? 0, resetAt };
    const window = /(?:^|;)\s*w=(\d{1,9})\b/.exec(header(headers, `${prefix}policy`) ?? '');
    if (window) rateLimit.windowMs = Number(window[1]) * 1000;
    return rateLimit;
  }
  return undefined;
}

/** When calls may resume (undefined: now): a limit with no call left waits for its reset. */
export function blockedUntil(rateLimit: RateLimit | undefined, now: number): number | undefined {
  return rateLimit && rateLimit.remaining <= 0 && rateLimit.resetAt > now ? rateLimit.resetAt : undefined;
}

/**
 * The limit after a "too many requests" answer: nothing left until the reset it announced, or for
 * a whole window when it announced none (or one already past).
 */
export function exhausted(
  announced: RateLimit | undefined,
  fallback: { limit: number; windowMs: number },
  now: number,
): RateLimit {
  const resetAt = announced && announced.resetAt > now ? announced.resetAt : now + fallback.windowMs;
  return { ...announced, limit: announced?.limit ?? fallback.limit, remaining: 0, resetAt };
}

/**
 * The rate-limit floor: the shortest interval between two polls at which `callsPerPoll` calls (of
 * every feed sharing the limit) stay within `limit` calls per `windowMs`, i.e. window × calls ÷ limit.
 */
export function minIntervalMs(rateLimit: { limit: number; windowMs: number }, callsPerPoll: number): number {
  if (callsPerPoll <= 0) return 0;
  return Math.ceil((rateLimit.windowMs * callsPerPoll) / Math.max(1, rateLimit.limit));
}

/**
 * Calls per poll of every feed sharing one limit (one X app, one Mastodon instance), kept in
 * shared `state` under `key`: records `feedId`'s calls per bucket (endpoint) and returns the sums
 * over the feeds that polled within the last day.
 */
export function callsAcrossFeeds(
  state: KeyValueState,
  key: string,
  feedId: string,
  calls: Record<string, number>,
  now: number,
): Record<string, number> {
  type Entry = { calls: Record<string, number>; seenAt: number };
  const tally = { ...state.get<Record<string, Entry>>(key) };
  tally[feedId] = { calls, seenAt: now };
  for (const [id, entry] of Object.entries(tally)) if (now - entry.seenAt > TALLY_TTL_MS) delete tally[id];
  state.set(key, tally);
  const sums: Record<string, number> = {};
  for (const entry of Object.values(tally)) {
    for (const [bucket, n] of Object.entries(entry.calls ?? {})) sums[bucket] = (sums[bucket] ?? 0) + n;
  }
  return sums;
}

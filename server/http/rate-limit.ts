/**
 * Per-address limits on the routes that cost something: a token bucket per client address group,
 * `capacity` requests at once, refilled at `perMinute`. Used for new live streams, for images
 * fetched for the first time and for HTML fragments rendered anew. A refused request gets a JSON
 * 429 with `Retry-After`.
 */
import type { Context } from 'hono';
import type { Clock } from '../clock.js';
import { requestAddressGroup } from './client-address.js';
import type { NodeBindings } from './api.js';

export interface RateLimitOptions {
  /** Requests an address group may make at once. */
  capacity: number;
  /** Tokens given back per minute. */
  perMinute: number;
  clock: Clock;
  /** Address groups remembered at most, the least recently seen forgotten first. */
  maxKeys?: number;
}

export type Admission = { ok: true } | { ok: false; retryAfterS: number };

export class RateLimiter {
  readonly #o: Required<RateLimitOptions>;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: RateLimitOptions) {
    this.#o = { maxKeys: 100_000, ...options };
  }

  /** Takes one token for `key`, or says how long until there is one. */
  take(key: string): Admission {
    const { capacity, perMinute, clock, maxKeys } = this.#o;
    const now = clock.now();
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, at: now };
    // A clock that went backwards refills nothing, and a bucket never holds more than its capacity.
    bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) * perMinute) / 60_000);
    bucket.at = now;
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
    if (bucket.tokens < 1) return { ok: false, retryAfterS: Math.ceil(((1 - bucket.tokens) * 60) / perMinute) };
    bucket.tokens -= 1;
    return { ok: true };
  }
}

/** The client's address group, as the live-stream cap and the login throttle count it. */
export function addressOf(c: Context<{ Bindings: NodeBindings }>, trustProxy: number): string {
  const forwardedFor = trustProxy > 0 ? c.req.header('x-forwarded-for') : undefined;
  return requestAddressGroup(c.env?.incoming, forwardedFor, trustProxy);
}

/** The per-address limits of one server. */
export interface AddressLimits {
  /** New live streams (feeds' events). */
  streams: RateLimiter;
  /** Images fetched from their host for the first time. */
  newImages: RateLimiter;
  /** HTML fragments rendered anew (a shape not asked for since the feed last changed). */
  fragments: RateLimiter;
}

/**
 * Defaults generous enough for a hall where hundreds of phones share one address: twice as many new
 * streams a minute as the address may hold at once (every phone reconnecting twice after a Wi-Fi
 * drop), at least 120, 120 new images a minute, and 120 fragment renders a minute (a CMS asks for
 * one or two shapes, rendered again at each change of the feed).
 */
export function addressLimits(clock: Clock, maxViewersPerAddress: number): AddressLimits {
  const streams = Math.max(2 * maxViewersPerAddress, 120);
  return {
    streams: new RateLimiter({ capacity: streams, perMinute: streams, clock }),
    newImages: new RateLimiter({ capacity: 120, perMinute: 120, clock }),
    fragments: new RateLimiter({ capacity: 120, perMinute: 120, clock }),
  };
}

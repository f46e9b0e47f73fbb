/**
 * The leader lease: the one instance that polls the sources and writes. It is a Redis key set
 * with `SET NX PX` to a random token, renewed by compare-and-expire and released by
 * compare-and-delete (both in Lua, so that nobody renews or deletes a lease it no longer holds).
 *
 * The holder trusts its lease only until `sent + leaseMs - margin`, counted on its own monotonic
 * clock from the moment it sent the command that set or renewed it: a process paused (SIGSTOP)
 * or cut off from Redis past that point stops polling at once, before Redis even tells it the
 * lease went to someone else. At that point it also gives the lease up (`onLost`, as when Redis
 * says it went to another), so that its streams stop at once rather than when Redis answers again.
 * Every write it sends is also fenced by the token (see `change-log.ts`), so a write prepared
 * before the pause is refused after it.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log.js';
import { KEYS, type Redis } from './redis.js';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface LeaseOptions {
  redis: Redis;
  log: Logger;
  /** How long a lease lasts without renewal (ms). */
  leaseMs: number;
  /** Called when this instance becomes the leader. */
  onAcquired(): void;
  /** Called when it no longer is: taken over, or not renewed in time on its own clock (Redis away, a pause). */
  onLost(): void;
  /** Monotonic milliseconds (tests may replace it). */
  monotonic?: () => number;
}

export class LeaderLease {
  /** This instance's token while it holds the lease (a new one at each acquisition). */
  #token: string | undefined;
  #validUntil = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Fires when the lease runs out on this instance's clock without a renewal. */
  #expiry: NodeJS.Timeout | undefined;
  #busy = false;
  readonly #o: LeaseOptions;
  readonly #now: () => number;

  constructor(options: LeaseOptions) {
    this.#o = options;
    this.#now = options.monotonic ?? (() => performance.now());
  }

  /** The token that fences this leader's writes, or undefined when it is not the leader. */
  get token(): string | undefined {
    return this.#token;
  }

  /** Whether this instance holds the lease and may still trust it now. */
  valid(): boolean {
    return this.#token !== undefined && this.#now() < this.#validUntil;
  }

  /**
   * Tries once to take the lease for `ms`, without telling `onAcquired`: the first instance of a
   * cluster holds it that long while it opens its file and copies it into Redis.
   */
  async claim(ms: number): Promise<boolean> {
    const sent = this.#now();
    const token = randomBytes(16).toString('hex');
    const set: unknown = await this.#o.redis.sendCommand(['SET', KEYS.lease, token, 'NX', 'PX', String(ms)]);
    if (set !== 'OK') return false;
    this.#token = token;
    this.#trustUntil(sent + ms - Math.min(1_000, ms / 5));
    return true;
  }

  /** Tries once now, then every third of the lease: to take it when free, to renew it when held. */
  async start(): Promise<void> {
    await this.#tick();
    this.#timer = setInterval(() => void this.#tick(), Math.max(100, Math.floor(this.#o.leaseMs / 3)));
  }

  /** Stops trying and gives the lease back, if held (a clean shutdown hands over at once). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    clearTimeout(this.#expiry);
    const token = this.#token;
    this.#token = undefined;
    if (token === undefined) return;
    await this.#o.redis
      .sendCommand(['EVAL', RELEASE, '1', KEYS.lease, token])
      .catch((err: Error) => this.#o.log.warn('cluster.lease_release_failed', { error: err.message }));
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    const sent = this.#now();
    const margin = Math.min(1_000, this.#o.leaseMs / 5);
    try {
      if (this.#token === undefined) {
        const token = randomBytes(16).toString('hex');
        const set: unknown = await this.#o.redis.sendCommand([
          'SET',
          KEYS.lease,
          token,
          'NX',
          'PX',
          String(this.#o.leaseMs),
        ]);
        if (set === 'OK') {
          this.#token = token;
          this.#trustUntil(sent + this.#o.leaseMs - margin);
          this.#o.log.info('cluster.leader', { leaseMs: this.#o.leaseMs });
          this.#o.onAcquired();
        }
      } else {
        const renewed: unknown = await this.#o.redis.sendCommand([
          'EVAL',
          RENEW,
          '1',
          KEYS.lease,
          this.#token,
          String(this.#o.leaseMs),
        ]);
        if (this.#token === undefined) return;
        if (renewed === 1) this.#trustUntil(sent + this.#o.leaseMs - margin);
        else this.#lose('taken');
      }
    } catch (err) {
      // Redis is away: the lease runs out on its own clock (see #trustUntil); try again.
      if (this.#token !== undefined) this.#o.log.warn('cluster.lease_unconfirmed', { error: (err as Error).message });
    } finally {
      this.#busy = false;
    }
  }

  /** Trusts the lease until `until` (monotonic ms); past it without a renewal, the lease is given up. */
  #trustUntil(until: number): void {
    this.#validUntil = until;
    clearTimeout(this.#expiry);
    this.#expiry = setTimeout(() => this.#expired(), Math.max(0, until - this.#now()));
    this.#expiry.unref();
  }

  #expired(): void {
    if (this.#token === undefined) return;
    // Timers may fire a little early on this clock: wait for the rest.
    if (this.valid()) this.#trustUntil(this.#validUntil);
    else this.#lose('expired');
  }

  /** Gives the lease up: taken by another (Redis said so), or expired on this clock (not renewed in time). */
  #lose(how: 'taken' | 'expired'): void {
    clearTimeout(this.#expiry);
    this.#token = undefined;
    this.#o.log.warn('cluster.leader_lost', { how });
    this.#o.onLost();
  }
}

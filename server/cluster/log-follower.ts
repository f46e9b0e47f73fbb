/**
 * Applying the change log: every instance, the leader included, reads the log in order and
 * applies each entry to its own file (the rows another instance wrote) and to delivery (the
 * events), so that its viewers see only what the cluster committed. An entry that does not follow
 * the last one applied (the log was trimmed while this instance was away) means its file can no
 * longer be trusted: it asks to be restarted from Redis's copy. When Redis does not answer for a
 * few seconds, viewers are told the feeds are stale, and fresh again once it answers.
 */
import type { FeedStatus } from '../contract.js';
import { readAfter, type LogEntry } from './change-log.js';
import type { Outbox } from './outbox.js';
import { compareIds, KEYS, type Redis } from './redis.js';
import type { ClusterServices } from './services.js';

/** Without an answer from Redis for this long, viewers are told the feed is stale (ms). */
const OUTAGE_STALE_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LogFollowerOptions {
  redis: Redis;
  /** The connection that waits on the log (blocking reads). */
  tail: Redis;
  /** This instance: its own rows are in its file already. */
  instance: string;
  outbox: Outbox;
  /** The log moved on without this instance. */
  onFatal(reason: string): void;
}

export class LogFollower {
  readonly #o: LogFollowerOptions;
  #applied: string;
  #waiters: { id: string; resolve: () => void }[] = [];
  #services: ClusterServices | undefined;
  #tailing: Promise<void> | undefined;
  #halted = false;
  #downSince: number | undefined;
  #staleFor: Map<string, FeedStatus> | undefined;

  /** `applied`: the log id the file stands at. */
  constructor(options: LogFollowerOptions, applied: string) {
    this.#o = options;
    this.#applied = applied;
  }

  /** The id of the last entry applied here. */
  get applied(): string {
    return this.#applied;
  }

  /** Whether Redis does not answer now. */
  get redisDown(): boolean {
    return this.#downSince !== undefined;
  }

  /** Starts reading the log after `from` (by default, where the file stands). */
  start(services: ClusterServices, from = this.#applied): void {
    this.#services = services;
    this.#applied = from;
    this.#tailing = this.#loop();
  }

  /** Stops applying (once the read in flight returns); `release`: lets every waiter go too. */
  halt(release = false): void {
    this.#halted = true;
    if (release) for (const w of this.#waiters.splice(0)) w.resolve();
  }

  /** Resolves once the loop has ended (after `halt()` and the tail connection's end). */
  async done(): Promise<void> {
    await this.#tailing;
  }

  /** Resolves once everything committed so far is applied here. */
  async caughtUp(): Promise<void> {
    const last = ((await this.#o.redis.sendCommand(['GET', KEYS.logLast])) as string | null) ?? '0-0';
    await this.appliedUpTo(last, Infinity);
  }

  /** Resolves once entry `id` is applied here, or after `timeoutMs`. */
  async appliedUpTo(id: string, timeoutMs: number): Promise<void> {
    if (compareIds(this.#applied, id) >= 0) return;
    await new Promise<void>((resolve) => {
      const waiter = { id, resolve };
      this.#waiters.push(waiter);
      if (Number.isFinite(timeoutMs)) setTimeout(resolve, timeoutMs);
    });
  }

  async #loop(): Promise<void> {
    while (!this.#halted) {
      let entries: LogEntry[];
      try {
        entries = await readAfter(this.#o.tail, this.#applied, 1_000);
      } catch {
        if (this.#halted) return;
        this.#outage();
        await sleep(250);
        continue;
      }
      this.#recovered();
      for (const entry of entries) {
        if (entry.prev !== this.#applied) {
          this.#o.onFatal(`the change log moved on without this instance (at ${this.#applied}, next ${entry.id})`);
          return;
        }
        this.#apply(entry);
      }
    }
  }

  #apply(entry: LogEntry): void {
    const services = this.#services!;
    const outbox = this.#o.outbox;
    const { o, r, e } = entry.batch;
    if (o !== this.#o.instance && r.length > 0) {
      const { store, registry, runtime } = services;
      store.transaction(() => {
        for (const row of r) {
          if (row.t !== 'source_state') outbox.apply([row]);
          else {
            // Through the store's own state objects, so that their in-memory copies follow.
            const [scope, key] = JSON.parse(row.k) as [string, string];
            store.sourceState(scope).set(key, row.r ? JSON.parse(row.r.value as string) : undefined);
          }
        }
      });
      outbox.clear();
      if (r.some((row) => row.t === 'feed_settings'))
        for (const added of registry.reload()) runtime.open(added.settings);
    }
    services.delivery.replay(e);
    this.#applied = entry.id;
    const done = this.#waiters.filter((w) => compareIds(w.id, entry.id) <= 0);
    if (done.length) {
      this.#waiters = this.#waiters.filter((w) => !done.includes(w));
      for (const w of done) w.resolve();
    }
  }

  /** Redis does not answer: after a few seconds, viewers are told the feed is stale. */
  #outage(): void {
    const now = Date.now();
    this.#downSince ??= now;
    if (this.#staleFor || now - this.#downSince < OUTAGE_STALE_MS || !this.#services) return;
    const delivery = this.#services.delivery;
    this.#staleFor = new Map();
    const events = [];
    for (const feed of delivery.feeds()) {
      const status = delivery.snapshot(feed.id)!.status;
      this.#staleFor.set(feed.id, status);
      events.push({ m: 'status' as const, f: feed.id, s: { stale: true, updatedAt: status.updatedAt } });
    }
    delivery.replay(events);
  }

  #recovered(): void {
    if (this.#downSince === undefined) return;
    this.#downSince = undefined;
    const before = this.#staleFor;
    this.#staleFor = undefined;
    if (before && this.#services)
      this.#services.delivery.replay([...before].map(([f, s]) => ({ m: 'status' as const, f, s })));
  }
}

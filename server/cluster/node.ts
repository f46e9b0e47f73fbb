/**
 * One instance of a cluster (Redis mode, `REDIS_URL`). Where each piece of data lives:
 *
 * - **Redis is the shared truth.** The rows of every table (posts and their visibility, revisions,
 *   cursors, source state such as rate-limit resets, budgets and read ledgers, decisions, feeds'
 *   settings, audit log, alerts, accounts and sessions) in one hash per table, and the change log
 *   (a capped stream): one entry per committed batch, holding its rows and its delivery events.
 * - **Each instance's SQLite file is a cache** of those tables, written only by applying the log
 *   (or, on the leader, by the writes it is about to commit). At start it is replaced by Redis's
 *   copy; the very first instance copies its own file into an empty Redis instead.
 * - **One leader** (the lease, `lease.ts`) polls every source, runs the expiry of announcements and
 *   alerts and the retention sweep, and alone writes: organisers' writes received elsewhere are
 *   forwarded to it (`forward.ts`). Its batches are fenced by the lease's token.
 * - **Every instance, the leader included, shows viewers only what came back from the log**
 *   (`relay.ts`, applied by `log-follower.ts`), so revisions, SSE ids and snapshots are the same
 *   everywhere.
 * - Taking over and stepping down are `leadership.ts`'s; what lets a source read only on the
 *   leader is `guard.ts`'s. This file joins them: the first copy, the start, the shutdown.
 *
 * When Redis is away: nobody commits, the leader stops polling once its lease runs out on its own
 * clock, and every instance keeps serving its last snapshot, flagged stale after a few seconds,
 * until Redis answers again.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener } from 'node:http';
import type { SseHub } from '../delivery/sse-hub.js';
import type { FragmentSettings } from '../delivery/delivery.js';
import type { Logger } from '../log.js';
import type { Source } from '../sources/source.js';
import type { Store } from '../store/store.js';
import { commitBatch, readShared } from './change-log.js';
import { Committer } from './committer.js';
import { Forwarder, ForwardedRequests } from './forward.js';
import { guardSource } from './guard.js';
import { Leadership } from './leadership.js';
import { LeaderLease } from './lease.js';
import { LogFollower } from './log-follower.js';
import { Outbox, type RowChange } from './outbox.js';
import { connectRedis, type Redis } from './redis.js';
import { RelayDelivery } from './relay.js';
import type { ClusterServices } from './services.js';

export type { ClusterServices };

export interface ClusterOptions {
  url: string;
  leaseMs: number;
  log: Logger;
  /**
   * This instance can no longer trust its file (it wrote what the cluster refused, or missed part
   * of the log): it must start again from Redis. `main.ts` exits for its supervisor to restart it.
   */
  onFatal(reason: string): void;
}

/** How long the first instance holds the lease while it opens its file and copies it (ms). */
const FIRST_COPY_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ClusterNode {
  readonly instance = randomBytes(8).toString('hex');
  readonly #o: ClusterOptions;
  readonly #redis: Redis;
  readonly #tail: Redis;
  readonly #blocking: Redis;
  readonly #subscriber: Redis;
  readonly #lease: LeaderLease;
  #shared: { rows: RowChange[]; at: string } | undefined;
  #outbox: Outbox | undefined;
  #committer: Committer | undefined;
  #follower: LogFollower | undefined;
  #leadership: Leadership | undefined;
  #forwarder: Forwarder | undefined;
  #serving: ForwardedRequests | undefined;
  #ready = false;
  #closed = false;
  /** It can no longer trust its copy: it waits to be restarted. */
  #dead = false;
  #flushTimer: NodeJS.Timeout | undefined;

  private constructor(options: ClusterOptions, connections: Redis[]) {
    this.#o = options;
    [this.#redis, this.#tail, this.#blocking, this.#subscriber] = connections as [Redis, Redis, Redis, Redis];
    this.#lease = new LeaderLease({
      redis: this.#redis,
      log: options.log,
      leaseMs: options.leaseMs,
      onAcquired: () => this.#leadership?.takeOver(),
      onLost: () => this.#leadership?.stepDown('the lease went to another instance'),
    });
  }

  /** Connects, tries for the lease once, and reads the shared tables (waiting for the first instance's copy). */
  static async join(options: ClusterOptions): Promise<ClusterNode> {
    const connections = await Promise.all(
      ['main', 'log', 'requests', 'answers'].map((name) => connectRedis(options.url, options.log, name)),
    );
    const node = new ClusterNode(options, connections);
    // The first instance copies its file into Redis; the others wait for that copy. The lease
    // decides who is first, held long enough to open the file and copy it.
    let waiting = false;
    while (!(node.#shared = await readShared(node.#redis)) && !(await node.#lease.claim(FIRST_COPY_MS))) {
      if (!waiting) options.log.info('cluster.waiting_for_first_instance', {});
      waiting = true;
      await sleep(250);
    }
    return node;
  }

  /** Whether this instance holds the lease now. */
  get isLeader(): boolean {
    return this.#lease.token !== undefined;
  }

  /** Whether it polls and writes now. */
  get leading(): boolean {
    return this.#leadership?.leading ?? false;
  }

  /** Ready for traffic: it started from the shared tables and caught up with the log. */
  get ready(): boolean {
    return this.#ready;
  }

  /** For /api/ready and /api/health. */
  describe(): Record<string, unknown> {
    return {
      instance: this.instance,
      role: this.leading ? 'leader' : 'follower',
      redis: this.#follower?.redisDown ? 'down' : 'up',
      applied: this.#follower?.applied ?? '0-0',
    };
  }

  /** Delivery whose writers' calls wait for the log (see `relay.ts`); after `attachStore`. */
  delivery(hub: SseHub, snapshotSize: number, fragment?: FragmentSettings): RelayDelivery {
    if (!this.#committer) throw new Error('attachStore() comes first');
    return new RelayDelivery(this.#committer, hub, snapshotSize, fragment);
  }

  /** Called right after the store opens, before anything reads it: the file becomes Redis's copy. */
  attachStore(store: Store): void {
    const outbox = new Outbox(store.db);
    this.#outbox = outbox;
    const committer = new Committer({
      redis: this.#redis,
      outbox,
      log: this.#o.log,
      instance: this.instance,
      onFenced: (token) => this.#leadership!.fenced(token),
    });
    this.#committer = committer;
    const onFatal = (reason: string) => this.#fatal(reason);
    const follower = new LogFollower(
      { redis: this.#redis, tail: this.#tail, instance: this.instance, outbox, onFatal },
      this.#shared?.at ?? '0-0',
    );
    this.#follower = follower;
    this.#leadership = new Leadership({
      redis: this.#redis,
      lease: this.#lease,
      committer,
      outbox,
      follower,
      log: this.#o.log,
      alive: () => !this.#closed && !this.#dead,
      onFatal,
    });
    // The leader at start writes (the config file's feeds) under the lease it holds now.
    committer.token = this.#lease.token;
    if (this.#shared) {
      outbox.replaceAll(this.#shared.rows);
      this.#o.log.info('cluster.store_copied', { rows: this.#shared.rows.length, at: this.#shared.at });
      this.#shared.rows = [];
    }
    outbox.clear();
  }

  /** Makes a source poll and stream only while this instance leads and trusts its lease (`guard.ts`). */
  guard(source: Source): Source {
    return guardSource(source, {
      trusted: () => this.#lease.valid() && this.#committer?.token === this.#lease.token,
      blocked: () => this.#committer?.blocked ?? false,
      log: this.#o.log,
    });
  }

  /** Hands write requests to the leader while this instance does not lead. */
  listener(next: RequestListener): RequestListener {
    return this.#forwarder ? this.#forwarder.listener(next) : next;
  }

  /** Starts: the first copy into Redis if none, the log, and leading when the lease is ours. */
  async run(services: ClusterServices): Promise<void> {
    const outbox = this.#outbox!;
    const follower = this.#follower!;
    const leadership = this.#leadership!;
    let from = follower.applied;
    if (!this.#shared) {
      const token = this.#lease.token;
      if (token === undefined) throw new Error('no shared copy and no lease');
      const rows = outbox.dump();
      from = await commitBatch(this.#redis, token, `${token}:init`, { o: this.instance, r: rows, e: [] }, true);
      this.#o.log.info('cluster.store_shared', { rows: rows.length });
    }
    // Elections start once the services exist: a lease is never held through a long start.
    await this.#lease.start();
    outbox.clear();
    this.#forwarder = new Forwarder({
      redis: this.#redis,
      subscriber: this.#subscriber,
      instance: this.instance,
      log: this.#o.log,
      // A leader that cannot confirm its lease takes no write: what it wrote could never be committed.
      leads: () => leadership.leading && this.#lease.valid(),
      applied: (id, timeoutMs) => follower.appliedUpTo(id, timeoutMs),
      handle: services.handle,
      commit: () => this.#committer!.commit(),
    });
    await this.#forwarder.start();
    this.#serving = new ForwardedRequests({
      redis: this.#blocking,
      log: this.#o.log,
      handle: services.handle,
      commit: () => this.#committer!.commit(),
    });
    leadership.attach(services, this.#serving);
    follower.start(services, from);
    await follower.caughtUp();
    this.#ready = true;
    this.#flushTimer = setInterval(() => {
      if (leadership.leading && outbox.size > 0) void this.#committer!.flush();
    }, 100);
    if (this.isLeader) leadership.takeOver();
  }

  #fatal(reason: string): void {
    if (this.#closed || this.#dead) return;
    // It neither leads nor applies anything more: another instance takes over at once.
    this.#dead = true;
    this.#leadership?.halt();
    this.#follower?.halt();
    this.#ready = false;
    void this.#lease.stop();
    this.#o.log.error('cluster.must_restart', { reason });
    this.#o.onFatal(reason);
  }

  /** Gives the lease back (another instance takes over at once) and closes the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#leadership?.settled();
    this.#closed = true;
    if (this.#leadership?.leading) {
      this.#leadership.halt();
      this.#blocking.destroy();
      await this.#serving?.stop();
      await this.#committer?.flush();
    }
    this.#committer?.close();
    clearInterval(this.#flushTimer);
    await this.#lease.stop();
    this.#follower?.halt(true);
    // The blocked reads would hold a close for up to a second: their connections end at once.
    for (const client of [this.#tail, this.#blocking, this.#subscriber]) client.destroy();
    await this.#redis.close().catch(() => this.#redis.destroy());
    await this.#follower?.done();
  }
}

/** The client's address of a forwarded request, as the app reads it (`c.env.incoming`). */
export function forwardedIncoming(peer: string | undefined): IncomingMessage {
  return { socket: { remoteAddress: peer } } as unknown as IncomingMessage;
}

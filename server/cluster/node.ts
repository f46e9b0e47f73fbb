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
 *   (`relay.ts`), so revisions, SSE ids and snapshots are the same everywhere.
 *
 * When Redis is away: nobody commits, the leader stops polling once its lease runs out on its own
 * clock, and every instance keeps serving its last snapshot, flagged stale after a few seconds,
 * until Redis answers again.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener } from 'node:http';
import type { FeedStatus } from '../contract.js';
import type { SseHub } from '../delivery/sse-hub.js';
import type { FragmentSettings } from '../delivery/delivery.js';
import type { FeedRuntime } from '../engine/feed-runtime.js';
import type { FeedRegistry } from '../feeds/registry.js';
import type { Logger } from '../log.js';
import type { ModerationService } from '../moderation/service.js';
import { SourceError, type Source } from '../sources/source.js';
import type { Store } from '../store/store.js';
import { commitBatch, readAfter, readShared, type LogEntry } from './change-log.js';
import { Committer } from './committer.js';
import { Forwarder, ForwardedRequests } from './forward.js';
import { LeaderLease } from './lease.js';
import { Outbox, type RowChange } from './outbox.js';
import { compareIds, connectRedis, KEYS, type Redis } from './redis.js';
import { RelayDelivery } from './relay.js';

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

/** What the cluster drives once the services exist. */
export interface ClusterServices {
  store: Store;
  registry: FeedRegistry;
  runtime: FeedRuntime;
  moderation: ModerationService;
  delivery: RelayDelivery;
  /** Applies the config file's feeds (the leader does, when it takes over). */
  seed(): void;
  /** Runs a request through the app, with the client's address (forwarded writes). */
  handle(request: Request, peer: string | undefined): Promise<Response>;
}

/** How long the first instance holds the lease while it opens its file and copies it (ms). */
const FIRST_COPY_MS = 60_000;

/** Without an answer from Redis for this long, viewers are told the feed is stale (ms). */
const OUTAGE_STALE_MS = 3_000;

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
  #services: ClusterServices | undefined;
  #forwarder: Forwarder | undefined;
  #serving: ForwardedRequests | undefined;
  #applied = '0-0';
  #waiters: { id: string; resolve: () => void }[] = [];
  /** Whether this instance runs the engines now (it leads and has caught up). */
  #leading = false;
  #transition: Promise<void> = Promise.resolve();
  #ready = false;
  #closed = false;
  /** It can no longer trust its copy: it waits to be restarted. */
  #dead = false;
  #tailing: Promise<void> | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #downSince: number | undefined;
  #staleFor: Map<string, FeedStatus> | undefined;

  private constructor(options: ClusterOptions, connections: Redis[]) {
    this.#o = options;
    [this.#redis, this.#tail, this.#blocking, this.#subscriber] = connections as [Redis, Redis, Redis, Redis];
    this.#lease = new LeaderLease({
      redis: this.#redis,
      log: options.log,
      leaseMs: options.leaseMs,
      onAcquired: () => this.#queue(() => this.#takeOver()),
      onLost: () => this.#queue(() => this.#stepDown('the lease went to another instance')),
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
    return this.#leading;
  }

  /** Ready for traffic: it started from the shared tables and caught up with the log. */
  get ready(): boolean {
    return this.#ready;
  }

  /** For /api/ready and /api/health. */
  describe(): Record<string, unknown> {
    return {
      instance: this.instance,
      role: this.#leading ? 'leader' : 'follower',
      redis: this.#downSince === undefined ? 'up' : 'down',
      applied: this.#applied,
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
    this.#committer = new Committer({
      redis: this.#redis,
      outbox,
      log: this.#o.log,
      instance: this.instance,
      onFenced: (token) =>
        this.#queue(async () => {
          if (token === this.#committer!.token)
            await this.#stepDown('Redis refused a write: the lease had changed hands');
        }),
    });
    // The leader at start writes (the config file's feeds) under the lease it holds now.
    this.#committer.token = this.#lease.token;
    if (this.#shared) {
      outbox.replaceAll(this.#shared.rows);
      this.#applied = this.#shared.at;
      this.#o.log.info('cluster.store_copied', { rows: this.#shared.rows.length, at: this.#shared.at });
      this.#shared.rows = [];
    }
    outbox.clear();
  }

  /** Makes a source poll only while this instance leads and trusts its lease. */
  guard(source: Source): Source {
    const check = () => {
      // Not while the lease is in doubt, nor while Redis has not taken the last poll: it would be read again.
      if (!this.#lease.valid() || this.#committer?.token !== this.#lease.token || this.#committer?.blocked)
        throw new SourceError('this instance does not hold the lease to poll', {
          state: 'standby',
          notBefore: Date.now() + 1_000,
          reported: true,
        });
    };
    return {
      kind: source.kind,
      poll: async (cursor, signal) => (check(), source.poll(cursor, signal)),
      stream: source.stream && (async (sink, signal) => (check(), source.stream!(sink, signal))),
      complianceCheck:
        source.complianceCheck && (async (cursor, signal) => (check(), source.complianceCheck!(cursor, signal))),
      health: source.health && ((view) => source.health!(view)),
      resume: source.resume && (() => source.resume!()),
      close: source.close && (() => source.close!()),
    };
  }

  /** Hands write requests to the leader while this instance does not lead. */
  listener(next: RequestListener): RequestListener {
    return this.#forwarder ? this.#forwarder.listener(next) : next;
  }

  /** Starts: the first copy into Redis if none, the log, and leading when the lease is ours. */
  async run(services: ClusterServices): Promise<void> {
    this.#services = services;
    const outbox = this.#outbox!;
    if (!this.#shared) {
      const token = this.#lease.token;
      if (token === undefined) throw new Error('no shared copy and no lease');
      const rows = outbox.dump();
      this.#applied = await commitBatch(
        this.#redis,
        token,
        `${token}:init`,
        { o: this.instance, r: rows, e: [] },
        true,
      );
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
      leads: () => this.#leading && this.#lease.valid(),
      applied: (id, timeoutMs) => this.#appliedUpTo(id, timeoutMs),
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
    this.#tailing = this.#tailLoop();
    await this.#caughtUp();
    this.#ready = true;
    this.#flushTimer = setInterval(() => {
      if (this.#leading && this.#outbox!.size > 0) void this.#committer!.flush();
    }, 100);
    if (this.isLeader) this.#queue(() => this.#takeOver());
  }

  /** Runs leadership changes one at a time, in order. */
  #queue(step: () => Promise<void>): void {
    this.#transition = this.#transition.then(step).catch((err: Error) => this.#fatal(err.message));
  }

  async #caughtUp(): Promise<void> {
    const last = ((await this.#redis.sendCommand(['GET', KEYS.logLast])) as string | null) ?? '0-0';
    await this.#appliedUpTo(last, Infinity);
  }

  async #takeOver(): Promise<void> {
    const services = this.#services;
    if (!services || this.#leading || this.#closed || this.#dead || !this.#lease.valid()) return;
    // A Redis that lost its data (restarted without persistence): start again from an instance's copy.
    if ((await this.#redis.sendCommand(['GET', KEYS.init])) === null) throw new Error('Redis lost the shared tables');
    // Everything the previous leader committed is applied here before polling from its cursors.
    await this.#caughtUp();
    const token = this.#lease.token;
    if (!this.#lease.valid() || token === undefined) return;
    // What was written here under no lease or an older one (a follower's own writes) is nobody's truth.
    if (this.#committer!.token !== token) this.#outbox!.clear();
    this.#committer!.token = token;
    for (const record of services.registry.reload()) services.runtime.open(record.settings);
    services.seed();
    await services.runtime.rebuild(services.registry.list().map((r) => r.settings));
    this.#leading = true;
    services.runtime.start();
    services.moderation.start();
    this.#serving!.start();
    this.#o.log.info('cluster.polling', { feeds: services.runtime.engines.size });
  }

  async #stepDown(reason: string): Promise<void> {
    const services = this.#services;
    if (!services || !this.#leading) return;
    this.#leading = false;
    this.#o.log.warn('cluster.stepping_down', { reason });
    await Promise.all([services.runtime.stop(), this.#serving!.stop()]);
    services.moderation.stop();
    // The last batches are still committed if the lease is still ours; never under another one.
    await this.#committer!.flush();
    this.#committer!.token = undefined;
    if (this.#committer!.pending) this.#fatal('this instance wrote what the cluster refused');
  }

  #fatal(reason: string): void {
    if (this.#closed || this.#dead) return;
    // It neither leads nor applies anything more: another instance takes over at once.
    this.#dead = true;
    this.#leading = false;
    this.#ready = false;
    void this.#lease.stop();
    this.#o.log.error('cluster.must_restart', { reason });
    this.#o.onFatal(reason);
  }

  async #appliedUpTo(id: string, timeoutMs: number): Promise<void> {
    if (compareIds(this.#applied, id) >= 0) return;
    await new Promise<void>((resolve) => {
      const waiter = { id, resolve };
      this.#waiters.push(waiter);
      if (Number.isFinite(timeoutMs)) setTimeout(resolve, timeoutMs);
    });
  }

  async #tailLoop(): Promise<void> {
    while (!this.#closed && !this.#dead) {
      let entries: LogEntry[];
      try {
        entries = await readAfter(this.#tail, this.#applied, 1_000);
      } catch {
        if (this.#closed) return;
        this.#outage();
        await sleep(250);
        continue;
      }
      this.#recovered();
      for (const entry of entries) {
        if (entry.prev !== this.#applied) {
          this.#fatal(`the change log moved on without this instance (at ${this.#applied}, next ${entry.id})`);
          return;
        }
        this.#apply(entry);
      }
    }
  }

  #apply(entry: LogEntry): void {
    const services = this.#services!;
    const { o, r, e } = entry.batch;
    if (o !== this.instance && r.length > 0) {
      const { store, registry, runtime } = services;
      store.transaction(() => {
        for (const row of r) {
          if (row.t !== 'source_state') this.#outbox!.apply([row]);
          else {
            // Through the store's own state objects, so that their in-memory copies follow.
            const [scope, key] = JSON.parse(row.k) as [string, string];
            store.sourceState(scope).set(key, row.r ? JSON.parse(row.r.value as string) : undefined);
          }
        }
      });
      this.#outbox!.clear();
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

  /** Gives the lease back (another instance takes over at once) and closes the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#transition;
    this.#closed = true;
    if (this.#leading) {
      this.#leading = false;
      this.#blocking.destroy();
      await this.#serving?.stop();
      await this.#committer?.flush();
    }
    this.#committer?.close();
    clearInterval(this.#flushTimer);
    await this.#lease.stop();
    for (const w of this.#waiters) w.resolve();
    // The blocked reads would hold a close for up to a second: their connections end at once.
    for (const client of [this.#tail, this.#blocking, this.#subscriber]) client.destroy();
    await this.#redis.close().catch(() => this.#redis.destroy());
    await this.#tailing;
  }
}

/** The client's address of a forwarded request, as the app reads it (`c.env.incoming`). */
export function forwardedIncoming(peer: string | undefined): IncomingMessage {
  return { socket: { remoteAddress: peer } } as unknown as IncomingMessage;
}

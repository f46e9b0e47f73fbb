/**
 * Taking over and stepping down, one change at a time and in order. An instance that wins the
 * lease first applies everything the previous leader committed, then runs the engines (polls and
 * streams), the moderation timers and the forwarded writes; one that loses it (Redis said so, or
 * it ran out on its own clock, or Redis refused a write under it) stops them at once, commits what
 * it wrote while the lease was still its own, and never anything under another one. Having written
 * what the cluster refused, it can no longer trust its file: it asks to be restarted.
 */
import type { Logger } from '../log.js';
import type { Committer } from './committer.js';
import type { ForwardedRequests } from './forward.js';
import type { LeaderLease } from './lease.js';
import type { LogFollower } from './log-follower.js';
import type { Outbox } from './outbox.js';
import { KEYS, type Redis } from './redis.js';
import type { ClusterServices } from './services.js';

export interface LeadershipOptions {
  redis: Redis;
  lease: LeaderLease;
  committer: Committer;
  outbox: Outbox;
  follower: LogFollower;
  log: Logger;
  /** Whether this instance may still lead (not closed, not waiting to be restarted). */
  alive(): boolean;
  /** This instance can no longer trust its file. */
  onFatal(reason: string): void;
}

export class Leadership {
  readonly #o: LeadershipOptions;
  /** Whether this instance runs the engines now (it leads and has caught up). */
  #leading = false;
  #transition: Promise<void> = Promise.resolve();
  #services: ClusterServices | undefined;
  #serving: ForwardedRequests | undefined;

  constructor(options: LeadershipOptions) {
    this.#o = options;
  }

  get leading(): boolean {
    return this.#leading;
  }

  /** The services to run when leading (nothing is run before). */
  attach(services: ClusterServices, serving: ForwardedRequests): void {
    this.#services = services;
    this.#serving = serving;
  }

  takeOver(): void {
    this.#queue(() => this.#takeOver());
  }

  stepDown(reason: string): void {
    this.#queue(() => this.#stepDown(reason));
  }

  /** Redis refused a batch written under `token`: steps down if that is still the token written under. */
  fenced(token: string): void {
    this.#queue(async () => {
      if (token === this.#o.committer.token) await this.#stepDown('Redis refused a write: the lease had changed hands');
    });
  }

  /** Resolves once the changes queued so far are done. */
  async settled(): Promise<void> {
    await this.#transition;
  }

  /** Leads no more, without stopping anything (the instance is closing, or must be restarted). */
  halt(): void {
    this.#leading = false;
  }

  /** Runs leadership changes one at a time, in order. */
  #queue(step: () => Promise<void>): void {
    this.#transition = this.#transition.then(step).catch((err: Error) => this.#o.onFatal(err.message));
  }

  async #takeOver(): Promise<void> {
    const { lease, committer, outbox, follower, redis } = this.#o;
    const services = this.#services;
    if (!services || this.#leading || !this.#o.alive() || !lease.valid()) return;
    // A Redis that lost its data (restarted without persistence): start again from an instance's copy.
    if ((await redis.sendCommand(['GET', KEYS.init])) === null) throw new Error('Redis lost the shared tables');
    // Everything the previous leader committed is applied here before polling from its cursors.
    await follower.caughtUp();
    const token = lease.token;
    if (!lease.valid() || token === undefined) return;
    // What was written here under no lease or an older one (a follower's own writes) is nobody's truth.
    if (committer.token !== token) outbox.clear();
    committer.token = token;
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
    const committer = this.#o.committer;
    if (!services || !this.#leading) return;
    this.#leading = false;
    this.#o.log.warn('cluster.stepping_down', { reason });
    // The engines stop at once: no poll starts, and every stream is closed.
    await Promise.all([services.runtime.stop(), this.#serving!.stop()]);
    services.moderation.stop();
    // The last batches are still committed if the lease is still ours; never under another one.
    await committer.flush();
    committer.token = undefined;
    if (committer.pending) this.#o.onFatal('this instance wrote what the cluster refused');
  }
}

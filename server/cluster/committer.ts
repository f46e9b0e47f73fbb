/**
 * The leader's side of the change log: what its store wrote (the outbox) and what it handed to
 * delivery (the recorded events) go to Redis as one batch, in order, one batch at a time. A batch
 * that Redis did not confirm is sent again as it was, under the same id, so that it is written
 * once; one that the lease's fence refused is dropped, and the leader steps down.
 */
import type { Logger } from '../log.js';
import { backoffMs } from '../pacing/backoff.js';
import { commitBatch, FencedError, type Batch, type RelayedEvent } from './change-log.js';
import type { Outbox } from './outbox.js';
import type { Redis } from './redis.js';
import type { Recorder } from './relay.js';

export interface CommitterOptions {
  redis: Redis;
  outbox: Outbox;
  log: Logger;
  /** This instance. */
  instance: string;
  /** Redis refused a batch written under `token`: the lease is someone else's. */
  onFenced(token: string): void;
}

const RETRY = { baseMs: 100, capMs: 2_000 };

export class Committer implements Recorder {
  replaying = false;
  readonly #o: CommitterOptions;
  readonly #events: RelayedEvent[] = [];
  #current: { id: string; token: string; batch: Batch; upTo: number } | undefined;
  #seq = 0;
  #running: Promise<void> | undefined;
  #queued = false;
  #closed = false;
  #failures = 0;
  /** How many batches Redis refused (the lease had changed hands). */
  #fenced = 0;
  /**
   * The lease token this instance writes under, from the moment it may write until it steps
   * down: what it wrote under one lease is never committed under the next one.
   */
  token: string | undefined;
  /** The log id of the last batch this instance committed. */
  lastCommitted = '0-0';

  constructor(options: CommitterOptions) {
    this.#o = options;
  }

  record(event: RelayedEvent): void {
    this.#events.push(event);
    if (this.#queued) return;
    this.#queued = true;
    setImmediate(() => {
      this.#queued = false;
      void this.flush();
    });
  }

  /** Whether a batch failed to commit and is being sent again (Redis away): no new poll should start. */
  get blocked(): boolean {
    return this.#failures > 0;
  }

  /** Whether anything written here is not committed yet. */
  get pending(): boolean {
    return this.#current !== undefined || this.#events.length > 0 || this.#o.outbox.size > 0;
  }

  /** Commits everything written so far; resolves with the log id that holds it. */
  async flush(): Promise<string> {
    while (this.#running) await this.#running;
    this.#running = this.#run().finally(() => (this.#running = undefined));
    await this.#running;
    return this.lastCommitted;
  }

  /**
   * Commits everything written so far, for a write an organiser waits on: rejects when Redis
   * refused a batch meanwhile (the lease had changed hands), so that nothing is acknowledged
   * that the cluster does not hold.
   */
  async commit(): Promise<string> {
    const fenced = this.#fenced;
    const at = await this.flush();
    if (this.#fenced !== fenced) throw new FencedError();
    return at;
  }

  close(): void {
    this.#closed = true;
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      if (!this.#current) {
        const token = this.token;
        if (token === undefined) {
          // Not the leader: what this instance wrote locally is nobody's truth (see node.ts).
          this.#events.length = 0;
          return;
        }
        const { rows, upTo } = this.#o.outbox.pending();
        if (rows.length === 0 && this.#events.length === 0) return;
        const batch: Batch = { o: this.#o.instance, r: rows, e: this.#events.splice(0) };
        this.#current = { id: `${token}:${++this.#seq}`, token, batch, upTo };
      }
      const current = this.#current;
      try {
        this.lastCommitted = await commitBatch(this.#o.redis, current.token, current.id, current.batch);
        this.#o.outbox.clear(current.upTo);
        this.#current = undefined;
        this.#failures = 0;
      } catch (err) {
        if (err instanceof FencedError) {
          this.#o.log.warn('cluster.write_fenced', { rows: current.batch.r.length });
          this.#current = undefined;
          this.#failures = 0;
          this.#fenced++;
          this.#o.onFenced(current.token);
          return;
        }
        this.#failures++;
        if (this.#failures === 1) this.#o.log.warn('cluster.commit_failed', { error: (err as Error).message });
        await new Promise((resolve) => setTimeout(resolve, backoffMs(this.#failures, RETRY)));
      }
    }
  }
}

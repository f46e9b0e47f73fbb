/**
 * Turns posts Jetstream carried into posts the wall can show. A Jetstream record has no author
 * name, avatar or labels, and its quote is a bare reference: the post is asked of the public
 * AppView (`getPosts`, 25 at a time, after a short wait to batch), then normalised like any other,
 * so that an author labelled `!no-unauthenticated` stays off the wall. The AppView may not have
 * indexed a post Jetstream just announced: it is asked again a few times, then dropped (polling
 * brings it back later if it is real).
 */
import type { Post } from '../../contract.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { backoffMs, type BackoffPolicy } from '../../pacing/backoff.js';
import type { Random } from '../../pacing/jitter.js';
import { GET_POSTS_MAX, type BlueskyClient } from './client.js';
import { normalizePostView, postId } from './normalize.js';

export interface HydratorOptions {
  client: Pick<BlueskyClient, 'getPosts'>;
  clock: Clock;
  log: Logger;
  /** A post ready for the wall. */
  onPost(post: Post): void;
  /** A post that must not be on the wall (a restricted author, a hiding label). */
  onRemoval(id: string): void;
  /** Wait before asking, to batch posts arriving together (default 300 ms). */
  batchMs?: number;
  /** Asks for a post at most this many times (default 5). */
  attempts?: number;
  /** Waits between attempts for a post the AppView does not have yet, or after a failure (default 1 s doubling to 30 s). */
  retry?: BackoffPolicy;
  /** Posts waiting at most; beyond, the oldest are dropped (polling catches up) (default 1000). */
  maxPending?: number;
  random?: Random;
}

interface Pending {
  uri: string;
  /** The Jetstream cursor of the event that announced it. */
  timeUs: number;
  attempts: number;
  /** Not asked before this time (ms since the epoch). */
  notBefore: number;
}

export class Hydrator {
  readonly #options: HydratorOptions;
  readonly #pending = new Map<string, Pending>();
  #timer: unknown;
  #timerAt = Infinity;
  #busy = false;
  #closed = false;

  constructor(options: HydratorOptions) {
    this.#options = options;
  }

  /** Posts waiting to be asked for. */
  get size(): number {
    return this.#pending.size;
  }

  /** The cursor of the oldest post still waiting (store no later cursor than this), or null. */
  oldestTimeUs(): number | null {
    let oldest: number | null = null;
    for (const p of this.#pending.values()) if (oldest === null || p.timeUs < oldest) oldest = p.timeUs;
    return oldest;
  }

  /** Asks for `uri` soon (again, if it was already waiting: a rewritten record). */
  add(uri: string, timeUs: number): void {
    if (this.#closed) return;
    const max = this.#options.maxPending ?? 1000;
    if (!this.#pending.has(uri) && this.#pending.size >= max) {
      const oldest = this.#pending.keys().next().value!;
      this.#pending.delete(oldest);
      this.#options.log.warn('bluesky.hydrate.dropped', { uri: oldest, reason: `more than ${max} posts waiting` });
    }
    this.#pending.set(uri, { uri, timeUs, attempts: 0, notBefore: this.#options.clock.now() });
    this.#arm(this.#pending.size >= GET_POSTS_MAX ? 0 : (this.#options.batchMs ?? 300));
  }

  /** Forgets `uri` (deleted before it was shown). */
  cancel(uri: string): void {
    this.#pending.delete(uri);
  }

  close(): void {
    this.#closed = true;
    this.#options.clock.clearTimeout(this.#timer);
    this.#pending.clear();
  }

  /** Runs `#flush` in `ms`, unless it is already due sooner. */
  #arm(ms: number): void {
    const at = this.#options.clock.now() + ms;
    if (this.#closed || at >= this.#timerAt) return;
    this.#options.clock.clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timerAt = Infinity;
      void this.#flush();
    }, ms);
  }

  /** Asks for the posts that are due, 25 at a time, one request at a time. */
  async #flush(): Promise<void> {
    if (this.#busy || this.#closed) return;
    this.#busy = true;
    try {
      for (;;) {
        const now = this.#options.clock.now();
        const due = [...this.#pending.values()].filter((p) => p.notBefore <= now).slice(0, GET_POSTS_MAX);
        if (due.length === 0) break;
        await this.#ask(due);
      }
    } finally {
      this.#busy = false;
      this.#armNext();
    }
  }

  async #ask(due: Pending[]): Promise<void> {
    const { client, log } = this.#options;
    let found: Awaited<ReturnType<typeof client.getPosts>>['body']['posts'];
    try {
      found = (await client.getPosts(due.map((p) => p.uri))).body.posts;
    } catch (err) {
      log.warn('bluesky.hydrate.failed', {
        posts: due.length,
        error: err instanceof Error ? err.message : String(err),
      });
      for (const p of due) this.#retry(p, 'the AppView could not be asked');
      return;
    }
    const byUri = new Map(found.map((view) => [view?.uri, view]));
    for (const p of due) {
      if (this.#pending.get(p.uri) !== p) continue; // cancelled or re-added meanwhile
      const view = byUri.get(p.uri);
      if (!view) {
        this.#retry(p, 'not indexed by the AppView yet');
        continue;
      }
      this.#pending.delete(p.uri);
      const result = normalizePostView(view);
      this.#emit(() =>
        result.ok ? this.#options.onPost(result.post) : this.#options.onRemoval(result.id ?? postId(p.uri)),
      );
    }
  }

  #retry(p: Pending, why: string): void {
    if (this.#pending.get(p.uri) !== p) return;
    p.attempts++;
    if (p.attempts >= (this.#options.attempts ?? 5)) {
      this.#pending.delete(p.uri);
      this.#options.log.info('bluesky.hydrate.gave_up', { uri: p.uri, attempts: p.attempts, reason: why });
      return;
    }
    const policy = this.#options.retry ?? { baseMs: 1_000, capMs: 30_000 };
    p.notBefore = this.#options.clock.now() + backoffMs(p.attempts, policy, this.#options.random);
  }

  #armNext(): void {
    let next = Infinity;
    for (const p of this.#pending.values()) next = Math.min(next, p.notBefore);
    if (next < Infinity) this.#arm(Math.max(0, next - this.#options.clock.now()));
  }

  #emit(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#options.log.error('bluesky.hydrate.handler_failed', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}

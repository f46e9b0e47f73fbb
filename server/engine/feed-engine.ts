/**
 * One engine per feed: one loop per source of the feed (a `SourceRunner` each, never on a
 * visitor's request), on the engine's schedule. Every poll or push goes through the feed's
 * moderation rules into the store in one transaction, images rewritten to this server's `/media/`;
 * the public changes go to delivery, the queue changes to the organisers' stream. Settings change
 * at run time (`reconfigure`): the schedule at once, the sources at the next poll, with no restart.
 */
import type { FeedStatus } from '../contract.js';
import type { Clock } from '../clock.js';
import { feedInfoOf, sourceKeyOf, type FeedSettings, type FeedSource, type FeedState } from '../feeds/settings.js';
import type { Logger } from '../log.js';
import { withProxiedMedia } from '../media/proxied-url.js';
import { feedJudge, outrankedCopies } from '../moderation/feed-judge.js';
import type { Random } from '../pacing/jitter.js';
import type { HealthView, NetworkPolicy, Source } from '../sources/source.js';
import type { FeedChange, Store } from '../store/store.js';
import { emptyOutcome, type Outcome, type QueueChange } from '../store/types.js';
import { DEFAULT_INTERVALS, type RunMode } from './schedule.js';
import { SourceRunner, type EngineHealth, type SourceWrite } from './source-runner.js';

/** The HTTP layer reads health through the engine, never from a source. */
export type { EngineHealth, HealthView };
export { DEFAULT_BACKOFF as ENGINE_BACKOFF } from '../pacing/backoff.js';

export interface FeedEngineOptions {
  feed: FeedSettings;
  /** Makes the source of one entry of the feed's sources (again when the feed's settings for it change). */
  sourceFor(entry: FeedSource, feed: FeedSettings): Source;
  /** The cadence and image hosts of an entry's network (default: `DEFAULT_INTERVALS`, no image proxied). */
  policyFor?(entry: FeedSource, feed: FeedSettings): NetworkPolicy;
  store: Store;
  clock: Clock;
  log: Logger;
  /** Called with the public changes of each poll or settings change that changed something. */
  onChanges(changes: FeedChange[]): void;
  /** Called with what changed in the organisers' queue. */
  onQueue?(changes: QueueChange[]): void;
  /** Called when the feed turns stale or fresh. */
  onStatus(status: FeedStatus): void;
  /** A poll that takes longer than this is abandoned (ms). */
  pollTimeoutMs?: number;
  /** With no successful poll for this long, the feed is stale (ms). */
  staleAfterMs?: number;
  /** Randomness of the backoff's jitter (tests). */
  random?: Random;
}

const MODE_OF: Record<FeedState, RunMode> = { active: 'poll', paused: 'off', archived: 'compliance' };

/** The policy of a network the wiring does not describe (tests): default intervals, no image proxied. */
export const DEFAULT_POLICY: NetworkPolicy = { intervals: DEFAULT_INTERVALS, imageHosts: [] };

/**
 * What a source is made from: when it changes, the source is made again (same cursor and state).
 * The event window and `pollSeconds` are not in it: the engine's schedule applies them.
 */
function madeFrom(feed: FeedSettings, key: string): string {
  const { id, lang, hashtags, paceSeconds } = feed;
  return JSON.stringify({ id, lang, hashtags, paceSeconds, entry: entryOf(feed, key) });
}

function entryOf(feed: FeedSettings, key: string): FeedSource | undefined {
  return feed.sources.find((s) => sourceKeyOf(s) === key);
}

/** What the rules read: when it changes, every stored post of the feed is judged again. */
function rulesKey(feed: FeedSettings): string {
  return JSON.stringify([feed.hashtags, feed.sources, feed.display, feed.moderation]);
}

export class FeedEngine {
  #feed: FeedSettings;
  /** One runner per source of the feed, by `sourceKeyOf`. */
  readonly #runners = new Map<string, SourceRunner>();
  /** The image hosts of each source's network, by source key. */
  readonly #imageHosts = new Map<string, ReadonlySet<string>>();
  readonly #o: FeedEngineOptions;
  #started = false;
  #lastSuccessMs: number | null;
  #lastChangeMs: number | null;
  #stale: boolean;

  constructor(options: FeedEngineOptions) {
    this.#o = options;
    this.#feed = options.feed;
    const record = options.store.feed(options.feed.id);
    this.#lastSuccessMs = record.lastSuccessMs;
    this.#lastChangeMs = record.lastChangeMs;
    for (const entry of options.feed.sources) this.#addRunner(entry);
    this.#stale = this.#anyStale();
  }

  /** The feed's current settings. */
  get feed(): FeedSettings {
    return this.#feed;
  }

  /** The source of the feed's first network (tests, single-source feeds). */
  get source(): Source {
    return [...this.#runners.values()][0]!.source;
  }

  #policy(entry: FeedSource): NetworkPolicy {
    const policy = this.#o.policyFor?.(entry, this.#feed) ?? DEFAULT_POLICY;
    this.#imageHosts.set(sourceKeyOf(entry), new Set(policy.imageHosts));
    return policy;
  }

  #addRunner(entry: FeedSource): void {
    const { store, clock, log } = this.#o;
    const feedId = this.#feed.id;
    const key = sourceKeyOf(entry);
    const staleAfterMs = this.#o.staleAfterMs ?? 120_000;
    this.#runners.set(
      key,
      new SourceRunner({
        feedId,
        key,
        network: entry.network,
        source: this.#o.sourceFor(entry, this.#feed),
        clock,
        log,
        schedule: this.#feed,
        intervals: this.#policy(entry).intervals,
        mode: MODE_OF[this.#feed.state],
        cursor: () => store.cursor(feedId, key),
        ingest: (write) => this.#ingest(key, entry.network, write),
        onStale: () => this.#updateStale(),
        stale: this.#lastSuccessMs === null || clock.now() - this.#lastSuccessMs > staleAfterMs,
        lastSuccessMs: this.#lastSuccessMs,
        pollTimeoutMs: this.#o.pollTimeoutMs ?? 120_000,
        staleAfterMs,
        random: this.#o.random,
      }),
    );
  }

  /**
   * Where posts enter the store, from every network, polled or pushed: their images rewritten to
   * this server's `/media/` (so visitors never reach the network), judged by the feed's rules, stored
   * with the cursor in one transaction, and the changes delivered.
   */
  #ingest(key: string, network: string, write: SourceWrite): void {
    const { store, clock } = this.#o;
    const now = clock.now();
    const hosts = this.#imageHosts.get(key) ?? new Set<string>();
    const posts = write.posts.map((post) => withProxiedMedia(post, hosts));
    const judge = feedJudge(store, this.#feed, now);
    this.#deliver(store.ingest(this.#feed.id, key, { ...write, posts }, now, judge, network), now);
    // A copy of the town's announcement shown from another network, now outranked by an earlier one, steps aside.
    const outranked = outrankedCopies(store, this.#feed, posts, network);
    if (outranked.length) {
      const out = emptyOutcome();
      store.transaction(() => store.posts.reevaluate(this.#feed.id, judge, now, out, outranked));
      this.#deliver(out, now);
    }
    this.#lastSuccessMs = now;
  }

  /** Signs the feed's announcements with its organisers' new name. */
  #signAnnouncements(feed: FeedSettings, now: number, out: Outcome): void {
    const { store } = this.#o;
    for (const { post } of [...store.posts.scan(feed.id)]) {
      if (post.source !== 'organisers') continue;
      const signed = { ...post, author: { ...post.author, name: feed.organiserName } };
      store.posts.put(feed.id, signed, feedJudge(store, feed, now), now, out);
    }
  }

  #deliver(outcome: Outcome, now: number): void {
    if (outcome.changes.length) {
      this.#lastChangeMs = now;
      this.#o.onChanges(outcome.changes);
    }
    if (outcome.queue.length) this.#o.onQueue?.(outcome.queue);
  }

  #anyStale(): boolean {
    return [...this.#runners.values()].some((r) => r.stale);
  }

  #updateStale(): void {
    const stale = this.#anyStale();
    if (stale === this.#stale) return;
    this.#stale = stale;
    this.#o.onStatus(this.status());
  }

  /** The status visitors see. A paused or archived feed is not stale: it shows what it had. */
  status(): FeedStatus {
    const now = this.#o.clock.now();
    const at = this.#lastChangeMs ?? this.#lastSuccessMs;
    return {
      stale: this.#stale,
      updatedAt: new Date(this.#stale ? (this.#lastSuccessMs ?? at ?? now) : (at ?? now)).toISOString(),
    };
  }

  /** One entry per source; the `public` view (the default) carries no text from upstream. */
  health(view: HealthView = 'public'): EngineHealth[] {
    return [...this.#runners.values()].map((r) => r.health(view, this.#feed.state));
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const runner of this.#runners.values()) runner.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#runners.values()].map((r) => r.stop()));
  }

  /** Polls every source now (tests, operator's "refresh"); resolves when the polls are stored. */
  async pollNow(): Promise<void> {
    await Promise.all([...this.#runners.values()].map((r) => r.pollNow()));
  }

  /** An operator resumes paused sources (e.g. after X's monthly cap was raised). */
  resume(): void {
    for (const runner of this.#runners.values()) runner.resume();
  }

  /**
   * Applies new settings: sources whose settings changed are made again (same cursor and state:
   * a new hashtag or account, having no cursor, is read from its recent history), at the next
   * poll; removed sources stop; the state (paused, archived) applies at once; when the rules
   * changed, every stored post is judged again in one transaction. Returns what changed.
   */
  reconfigure(feed: FeedSettings): Outcome {
    const previous = this.#feed;
    this.#feed = feed;
    const keys = new Set(feed.sources.map(sourceKeyOf));
    for (const [key, runner] of this.#runners) {
      if (keys.has(key)) continue;
      this.#runners.delete(key);
      this.#imageHosts.delete(key);
      void runner.stop();
    }
    for (const entry of feed.sources) {
      const key = sourceKeyOf(entry);
      const runner = this.#runners.get(key);
      if (!runner) {
        this.#addRunner(entry);
        if (this.#started) this.#runners.get(key)!.start();
        continue;
      }
      if (madeFrom(previous, key) !== madeFrom(feed, key)) runner.replace(this.#o.sourceFor(entry, feed));
      runner.setSchedule(feed, this.#policy(entry).intervals);
    }
    for (const runner of this.#runners.values()) runner.setMode(MODE_OF[feed.state]);
    this.#updateStale();

    const { store, clock } = this.#o;
    const now = clock.now();
    const out = emptyOutcome();
    store.transaction(() => {
      if (rulesKey(previous) !== rulesKey(feed)) store.posts.reevaluate(feed.id, feedJudge(store, feed, now), now, out);
      if (previous.organiserName !== feed.organiserName) this.#signAnnouncements(feed, now, out);
    });
    const info = feedInfoOf(feed);
    if (JSON.stringify(info) !== JSON.stringify(feedInfoOf(previous))) {
      out.changes.push({ kind: 'feed', revision: store.revisions.bump(feed.id, now), feed: info });
    }
    this.#deliver(out, now);
    return out;
  }
}

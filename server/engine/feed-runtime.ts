/**
 * Runs every feed of the registry: one `FeedEngine` each, served by delivery. A feed created at
 * run time is served at once (snapshot and live events) and polled without a restart; a change
 * of settings reaches its engine, which applies it at the next poll.
 */
import type { Clock } from '../clock.js';
import type { Delivery } from '../delivery/delivery.js';
import type { FeedRecord } from '../feeds/registry.js';
import { feedInfoOf, sourceKeyOf, type FeedSettings, type FeedSource } from '../feeds/settings.js';
import type { Logger } from '../log.js';
import { feedJudge } from '../moderation/feed-judge.js';
import type { HealthView, NetworkPolicy, Source, SourceContext } from '../sources/source.js';
import type { Store } from '../store/store.js';
import { emptyOutcome } from '../store/types.js';
import { DEFAULT_POLICY, FeedEngine, type EngineHealth } from './feed-engine.js';

/**
 * Bumped when the rules themselves change in code: every stored post is then judged again at the
 * next start, as when a feed's settings change.
 */
const RULES_VERSION = 1;

export interface FeedRuntimeOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  delivery: Delivery;
  /** Posts in a snapshot, and posts re-checked for compliance. */
  snapshotSize: number;
  /** Posts on an archive page: what an archived feed's compliance re-check covers. */
  archiveSize?: number;
  /** Makes the source of one entry of a feed's sources. */
  sourceFor(context: SourceContext): Source;
  /** The cadence and image hosts of an entry's network. */
  policyFor?(entry: FeedSource, feed: FeedSettings): NetworkPolicy;
}

export class FeedRuntime {
  /** The engine of every feed, by id. */
  readonly engines = new Map<string, FeedEngine>();
  readonly #o: FeedRuntimeOptions;
  #started = false;

  constructor(options: FeedRuntimeOptions) {
    this.#o = options;
  }

  /**
   * Serves and runs a feed: its stored posts judged by its current rules (when they changed since
   * they were last judged), then served at once, before any source is asked.
   */
  open(feed: FeedSettings): FeedEngine {
    const { store, delivery, snapshotSize } = this.#o;
    const engine = this.#engine(feed);
    this.#judgeStored(feed);
    delivery.addFeed(
      feedInfoOf(feed),
      store.recentPosts(feed.id, snapshotSize),
      store.feed(feed.id).revision,
      engine.status(),
      store.alerts.current(feed.id)?.alert ?? null,
    );
    if (this.#started) engine.start();
    return engine;
  }

  /**
   * Makes every feed's engine again from the store, as it stands now, without touching delivery
   * (an instance that takes over polling from another one, in Redis mode: its store was written by
   * the other one meanwhile).
   */
  async rebuild(feeds: readonly FeedSettings[]): Promise<void> {
    await this.stop();
    this.engines.clear();
    for (const feed of feeds) this.#engine(feed);
  }

  #engine(feed: FeedSettings): FeedEngine {
    const { store, clock, log, delivery, snapshotSize } = this.#o;
    const engine = new FeedEngine({
      feed,
      store,
      clock,
      log,
      sourceFor: (entry, settings) => {
        const key = sourceKeyOf(entry);
        return this.#o.sourceFor({
          feed: settings,
          source: entry,
          state: store.sourceState(`${settings.id}:${key}`),
          sharedState: store.sourceState(key),
          clock,
          log: log.child({ feed: settings.id, source: key }),
          displayedIds: () => this.#displayedIds(settings.id, entry.network),
        });
      },
      policyFor: (entry, settings) => this.#o.policyFor?.(entry, settings) ?? DEFAULT_POLICY,
      onChanges: (changes) => delivery.apply(feed.id, changes),
      onQueue: (changes) => delivery.admin.queue(feed.id, changes),
      onStatus: (status) => delivery.setStatus(feed.id, status),
    });
    this.engines.set(feed.id, engine);
    return engine;
  }

  /**
   * The posts a source's compliance re-check covers: the newest on display (shown, or held for the
   * organisers) while the feed is live; every post its archive page shows once it is archived.
   */
  #displayedIds(feedId: string, network: string): string[] {
    const { store, snapshotSize, archiveSize } = this.#o;
    if (this.engines.get(feedId)?.feed.state === 'archived')
      return store.posts.shownIds(feedId, archiveSize ?? snapshotSize, network);
    return store.posts.displayedIds(feedId, network, snapshotSize);
  }

  /** Which rules the stored posts of a feed were last judged with (kept with the feed's state). */
  #judged(feed: FeedSettings) {
    const marker = this.#o.store.sourceState(`${feed.id}:moderation`);
    const key = JSON.stringify([RULES_VERSION, feed.hashtags, feed.sources, feed.display, feed.moderation]);
    return { current: marker.get<string>('judgedWith') === key, mark: () => marker.set('judgedWith', key) };
  }

  /** Judges the stored posts again if the rules changed since they were last judged (settings or code). */
  #judgeStored(feed: FeedSettings): void {
    const { store, clock } = this.#o;
    const judged = this.#judged(feed);
    if (judged.current) return;
    const now = clock.now();
    store.transaction(() => {
      store.posts.reevaluate(feed.id, feedJudge(store, feed, now), now, emptyOutcome());
      judged.mark();
    });
  }

  /** The registry's listener: a new feed is opened, a changed one reconfigured. */
  apply(record: FeedRecord, previous: FeedRecord | undefined): void {
    const engine = this.engines.get(record.settings.id);
    if (!engine || !previous) {
      if (!engine) this.open(record.settings);
      return;
    }
    // The engine judges the stored posts again itself when the rules changed.
    engine.reconfigure(record.settings);
    this.#judged(record.settings).mark();
  }

  /** Starts every engine (and any feed opened later, at once). */
  start(): void {
    this.#started = true;
    for (const engine of this.engines.values()) engine.start();
  }

  async stop(): Promise<void> {
    this.#started = false;
    await Promise.all([...this.engines.values()].map((e) => e.stop()));
  }

  health(view: HealthView): EngineHealth[] {
    return [...this.engines.values()].flatMap((e) => e.health(view));
  }
}

/**
 * One engine per feed: one poll loop per source of the feed (a `SourceRunner` each, never on a
 * visitor's request). Every poll goes through the feed's moderation rules into the store in one
 * transaction; the public changes go to delivery, the queue changes to the organisers' stream.
 * Settings change at run time (`reconfigure`): at the next poll, with no restart.
 */
import type { FeedStatus } from '../contract.js';
import type { Clock } from '../clock.js';
import { feedInfoOf, type FeedSettings, type FeedState, type Network } from '../feeds/settings.js';
import type { Logger } from '../log.js';
import { judgeWith } from '../moderation/rules.js';
import type { HealthView, Source } from '../sources/source.js';
import type { FeedChange, Store } from '../store/store.js';
import { emptyOutcome, type Outcome, type QueueChange } from '../store/types.js';
import { SourceRunner, type EngineHealth, type RunMode } from './source-runner.js';

/** The HTTP layer reads health through the engine, never from a source. */
export type { EngineHealth, HealthView };
export { ENGINE_BACKOFF } from './source-runner.js';

export interface FeedEngineOptions {
  feed: FeedSettings;
  /** Makes the source of one network of the feed (again when the feed's settings for it change). */
  sourceFor(network: Network, feed: FeedSettings): Source;
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
}

const MODE_OF: Record<FeedState, RunMode> = { active: 'poll', paused: 'off', archived: 'compliance' };

/** What a source is made from: when it changes, the source is made again (same cursor and state). */
function sourceKey(feed: FeedSettings, network: string): string {
  const { id, lang, hashtags, eventWindow, pollSeconds, paceSeconds } = feed;
  const accounts = feed.sources.find((s) => s.network === network)?.accounts;
  return JSON.stringify({ id, lang, hashtags, eventWindow, pollSeconds, paceSeconds, accounts });
}

/** What the rules read: when it changes, every stored post of the feed is judged again. */
function rulesKey(feed: FeedSettings): string {
  return JSON.stringify([feed.hashtags, feed.sources, feed.display, feed.moderation]);
}

export class FeedEngine {
  #feed: FeedSettings;
  readonly #runners = new Map<string, SourceRunner>();
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
    for (const { network } of options.feed.sources) this.#addRunner(network);
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

  #addRunner(network: Network): void {
    const { store, clock, log } = this.#o;
    const feedId = this.#feed.id;
    const staleAfterMs = this.#o.staleAfterMs ?? 120_000;
    this.#runners.set(
      network,
      new SourceRunner({
        feedId,
        network,
        source: this.#o.sourceFor(network, this.#feed),
        clock,
        log,
        mode: MODE_OF[this.#feed.state],
        cursor: () => store.cursor(feedId, network),
        ingest: (result) => {
          const now = clock.now();
          this.#deliver(store.ingest(feedId, network, result, now, judgeWith(this.#feed, now)), now);
          this.#lastSuccessMs = now;
        },
        onStale: () => this.#updateStale(),
        stale: this.#lastSuccessMs === null || clock.now() - this.#lastSuccessMs > staleAfterMs,
        lastSuccessMs: this.#lastSuccessMs,
        pollTimeoutMs: this.#o.pollTimeoutMs ?? 120_000,
        staleAfterMs,
      }),
    );
  }

  /** Signs the feed's announcements with its organisers' new name. */
  #signAnnouncements(feed: FeedSettings, now: number, out: Outcome): void {
    const { store } = this.#o;
    for (const { post } of [...store.posts.scan(feed.id)]) {
      if (post.source !== 'organisers') continue;
      const signed = { ...post, author: { ...post.author, name: feed.organiserName } };
      store.posts.put(feed.id, signed, judgeWith(feed, now), now, out);
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
    for (const [network, runner] of this.#runners) {
      if (feed.sources.some((s) => s.network === network)) continue;
      this.#runners.delete(network);
      void runner.stop();
    }
    for (const { network } of feed.sources) {
      const runner = this.#runners.get(network);
      if (!runner) {
        this.#addRunner(network);
        if (this.#started) this.#runners.get(network)!.start();
      } else if (sourceKey(previous, network) !== sourceKey(feed, network)) {
        runner.replace(this.#o.sourceFor(network, feed));
      }
    }
    for (const runner of this.#runners.values()) runner.setMode(MODE_OF[feed.state]);
    this.#updateStale();

    const { store, clock } = this.#o;
    const now = clock.now();
    const out = emptyOutcome();
    store.transaction(() => {
      if (rulesKey(previous) !== rulesKey(feed)) store.posts.reevaluate(feed.id, judgeWith(feed, now), now, out);
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

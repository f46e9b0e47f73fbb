/**
 * The feeds of this server, at run time: created, edited, paused and archived by organisers, and
 * seeded from the config file. Every change is validated with the one schema of feed settings,
 * written to the store with its audit entry in one transaction, then handed to the listener (the
 * feed runtime: engine and delivery), which applies it at the next poll.
 *
 * The file and the console: on each start, a feed of the file that the store does not have is
 * created from the file; one whose file entry is unchanged since it was last applied keeps the
 * store's settings (the console's edits win); one whose file entry changed takes the file's
 * settings (an operator edited the file on purpose), written in the audit log as `config-file`.
 * Feeds made in the console live only in the store; a feed removed from the file stays as it was.
 */
import type { Clock } from '../clock.js';
import { ConflictError, InputError, NotFoundError } from '../errors.js';
import type { Logger } from '../log.js';
import { toAuditEntry } from '../moderation/audit-entries.js';
import type { Actor, AuditEntry } from '../moderation/types.js';
import type { StoredFeedSettings } from '../store/feed-settings.js';
import type { Store } from '../store/store.js';
import { parseFeedSettings, settingsHash, type FeedSettings, type FeedState, type Network } from './settings.js';

/** A feed as organisers see it: its settings and where they come from. */
export interface FeedRecord {
  settings: FeedSettings;
  /** Whether the settings in force come from the config file or from the console. */
  origin: 'file' | 'console';
  /** ISO 8601: when the settings last changed. */
  updatedAt: string;
  /** Who changed them last (a username, `config-file`, `admin-token`). */
  updatedBy: string;
  /**
   * ISO 8601: when the config file's entry last replaced different settings (the console shows
   * "Réglages repris du fichier de configuration le …"); null when it never did.
   */
  fileAppliedAt: string | null;
}

/**
 * How a change reached this instance: `write`, made here (console, config file); `reload`, read
 * from the store where another instance wrote it (Redis mode).
 */
export type FeedChangeCause = 'write' | 'reload';

export type FeedListener = (record: FeedRecord, previous: FeedRecord | undefined, cause: FeedChangeCause) => void;

export interface FeedRegistryOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Networks this server can read (X only with a token); a feed on another one is refused. */
  networks: readonly Network[];
  /** Each new audit entry (for the organisers' stream). */
  onAudit?(feedId: string, entry: AuditEntry): void;
}

const STATE_WORDS: Record<FeedState, string> = {
  active: 'Flux réactivé',
  paused: 'Flux mis en pause',
  archived: 'Flux archivé',
};

const NETWORK_HINT: Record<Network, string> = {
  x: 'X is not configured on this server (X_BEARER_TOKEN)',
  demo: 'the demo source is not available',
  mastodon: 'Mastodon is not available on this server',
  bluesky: 'Bluesky is not available on this server',
};

export class FeedRegistry {
  readonly #o: FeedRegistryOptions;
  readonly #feeds = new Map<string, { record: FeedRecord; stored: StoredFeedSettings }>();
  readonly #listeners: FeedListener[] = [];

  constructor(options: FeedRegistryOptions) {
    this.#o = options;
    this.reload();
  }

  /**
   * Reads the feeds' settings again from the store, where another instance wrote them (Redis
   * mode); nothing is written. The listeners hear of each feed that is new or changed, as `reload`.
   * Returns the feeds it did not know.
   */
  reload(): FeedRecord[] {
    const added: FeedRecord[] = [];
    for (const stored of this.#o.store.feedSettings.list()) {
      const previous = this.#feeds.get(stored.id);
      try {
        const settings = parseFeedSettings(stored.settings);
        if (previous && sameStored(previous.stored, stored, previous.record.settings, settings)) continue;
        const record = this.#remember(stored, settings);
        if (!previous) added.push(record);
        this.#notify(record, previous?.record, 'reload');
      } catch (err) {
        this.#o.log.warn('feed.settings_unreadable', { feed: stored.id, error: (err as Error).message });
      }
    }
    return added;
  }

  /**
   * Called after every change, written here or reloaded, with the new record, the one it replaced
   * (none for a new feed) and how the change came.
   */
  listen(listener: FeedListener): void {
    this.#listeners.push(listener);
  }

  /** Every feed, by id. */
  list(): FeedRecord[] {
    return [...this.#feeds.values()].map((f) => f.record).sort((a, b) => (a.settings.id < b.settings.id ? -1 : 1));
  }

  get(id: string): FeedRecord | undefined {
    return this.#feeds.get(id)?.record;
  }

  /** The feed, or a `NotFoundError`. */
  require(id: string): FeedRecord {
    const record = this.get(id);
    if (!record) throw new NotFoundError(`unknown feed "${id}"`);
    return record;
  }

  /** Applies the config file's feeds by the rule above (at start, before the feeds run). */
  seed(feeds: readonly FeedSettings[]): void {
    for (const settings of feeds) {
      const hash = settingsHash(settings);
      const current = this.#feeds.get(settings.id);
      if (current?.stored.fileHash === hash) continue;
      const differs = current !== undefined && settingsHash(current.record.settings) !== hash;
      const now = this.#o.clock.now();
      this.#write(
        {
          id: settings.id,
          settings,
          origin: 'file',
          fileHash: hash,
          fileAppliedMs: differs ? now : (current?.stored.fileAppliedMs ?? null),
          updatedMs: differs || !current ? now : current.stored.updatedMs,
          updatedBy: differs || !current ? 'config-file' : current.stored.updatedBy,
        },
        settings,
        { username: 'config-file' },
        current ? 'feed.config-file' : 'feed.create',
        current ? 'Réglages repris du fichier de configuration' : 'Flux créé depuis le fichier de configuration',
      );
    }
  }

  /** Creates a feed from the console; its id must be new. */
  create(input: unknown, actor: Actor): FeedRecord {
    const settings = this.#validate(input);
    if (this.#feeds.has(settings.id)) throw new ConflictError(`a feed "${settings.id}" already exists`);
    return this.#write(
      {
        id: settings.id,
        settings,
        origin: 'console',
        fileHash: null,
        fileAppliedMs: null,
        updatedMs: this.#o.clock.now(),
        updatedBy: actor.username,
      },
      settings,
      actor,
      'feed.create',
      'Flux créé',
    );
  }

  /** Replaces a feed's settings (all of them: what the input leaves out takes its default); the same settings change nothing. */
  update(id: string, input: unknown, actor: Actor): FeedRecord {
    return this.#replace(id, input, actor, 'feed.update', 'Réglages modifiés');
  }

  /** Pauses, archives or reactivates a feed. */
  setState(id: string, state: FeedState, actor: Actor): FeedRecord {
    const current = this.require(id);
    if (current.settings.state === state) return current;
    return this.#replace(id, { ...current.settings, state }, actor, 'feed.state', STATE_WORDS[state]);
  }

  #replace(id: string, input: unknown, actor: Actor, action: string, summary: string): FeedRecord {
    const current = this.#feeds.get(id);
    if (!current) throw new NotFoundError(`unknown feed "${id}"`);
    const body = input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
    if ('id' in body && body.id !== id) throw new InputError('id', `must be "${id}", the feed's id (it cannot change)`);
    const settings = this.#validate({ ...body, id });
    // Saved without a change: nothing to apply, nothing to audit.
    if (settingsHash(settings) === settingsHash(current.record.settings)) return current.record;
    return this.#write(
      { ...current.stored, settings, origin: 'console', updatedMs: this.#o.clock.now(), updatedBy: actor.username },
      settings,
      actor,
      action,
      summary,
    );
  }

  #validate(input: unknown): FeedSettings {
    const settings = parseFeedSettings(input);
    settings.sources.forEach((source, i) => {
      if (!this.#o.networks.includes(source.network))
        throw new InputError(`sources[${i}].network`, NETWORK_HINT[source.network]);
    });
    return settings;
  }

  #remember(stored: StoredFeedSettings, settings: FeedSettings): FeedRecord {
    const record: FeedRecord = {
      settings,
      origin: stored.origin,
      updatedAt: new Date(stored.updatedMs).toISOString(),
      updatedBy: stored.updatedBy,
      fileAppliedAt: stored.fileAppliedMs === null ? null : new Date(stored.fileAppliedMs).toISOString(),
    };
    this.#feeds.set(settings.id, { record, stored });
    return record;
  }

  #notify(record: FeedRecord, previous: FeedRecord | undefined, cause: FeedChangeCause): void {
    for (const listener of this.#listeners) listener(record, previous, cause);
  }

  #write(stored: StoredFeedSettings, settings: FeedSettings, actor: Actor, action: string, summary: string) {
    const { store, clock } = this.#o;
    const previous = this.#feeds.get(settings.id)?.record;
    const auditId = store.transaction(() => {
      store.feedSettings.put(stored);
      return store.audit.append({
        feedId: settings.id,
        atMs: clock.now(),
        actor: actor.username,
        action,
        postId: null,
        reason: null,
        summary,
        before: previous?.settings ?? null,
        after: settings,
      });
    });
    const record = this.#remember(stored, settings);
    this.#notify(record, previous, 'write');
    const entry = store.audit.get(settings.id, auditId);
    if (entry) this.#o.onAudit?.(settings.id, toAuditEntry(entry, false));
    return record;
  }
}

/** Whether a feed read again from the store is the one already known (same settings, same origin and dates). */
function sameStored(known: StoredFeedSettings, read: StoredFeedSettings, was: FeedSettings, is: FeedSettings): boolean {
  return (
    known.origin === read.origin &&
    known.fileHash === read.fileHash &&
    known.fileAppliedMs === read.fileAppliedMs &&
    known.updatedMs === read.updatedMs &&
    known.updatedBy === read.updatedBy &&
    settingsHash(was) === settingsHash(is)
  );
}

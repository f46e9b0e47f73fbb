/**
 * The live connection of one <commune-feed>: the snapshot first, then the
 * Server-Sent Events, with reconnection and a polling fallback.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { backoffMs } from '../server/pacing/backoff.js';
import { spreadJitter } from '../server/pacing/jitter.js';
import type {
  Alert,
  AlertChange,
  Author,
  Entities,
  FeedEventName,
  FeedInfo,
  FeedSnapshot,
  FeedStatus,
  Media,
  Post,
  PostRemoval,
  SourceKind,
} from '../server/contract.js';

/**
 * Where the connection stands, as the visitor should understand it.
 * - `idle`: no feed to follow;
 * - `loading`: first snapshot on its way;
 * - `live`: snapshot shown and the event stream open;
 * - `reconnecting`: the stream or the snapshot failed, a new try is scheduled;
 * - `polling`: the stream keeps failing, the snapshot is fetched every few seconds;
 * - `offline`: the browser says there is no network.
 */
export type ConnectionState = 'idle' | 'loading' | 'live' | 'reconnecting' | 'polling' | 'offline';

/** The part of `EventSource` the connection uses, so tests can pass a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type EventSourceConstructor = new (url: string) => EventSourceLike;

/** What the connection needs from the browser; replaced whole in tests. */
export interface FeedEnvironment {
  fetch(input: string, init?: RequestInit): Promise<Response>;
  /** Undefined where the browser has no EventSource: the connection then polls. */
  readonly EventSource: EventSourceConstructor | undefined;
  now(): number;
  setTimeout(callback: () => void, delay: number): number;
  clearTimeout(handle: number): void;
  /** A number in [0, 1), for jitter. */
  random(): number;
  isOnline(): boolean;
}

/** The real browser. Looked up at call time, so a page's own stubs are seen. */
export const browserEnvironment: FeedEnvironment = {
  fetch: (input, init) => globalThis.fetch(input, init),
  get EventSource() {
    return globalThis.EventSource as EventSourceConstructor | undefined;
  },
  now: () => Date.now(),
  setTimeout: (callback, delay) => window.setTimeout(callback, delay),
  clearTimeout: (handle) => window.clearTimeout(handle),
  random: () => Math.random(),
  isOnline: () => globalThis.navigator?.onLine !== false,
};

/** Which step failed. */
export type FeedErrorPhase = 'snapshot' | 'events' | 'data' | 'config';

/** A failure of the connection, as reported in `commune-feed-error`. */
export class FeedConnectionError extends Error {
  override readonly name = 'FeedConnectionError';
  constructor(
    message: string,
    readonly phase: FeedErrorPhase,
    /** HTTP status when the server answered. */
    readonly status?: number,
    /** Delay the server asked for (Retry-After), in milliseconds. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** Which feed to follow, read from the host at each update. */
export interface FeedTarget {
  /** Server origin (and optional path); "" means the page's own origin. */
  src: string;
  feed: string;
}

export interface FeedConnectionOptions {
  target: () => FeedTarget;
  environment: () => FeedEnvironment;
  onSnapshot: (snapshot: FeedSnapshot) => void;
  onPost: (post: Post) => void;
  onRemove: (removal: PostRemoval) => void;
  onStatus: (status: FeedStatus) => void;
  /** The urgent alert was raised, replaced or withdrawn (`alert: null`). */
  onAlert: (change: AlertChange) => void;
  /** The feed's title or hashtags changed. */
  onFeed: (feed: FeedInfo) => void;
  onError: (error: FeedConnectionError) => void;
  /** Milliseconds between two snapshot requests in the polling fallback. */
  pollInterval?: number;
  /** Consecutive stream failures before falling back to polling. */
  maxStreamFailures?: number;
  /** First reconnection delay in milliseconds; doubles at each failure. */
  baseDelay?: number;
  /** Longest reconnection delay in milliseconds. */
  maxDelay?: number;
}

/** Default milliseconds between two polls. */
export const DEFAULT_POLL_INTERVAL = 30_000;
const DEFAULT_MAX_STREAM_FAILURES = 3;
const DEFAULT_BASE_DELAY = 1_000;
const DEFAULT_MAX_DELAY = 60_000;
/** The longest wait a stopping server may ask for before the widget reconnects. */
const MAX_CLOSING_DELAY = 60_000;
/** While polling, how long before trying the stream again, at first and at most. */
const FIRST_PROBE_DELAY = 60_000;
const MAX_PROBE_DELAY = 600_000;
/** Events kept while a snapshot is on its way; older ones are covered by it. */
const MAX_QUEUED_EVENTS = 500;
const EVENT_SOURCE_CLOSED = 2;

/** The snapshot URL of a feed, from the element's `src` and `feed`. */
export function snapshotUrl(src: string, feed: string, page: string = location.href): string {
  const root = new URL(src.trim() || '/', page);
  const base = root.href.endsWith('/') ? root.href : `${root.href}/`;
  return new URL(`api/feeds/${encodeURIComponent(feed)}`, base).href;
}

/**
 * A ReactiveController that keeps a feed up to date: it fetches the snapshot,
 * then opens the event stream from the snapshot's revision (`?since=`), so
 * nothing published in between is missed. When the stream fails it
 * reconnects with exponential backoff and jitter; when it keeps failing, or
 * when the server refuses it (too many viewers), it polls the snapshot with
 * If-None-Match and tries the stream again from time to time. A `reset` event
 * refetches the snapshot. Answers that arrive after `src`/`feed` changed, or
 * after the host left the page, are ignored.
 */
export class FeedConnection implements ReactiveController {
  /** Where the connection stands; the host re-renders when it changes. */
  state: ConnectionState = 'idle';

  private readonly host: ReactiveControllerHost;
  private readonly options: FeedConnectionOptions;
  private key: string | undefined;
  /** Bumped at every restart: work started under an older one is dropped. */
  private generation = 0;
  private attached = false;
  private mode: 'stream' | 'poll' = 'stream';
  private eventSource: EventSourceLike | undefined;
  private streamOpen = false;
  private abort: AbortController | undefined;
  private timer: number | undefined;
  private probeTimer: number | undefined;
  private probeDelay = FIRST_PROBE_DELAY;
  /** The last snapshot request failed, or brought a stale snapshot (the server, or a copy of it, is behind). */
  private behind = false;
  private etag: string | undefined;
  private hasSnapshot = false;
  private snapshotPending = false;
  /** Newest feed revision applied: from the snapshot, then from event ids. */
  private revision: number | undefined;
  /** Events that arrived while a snapshot was on its way, with their revision. */
  private queue: Array<{ revision: number | undefined; apply: () => void }> = [];
  private failures = 0;

  constructor(host: ReactiveControllerHost, options: FeedConnectionOptions) {
    this.host = host;
    this.options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.attached = true;
    window.addEventListener('online', this.handleOnline);
    window.addEventListener('offline', this.handleOffline);
    this.restart();
  }

  hostDisconnected(): void {
    this.attached = false;
    window.removeEventListener('online', this.handleOnline);
    window.removeEventListener('offline', this.handleOffline);
    this.stop();
    this.key = undefined;
    this.setState('idle');
  }

  hostUpdate(): void {
    if (this.attached && this.currentKey() !== this.key) this.restart();
  }

  /** Drops everything and starts again from the snapshot. */
  restart(): void {
    this.stop();
    this.key = this.currentKey();
    this.etag = undefined;
    this.hasSnapshot = false;
    this.revision = undefined;
    this.failures = 0;
    this.mode = 'stream';
    this.probeDelay = FIRST_PROBE_DELAY;
    this.behind = false;
    if (!this.attached) return;
    if (!this.options.target().feed) {
      this.setState('idle');
      return;
    }
    void this.loadSnapshot();
    this.updateState();
  }

  private get env(): FeedEnvironment {
    return this.options.environment();
  }

  private currentKey(): string {
    const { src, feed } = this.options.target();
    return `${src}\n${feed}`;
  }

  private snapshotUrl(): string | undefined {
    const { src, feed } = this.options.target();
    try {
      return snapshotUrl(src, feed);
    } catch {
      this.options.onError(new FeedConnectionError(`Invalid src: ${src}`, 'config'));
      return undefined;
    }
  }

  /** Closes the stream, aborts requests and clears timers. */
  private stop(): void {
    this.generation++;
    this.closeStream();
    this.abort?.abort();
    this.abort = undefined;
    this.snapshotPending = false;
    this.queue = [];
    this.clearTimers();
  }

  private clearTimers(): void {
    if (this.timer !== undefined) this.env.clearTimeout(this.timer);
    if (this.probeTimer !== undefined) this.env.clearTimeout(this.probeTimer);
    this.timer = undefined;
    this.probeTimer = undefined;
  }

  private closeStream(): void {
    this.eventSource?.close();
    this.eventSource = undefined;
    this.streamOpen = false;
  }

  /**
   * Opens the event stream from the revision we hold (`?since=`), so the
   * server replays what we missed or answers `reset`.
   */
  private openStream(): void {
    const url = this.snapshotUrl();
    const EventSourceClass = this.env.EventSource;
    if (!url) return;
    if (!EventSourceClass) {
      if (this.mode !== 'poll') this.startPolling();
      return;
    }
    this.closeStream();
    const since = this.revision === undefined ? '' : `?since=${this.revision}`;
    const source = new EventSourceClass(`${url}/events${since}`);
    this.eventSource = source;
    let opened = false;
    source.addEventListener('open', () => {
      if (source !== this.eventSource) return;
      opened = true;
      this.streamOpen = true;
      this.failures = 0;
      if (this.mode === 'poll') {
        // Back from the fallback; `since` covers what happened after the last poll.
        this.mode = 'stream';
        this.clearTimers();
        this.probeDelay = FIRST_PROBE_DELAY;
      }
      this.updateState();
    });
    source.addEventListener('error', () => {
      if (source === this.eventSource) this.handleStreamError(source, opened);
    });
    source.addEventListener('closing', (event) => {
      if (source === this.eventSource) this.handleClosing(event.data);
    });
    const events: Exclude<FeedEventName, 'closing'>[] = ['post', 'remove', 'alert', 'feed', 'status', 'reset'];
    for (const name of events) {
      source.addEventListener(name, (event) => {
        if (source === this.eventSource) this.receive(name, event.data, event.lastEventId);
      });
    }
  }

  /** `opened`: whether this EventSource ever opened. */
  private handleStreamError(source: EventSourceLike, opened: boolean): void {
    this.streamOpen = false;
    if (this.mode === 'poll') {
      // A probe failed: stay on polling, try the stream later.
      this.closeStream();
      this.scheduleProbe();
      this.updateState();
      return;
    }
    this.failures++;
    // EventSource shows no status: closed before it ever opened means the server
    // answered with an error, such as 503 when it has too many viewers.
    const refused = !opened && source.readyState === EVENT_SOURCE_CLOSED;
    this.options.onError(
      new FeedConnectionError(refused ? 'The server refused the event stream' : 'The event stream failed', 'events'),
    );
    const maxFailures = this.options.maxStreamFailures ?? DEFAULT_MAX_STREAM_FAILURES;
    if (refused) {
      // Retrying would be refused again: poll at once, probe the stream later.
      this.startPolling(true);
    } else if (this.failures >= maxFailures) {
      this.startPolling();
    } else if (source.readyState === EVENT_SOURCE_CLOSED) {
      // The browser gave up reconnecting by itself (an HTTP error): we retry ourselves.
      this.closeStream();
      this.scheduleReconnect();
    }
    // Otherwise the browser reconnects by itself and resends Last-Event-ID.
    this.updateState();
  }

  /**
   * The server is stopping (a restart, a deployment): the stream ends now. Not a failure:
   * reconnect after the delay it gives (drawn per viewer, so that a hall of walls does not come
   * back in one instant), to another instance behind the same address or to this one restarted.
   */
  private handleClosing(data: unknown): void {
    let delay: unknown;
    try {
      delay = (JSON.parse(String(data)) as { reconnectInMs?: unknown }).reconnectInMs;
    } catch {
      delay = undefined;
    }
    const reconnectInMs =
      typeof delay === 'number' && Number.isFinite(delay) ? Math.min(Math.max(delay, 0), MAX_CLOSING_DELAY) : undefined;
    this.closeStream();
    this.scheduleReconnect(reconnectInMs);
    this.updateState();
  }

  private receive(name: Exclude<FeedEventName, 'closing'>, data: unknown, lastEventId: string): void {
    let value: unknown;
    try {
      value = JSON.parse(String(data));
    } catch {
      this.options.onError(new FeedConnectionError(`Unreadable ${name} event`, 'data'));
      return;
    }
    const id = Number(lastEventId);
    const revision = lastEventId !== '' && Number.isSafeInteger(id) ? id : undefined;
    let apply: (() => void) | undefined;
    switch (name) {
      case 'post': {
        const post = parsePost(value);
        if (post) apply = () => this.options.onPost(post);
        break;
      }
      case 'remove': {
        const removed = isRecord(value) && typeof value.id === 'string' ? value.id : undefined;
        if (removed !== undefined) apply = () => this.options.onRemove({ id: removed });
        break;
      }
      case 'alert': {
        const alert = isRecord(value) && 'alert' in value ? parseAlert(value.alert) : undefined;
        if (alert !== undefined) apply = () => this.options.onAlert({ alert });
        break;
      }
      case 'feed': {
        const feed = parseFeedInfo(value);
        if (feed) apply = () => this.options.onFeed(feed);
        break;
      }
      case 'status': {
        const status = parseStatus(value);
        if (status) apply = () => this.options.onStatus(status);
        break;
      }
      case 'reset': {
        const status = parseStatus(value);
        if (status) this.options.onStatus(status);
        // We missed more than the server keeps: start again from the snapshot.
        this.queue = [];
        void this.loadSnapshot();
        return;
      }
    }
    if (!apply) {
      this.options.onError(new FeedConnectionError(`Malformed ${name} event`, 'data'));
      return;
    }
    if (this.snapshotPending || !this.hasSnapshot) {
      this.queue.push({ revision, apply });
      if (this.queue.length > MAX_QUEUED_EVENTS) this.queue.shift();
      return;
    }
    if (revision !== undefined) {
      if (this.revision !== undefined && revision <= this.revision && name !== 'status') return;
      this.revision = revision;
    }
    apply();
  }

  /** Fetches the snapshot (conditional once we have one). True on success. */
  private async loadSnapshot(): Promise<boolean> {
    const url = this.snapshotUrl();
    if (!url) return false;
    const generation = this.generation;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.snapshotPending = true;
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (this.etag && this.hasSnapshot) headers['if-none-match'] = this.etag;
      const response = await this.env.fetch(url, {
        headers,
        signal: abort.signal,
        credentials: 'omit',
        mode: 'cors',
      });
      if (generation !== this.generation || abort.signal.aborted) return false;
      if (response.status === 304 && this.hasSnapshot) {
        this.snapshotDone(this.revision);
        return true;
      }
      if (!response.ok) {
        throw new FeedConnectionError(
          `The snapshot request answered ${response.status}`,
          'snapshot',
          response.status,
          retryAfter(response.headers.get('retry-after'), this.env.now()),
        );
      }
      const body: unknown = await response.json();
      if (generation !== this.generation || abort.signal.aborted) return false;
      const snapshot = parseSnapshot(body);
      if (!snapshot) throw new FeedConnectionError('The snapshot is malformed', 'data');
      this.etag = response.headers.get('etag') ?? undefined;
      this.hasSnapshot = true;
      this.revision = snapshot.revision;
      this.options.onSnapshot(snapshot);
      this.snapshotAnswered(snapshot.stale);
      this.snapshotDone(snapshot.revision);
      return true;
    } catch (cause) {
      if (generation !== this.generation || abort.signal.aborted) return false;
      this.snapshotPending = false;
      const error =
        cause instanceof FeedConnectionError
          ? cause
          : new FeedConnectionError(cause instanceof Error ? cause.message : 'The snapshot request failed', 'snapshot');
      this.options.onError(error);
      this.snapshotFailed(error);
      return false;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  private snapshotDone(snapshotRevision: number | undefined): void {
    this.snapshotPending = false;
    const queued = this.queue;
    this.queue = [];
    // Events the snapshot already shows are dropped; later ones apply in order.
    for (const { revision, apply } of queued) {
      if (revision === undefined || snapshotRevision === undefined) {
        apply();
      } else if (revision > snapshotRevision) {
        this.revision = Math.max(this.revision ?? revision, revision);
        apply();
      }
    }
    if (this.mode === 'stream' && !this.eventSource) this.openStream();
    this.updateState();
  }

  /**
   * While polling, a fresh snapshot right after failed or stale ones means
   * the server is back (a reload during an outage got the page's cached
   * copy): the stream is tried at once, not at the next probe.
   */
  private snapshotAnswered(stale: boolean): void {
    if (this.mode === 'poll' && this.behind && !stale) this.probeNow();
    this.behind = stale;
  }

  private snapshotFailed(error: FeedConnectionError): void {
    this.behind = true;
    if (this.mode === 'poll') {
      // The next poll is already scheduled.
      this.updateState();
      return;
    }
    this.failures++;
    if (!this.streamOpen) {
      this.closeStream();
      this.scheduleReconnect(error.retryAfter);
    } else if (this.timer === undefined) {
      // The stream works but the snapshot after a reset failed: try it again.
      const generation = this.generation;
      this.timer = this.env.setTimeout(
        () => {
          this.timer = undefined;
          if (generation === this.generation) void this.loadSnapshot();
        },
        this.backoff(this.failures, error.retryAfter),
      );
    }
    this.updateState();
  }

  private backoff(attempt: number, floor = 0): number {
    const policy = {
      baseMs: this.options.baseDelay ?? DEFAULT_BASE_DELAY,
      capMs: this.options.maxDelay ?? DEFAULT_MAX_DELAY,
    };
    // The server's one backoff rule: jittered, so a server restart does not bring every wall back in the same second.
    return Math.max(
      floor,
      backoffMs(attempt, policy, () => this.env.random()),
    );
  }

  private scheduleReconnect(retryAfterMs?: number): void {
    if (this.timer !== undefined) this.env.clearTimeout(this.timer);
    const generation = this.generation;
    this.timer = this.env.setTimeout(
      () => {
        this.timer = undefined;
        if (generation === this.generation && this.attached) this.reconnect();
      },
      this.backoff(this.failures, retryAfterMs),
    );
  }

  private reconnect(): void {
    if (this.hasSnapshot) this.openStream();
    else void this.loadSnapshot();
    this.updateState();
  }

  /** `pollNow`: fetch the snapshot at once rather than after the first interval. */
  private startPolling(pollNow = false): void {
    this.closeStream();
    this.mode = 'poll';
    this.clearTimers();
    this.schedulePoll();
    if (this.env.EventSource) this.scheduleProbe();
    // Without a snapshot yet, do not make the visitor wait for the first poll.
    if ((pollNow || !this.hasSnapshot) && !this.snapshotPending) void this.loadSnapshot();
    this.updateState();
  }

  private schedulePoll(): void {
    const generation = this.generation;
    const interval = this.options.pollInterval ?? DEFAULT_POLL_INTERVAL;
    this.timer = this.env.setTimeout(
      () => {
        this.timer = undefined;
        if (generation !== this.generation || this.mode !== 'poll') return;
        this.schedulePoll();
        void this.loadSnapshot();
      },
      spreadJitter(interval, 0.1, () => this.env.random()),
    );
  }

  private scheduleProbe(): void {
    if (this.probeTimer !== undefined) this.env.clearTimeout(this.probeTimer);
    const generation = this.generation;
    const delay = spreadJitter(this.probeDelay, 0.25, () => this.env.random());
    this.probeDelay = Math.min(MAX_PROBE_DELAY, this.probeDelay * 2);
    this.probeTimer = this.env.setTimeout(() => {
      this.probeTimer = undefined;
      if (generation === this.generation && this.mode === 'poll') this.openStream();
    }, delay);
  }

  /** While polling: tries the stream now instead of at the next probe. */
  private probeNow(): void {
    if (this.probeTimer !== undefined) this.env.clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.openStream();
  }

  private readonly handleOnline = (): void => {
    if (!this.attached || !this.options.target().feed) return;
    if (this.mode === 'poll') {
      this.probeNow();
    } else if (!this.streamOpen && this.timer !== undefined) {
      this.env.clearTimeout(this.timer);
      this.timer = undefined;
      this.reconnect();
    }
    this.updateState();
  };

  private readonly handleOffline = (): void => this.updateState();

  private updateState(): void {
    let state: ConnectionState;
    if (!this.attached || !this.options.target().feed) state = 'idle';
    else if (!this.env.isOnline()) state = 'offline';
    else if (this.mode === 'poll') state = 'polling';
    else if (!this.hasSnapshot) state = this.failures === 0 ? 'loading' : 'reconnecting';
    else if (this.streamOpen || (this.failures === 0 && this.eventSource)) state = 'live';
    else state = 'reconnecting';
    this.setState(state);
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.host.requestUpdate();
  }
}

function retryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const SOURCES = new Set<SourceKind>(['demo', 'x', 'mastodon', 'bluesky', 'organisers']);

/* Light validation of what the server sends: enough that a malformed post
 * cannot break rendering, not a second schema of the contract. */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function text(value: unknown): string {
  return isString(value) ? value : '';
}

function parseAuthor(value: unknown): Author | undefined {
  if (!isRecord(value) || !isString(value.name) || !isString(value.handle)) return undefined;
  return {
    name: value.name,
    handle: value.handle,
    avatarUrl: text(value.avatarUrl),
    profileUrl: text(value.profileUrl),
  };
}

function isRange(value: unknown): value is Record<string, unknown> & { start: number; end: number } {
  return isRecord(value) && Number.isInteger(value.start) && Number.isInteger(value.end);
}

function rangesOf<T>(value: unknown, check: (item: Record<string, unknown>) => boolean): T[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item) => isRange(item) && check(item)) as T[];
}

function parseEntities(value: unknown): Entities {
  const entities = isRecord(value) ? value : {};
  return {
    hashtags: rangesOf(entities.hashtags, (item) => isString(item.tag) && isString(item.url)),
    mentions: rangesOf(entities.mentions, (item) => isString(item.handle) && isString(item.url)),
    links: rangesOf(entities.links, (item) => isString(item.href) && isString(item.display)),
  };
}

function parseMedia(value: unknown): Media[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => ({
    kind: item.kind === 'video' || item.kind === 'gif' ? item.kind : 'photo',
    url: text(item.url),
    previewUrl: text(item.previewUrl),
    alt: text(item.alt),
    width: Number(item.width) > 0 ? Number(item.width) : 0,
    height: Number(item.height) > 0 ? Number(item.height) : 0,
  }));
}

/** A Post from untrusted JSON, or undefined when its essentials are missing. */
export function parsePost(value: unknown, depth = 0): Post | undefined {
  if (!isRecord(value)) return undefined;
  const author = parseAuthor(value.author);
  if (!isString(value.id) || !value.id || !isString(value.createdAt) || !author) return undefined;
  const post: Post = {
    id: value.id,
    source: SOURCES.has(value.source as SourceKind) ? (value.source as SourceKind) : 'demo',
    url: text(value.url),
    createdAt: value.createdAt,
    author,
    text: text(value.text),
    entities: parseEntities(value.entities),
    media: parseMedia(value.media),
  };
  const repostedBy = parseAuthor(value.repostedBy);
  if (repostedBy) post.repostedBy = repostedBy;
  const quoted = depth === 0 ? parsePost(value.quoted, depth + 1) : undefined;
  if (quoted) post.quoted = quoted;
  if (isString(value.lang)) post.lang = value.lang;
  if (isString(value.contentWarning) && value.contentWarning.trim()) post.contentWarning = value.contentWarning;
  if (value.sensitive === true) post.sensitive = true;
  if (value.edited === true) post.edited = true;
  if (value.reply === true) post.reply = true;
  if (isString(value.pinnedAt)) post.pinnedAt = value.pinnedAt;
  if (isString(value.expiresAt)) post.expiresAt = value.expiresAt;
  if (post.source === 'organisers' && isString(value.html)) post.html = value.html;
  return post;
}

/** An Alert from untrusted JSON; null when there is none, undefined when malformed. */
function parseAlert(value: unknown): Alert | null | undefined {
  if (value === null || value === undefined) return null;
  if (!isRecord(value) || !isString(value.id) || !isString(value.text) || !isString(value.createdAt)) return undefined;
  const alert: Alert = { id: value.id, text: value.text, createdAt: value.createdAt };
  if (isString(value.expiresAt)) alert.expiresAt = value.expiresAt;
  if (isString(value.lang)) alert.lang = value.lang;
  return alert;
}

function parseStatus(value: unknown): FeedStatus | undefined {
  if (!isRecord(value) || typeof value.stale !== 'boolean' || !isString(value.updatedAt)) {
    return undefined;
  }
  return { stale: value.stale, updatedAt: value.updatedAt };
}

function parseFeedInfo(value: unknown): FeedInfo | undefined {
  if (!isRecord(value) || !isString(value.id)) return undefined;
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter(isString) : []);
  return {
    id: value.id,
    title: text(value.title),
    hashtags: strings(value.hashtags),
    accounts: strings(value.accounts),
  };
}

/** A FeedSnapshot from untrusted JSON; malformed posts are left out. */
export function parseSnapshot(value: unknown): FeedSnapshot | undefined {
  if (!isRecord(value) || !Array.isArray(value.posts)) return undefined;
  const feed = parseFeedInfo(value.feed);
  if (!feed) return undefined;
  const posts: Post[] = [];
  for (const item of value.posts) {
    const post = parsePost(item);
    if (post) posts.push(post);
  }
  return {
    feed,
    posts,
    updatedAt: text(value.updatedAt),
    stale: value.stale === true,
    alert: parseAlert(value.alert) ?? null,
    revision: Number.isSafeInteger(value.revision) ? Number(value.revision) : 0,
  };
}

/**
 * The live hub: Server-Sent Events written straight to Node responses. Each
 * event is encoded once and the same bytes are written to every viewer of the
 * feed; a bounded replay buffer serves reconnecting viewers (Last-Event-ID);
 * a viewer that stops reading is dropped once its buffered bytes pass a bound.
 * A broadcast to thousands of viewers is written in slices, yielding to the
 * event loop between them, so that no request or poll timer waits behind it.
 * Viewers are capped per process and per client address group, so that one
 * client cannot take every slot.
 */
import type { ServerResponse } from 'node:http';
import type { FeedEventMap, FeedStatus, StreamClosing } from '../contract.js';
import { closingFrame, encodeEvent, endStream } from './sse-frames.js';

export { encodeEvent };

export interface SseHubOptions {
  /** Viewers allowed at once on this process, all feeds together. */
  maxViewers?: number;
  /** Viewers allowed at once from one address group (see `addressGroup()`), all feeds together. */
  maxViewersPerAddress?: number;
  /** Events kept per feed for Last-Event-ID replay. */
  replaySize?: number;
  /** Bytes a viewer may leave unread before it is dropped. */
  maxBufferedBytes?: number;
  /** Milliseconds between two heartbeat comments. */
  heartbeatMs?: number;
  /** Milliseconds a reconnecting EventSource waits (sent as `retry:`). */
  retryMs?: number;
  /** Viewers written to in one turn of the event loop. */
  sliceSize?: number;
  /**
   * When the process stops, each viewer is told to reconnect after a delay drawn in this range
   * (milliseconds), so that the viewers of a stopped instance come back spread out, to another
   * instance or to this one restarted.
   */
  closingRetryMs?: { min: number; max: number };
  /** Milliseconds a stop waits for the viewers' last bytes to be flushed before it gives up on them. */
  closingFlushMs?: number;
  /** A number in [0, 1) (tests make it fixed). */
  random?: () => number;
}

/** Default bound on a viewer's unread bytes. */
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024;
const HEARTBEAT = Buffer.from(': ping\n\n');

interface ReplayEntry {
  id: number;
  frame: Buffer;
}

/**
 * What every stream carries besides its own events: the feed's status, `reset` when too much was
 * missed, and `closing` when the server stops (the widget then reconnects after `reconnectInMs`).
 */
export interface StreamEvents {
  status: FeedStatus;
  reset: FeedStatus;
  closing: StreamClosing;
}

/** Default range of the delay before viewers of a stopping server reconnect. */
export const DEFAULT_CLOSING_RETRY_MS = { min: 1_000, max: 5_000 } as const;

/** A frame on its way to the viewers it had when its broadcast started. */
interface Delivery {
  frame: Buffer;
  id: number | undefined;
  targets: ServerResponse[] | undefined;
  next: number;
}

class FeedChannel {
  readonly viewers = new Set<ServerResponse>();
  readonly replay: ReplayEntry[] = [];
  /** Frames waiting to be written, in order; the first one may be half-way. */
  readonly queue: Delivery[] = [];
  /** Revision of the newest event published on this channel. */
  revision: number;
  /** Revision of the newest event whose broadcast has started. */
  started: number;
  status: FeedStatus;
  pumping = false;

  constructor(revision: number, status: FeedStatus) {
    this.revision = revision;
    this.started = revision;
    this.status = status;
  }
}

/** Why a viewer was turned away: the process is full, or its address holds its share. */
export type Refusal =
  { ok: false; status: 404 } | { ok: false; status: 503; reason: 'full' | 'address'; retryAfterSeconds: number };

export type SubscribeResult = { ok: true } | Refusal;

/**
 * Seconds a refused viewer is asked to wait (`Retry-After`): 10 to 29, at
 * random, so that the viewers refused together do not all come back together.
 */
function retryAfterSeconds(): number {
  return 10 + Math.floor(Math.random() * 20);
}

/** A hub for streams of the events `M` (the public feed events by default). */
export class SseHub<M extends StreamEvents = FeedEventMap> {
  readonly #channels = new Map<string, FeedChannel>();
  readonly #maxViewers: number;
  readonly #maxPerAddress: number;
  /** Viewers per address group; a group leaves the map with its last viewer. */
  readonly #perAddress = new Map<string, number>();
  readonly #replaySize: number;
  readonly #maxBuffered: number;
  readonly #retry: Buffer;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #sliceSize: number;
  readonly #closingRetry: { min: number; max: number };
  readonly #closingFlushMs: number;
  readonly #random: () => number;
  /** Resolvers of `close()` waiting for a channel's queue to empty. */
  readonly #drained = new Map<FeedChannel, (() => void)[]>();
  #viewers = 0;
  #dropped = 0;

  constructor(options: SseHubOptions = {}) {
    this.#maxViewers = options.maxViewers ?? 10_000;
    this.#maxPerAddress = options.maxViewersPerAddress ?? this.#maxViewers;
    this.#replaySize = options.replaySize ?? 1000;
    this.#maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.#retry = Buffer.from(`retry: ${options.retryMs ?? 3000}\n\n`);
    this.#sliceSize = options.sliceSize ?? 250;
    this.#closingRetry = options.closingRetryMs ?? DEFAULT_CLOSING_RETRY_MS;
    this.#closingFlushMs = options.closingFlushMs ?? 5_000;
    this.#random = options.random ?? Math.random;
    this.#heartbeat = setInterval(() => this.#writeAll(HEARTBEAT), options.heartbeatMs ?? 15_000);
    this.#heartbeat.unref();
  }

  /** Declares a feed and its current revision and status. */
  addFeed(feedId: string, revision: number, status: FeedStatus): void {
    if (!this.#channels.has(feedId)) this.#channels.set(feedId, new FeedChannel(revision, status));
  }

  /** Forgets a feed: its viewers' streams are ended. */
  removeFeed(feedId: string): void {
    const channel = this.#channels.get(feedId);
    if (!channel) return;
    this.#channels.delete(feedId);
    for (const res of channel.viewers) res.end();
  }

  get viewerCount(): number {
    return this.#viewers;
  }

  /** Viewers dropped for not reading, since start. */
  get droppedCount(): number {
    return this.#dropped;
  }

  viewersOf(feedId: string): number {
    return this.#channels.get(feedId)?.viewers.size ?? 0;
  }

  /**
   * Publishes an event with an id (a feed revision): kept for replay and written
   * to every viewer of the feed, encoded once.
   */
  publish<E extends Exclude<keyof M & string, keyof StreamEvents>>(
    feedId: string,
    event: E,
    data: M[E],
    revision: number,
  ): void {
    const channel = this.#channels.get(feedId);
    if (!channel) return;
    const frame = encodeEvent<M, E>(event, data, revision);
    channel.replay.push({ id: revision, frame });
    if (channel.replay.length > this.#replaySize) channel.replay.splice(0, channel.replay.length - this.#replaySize);
    channel.revision = revision;
    this.#broadcast(channel, frame, revision);
  }

  /** Publishes the feed's status (stale or fresh); not replayed, sent to each new viewer instead. */
  publishStatus(feedId: string, status: FeedStatus): void {
    const channel = this.#channels.get(feedId);
    if (!channel) return;
    channel.status = status;
    this.#broadcast(channel, encodeEvent<StreamEvents>('status', status));
  }

  /** Sends raw bytes to every viewer of a feed (benchmarks, announcements). */
  broadcastRaw(feedId: string, frame: Buffer): void {
    const channel = this.#channels.get(feedId);
    if (channel) this.#broadcast(channel, frame);
  }

  /**
   * Whether a viewer from `address` (an address group) would be let in on
   * `feedId` now; `subscribe` applies the same rule, HEAD requests only ask.
   */
  admit(feedId: string, address: string): SubscribeResult {
    if (!this.#channels.has(feedId)) return { ok: false, status: 404 };
    if (this.#viewers >= this.#maxViewers)
      return { ok: false, status: 503, reason: 'full', retryAfterSeconds: retryAfterSeconds() };
    if ((this.#perAddress.get(address) ?? 0) >= this.#maxPerAddress)
      return { ok: false, status: 503, reason: 'address', retryAfterSeconds: retryAfterSeconds() };
    return { ok: true };
  }

  /**
   * Takes over a Node response as a live stream, answered with `headers` (the HTTP layer's). `lastEventId`
   * is the Last-Event-ID header, or the `since` revision of the snapshot the client holds; `address`
   * is the viewer's address group, for the per-address cap.
   */
  subscribe(
    feedId: string,
    res: ServerResponse,
    lastEventId: string | undefined,
    address: string,
    headers: Readonly<Record<string, string>>,
  ): SubscribeResult {
    const admitted = this.admit(feedId, address);
    if (!admitted.ok) return admitted;
    const channel = this.#channels.get(feedId)!;

    res.writeHead(200, headers);
    res.socket?.setNoDelay(true);
    res.write(this.#retry);
    this.#catchUp(channel, res, lastEventId);
    res.write(encodeEvent<StreamEvents>('status', channel.status));

    this.#viewers++;
    this.#perAddress.set(address, (this.#perAddress.get(address) ?? 0) + 1);
    channel.viewers.add(res);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      channel.viewers.delete(res);
      this.#viewers--;
      const left = this.#perAddress.get(address)! - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    };
    res.once('close', close);
    res.socket?.once('close', close);
    return { ok: true };
  }

  /**
   * Replays what the viewer missed. Only events whose broadcast has started
   * are replayed: the ones still queued will reach this viewer through the queue.
   */
  #catchUp(channel: FeedChannel, res: ServerResponse, lastEventId: string | undefined): void {
    if (lastEventId === undefined || lastEventId === '') return;
    const last = Number(lastEventId);
    if (!Number.isSafeInteger(last) || last < 0 || last > channel.revision) {
      res.write(encodeEvent<StreamEvents>('reset', channel.status, channel.revision));
      return;
    }
    if (last === channel.revision) return;
    const first = channel.replay[0];
    if (!first || first.id > last + 1) {
      // More was missed than the buffer holds: the client must fetch the snapshot again.
      res.write(encodeEvent<StreamEvents>('reset', channel.status, channel.revision));
      return;
    }
    for (const entry of channel.replay) if (entry.id > last && entry.id <= channel.started) res.write(entry.frame);
  }

  #broadcast(channel: FeedChannel, frame: Buffer, id?: number): void {
    channel.queue.push({ frame, id, targets: undefined, next: 0 });
    if (!channel.pumping) this.#pump(channel);
  }

  /** Writes up to one slice of viewers, then yields to the event loop if more remain. */
  #pump(channel: FeedChannel): void {
    channel.pumping = true;
    let budget = this.#sliceSize;
    while (channel.queue.length > 0 && budget > 0) {
      const delivery = channel.queue[0]!;
      if (!delivery.targets) {
        // The viewers present when the broadcast starts; later ones catch up from the replay buffer.
        delivery.targets = [...channel.viewers];
        if (delivery.id !== undefined) channel.started = delivery.id;
      }
      const end = Math.min(delivery.targets.length, delivery.next + budget);
      for (let i = delivery.next; i < end; i++) this.#write(delivery.targets[i]!, delivery.frame);
      budget -= end - delivery.next;
      delivery.next = end;
      if (end === delivery.targets.length) channel.queue.shift();
      else break;
    }
    if (channel.queue.length > 0) setImmediate(() => this.#pump(channel));
    else {
      channel.pumping = false;
      for (const resolve of this.#drained.get(channel) ?? []) resolve();
      this.#drained.delete(channel);
    }
  }

  /** Resolves once every broadcast already started on the channel has reached its viewers. */
  #drain(channel: FeedChannel): Promise<void> {
    if (!channel.pumping) return Promise.resolve();
    return new Promise((resolve) => this.#drained.set(channel, [...(this.#drained.get(channel) ?? []), resolve]));
  }

  #writeAll(frame: Buffer): void {
    for (const channel of this.#channels.values()) this.#broadcast(channel, frame);
  }

  #write(res: ServerResponse, frame: Buffer): void {
    if (res.destroyed) return;
    if (res.writableLength > this.#maxBuffered) {
      this.#dropped++;
      res.destroy();
      return;
    }
    res.write(frame);
  }

  /**
   * Ends every stream (shutdown): the broadcasts under way finish first, then each viewer gets
   * a closing frame telling it when to reconnect, and the stream ends once that is flushed.
   */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    const channels = [...this.#channels.values()];
    await Promise.all(channels.map((channel) => this.#drain(channel)));
    await Promise.all(
      channels.flatMap((channel) =>
        [...channel.viewers].map((res) =>
          endStream(res, closingFrame(this.#closingRetry, this.#random), this.#closingFlushMs),
        ),
      ),
    );
  }
}

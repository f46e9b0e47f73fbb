/**
 * The stream's events, read and handed to the host in the feed's order. The
 * snapshot shows the feed at one revision; each event carries the revision it
 * brings (its SSE id). Events that arrive while a snapshot is on its way wait
 * for it, and those it already shows are dropped; an event replayed after a
 * reconnection is dropped too.
 */
import type { FeedStatus } from '../../server/contract.js';
import { FeedConnectionError } from './error.js';
import type { FeedConnectionOptions } from './options.js';
import { parseStreamEvent } from './parse.js';
import type { StreamEventName } from './parse.js';

/** Where the events go, and what the connection says about the snapshot. */
export interface EventSink extends Pick<
  FeedConnectionOptions,
  'onPost' | 'onRemove' | 'onAlert' | 'onFeed' | 'onStatus' | 'onError'
> {
  /** Whether a snapshot is awaited (none yet, or one on its way). */
  waiting(): boolean;
  /** Fetches the snapshot again: the server cannot replay what was missed. */
  reload(): void;
}

/** The host's handler of each event that changes the feed. */
const HANDLERS = {
  post: 'onPost',
  remove: 'onRemove',
  alert: 'onAlert',
  feed: 'onFeed',
  status: 'onStatus',
} as const satisfies Record<Exclude<StreamEventName, 'reset'>, keyof EventSink>;

/** Events kept while a snapshot is on its way; older ones are covered by it. */
const MAX_HELD_EVENTS = 500;

/** The revision applied, and the events that wait for the snapshot. No I/O. */
export class EventOrder {
  /** Newest feed revision applied: from the snapshot, then from event ids. */
  revision: number | undefined;

  /** Events that arrived while a snapshot was on its way, with their revision. */
  private held: Array<{ revision: number | undefined; apply: () => void }> = [];

  /** Forgets the revision and the waiting events: another feed, or everything starts again. */
  reset(): void {
    this.revision = undefined;
    this.drop();
  }

  /** Drops the waiting events: a new snapshot will show them. */
  drop(): void {
    this.held = [];
  }

  /** An event of the stream: `data` is its JSON text, `lastEventId` the revision it brings. */
  receive(name: StreamEventName, data: unknown, lastEventId: string, sink: EventSink): void {
    const value = parseStreamEvent(name, data);
    if (value === 'unreadable') {
      sink.onError(new FeedConnectionError(`Unreadable ${name} event`, 'data'));
      return;
    }
    if (name === 'reset') {
      if (value) sink.onStatus(value as FeedStatus);
      // We missed more than the server keeps: start again from the snapshot.
      this.drop();
      sink.reload();
      return;
    }
    if (!value) {
      sink.onError(new FeedConnectionError(`Malformed ${name} event`, 'data'));
      return;
    }
    const id = Number(lastEventId);
    const revision = lastEventId !== '' && Number.isSafeInteger(id) ? id : undefined;
    const handler = HANDLERS[name as Exclude<StreamEventName, 'reset'>];
    const apply = (): void => (sink[handler] as (value: unknown) => void)(value);
    if (sink.waiting()) this.hold(revision, apply);
    else this.apply(revision, apply, name === 'status');
  }

  /** Keeps an event until the snapshot on its way arrives (the oldest go past a bound). */
  private hold(revision: number | undefined, apply: () => void): void {
    this.held.push({ revision, apply });
    if (this.held.length > MAX_HELD_EVENTS) this.held.shift();
  }

  /**
   * Applies an event unless the feed already shows its revision. `always`: a
   * status is applied even so (it replaces the status, it adds nothing).
   */
  private apply(revision: number | undefined, apply: () => void, always: boolean): void {
    if (revision !== undefined) {
      if (this.revision !== undefined && revision <= this.revision && !always) return;
      this.revision = revision;
    }
    apply();
  }

  /**
   * The snapshot arrived, showing `snapshotRevision`: the events it already
   * shows are dropped, later ones apply in order (all of them when a revision
   * is unknown).
   */
  release(snapshotRevision: number | undefined): void {
    const held = this.held;
    this.held = [];
    for (const { revision, apply } of held) {
      if (revision === undefined || snapshotRevision === undefined) {
        apply();
      } else if (revision > snapshotRevision) {
        this.revision = Math.max(this.revision ?? revision, revision);
        apply();
      }
    }
  }
}

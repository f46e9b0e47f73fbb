/** Fakes for the widget's browser services: network, event stream, clock and timers. */
import type { FeedSnapshot } from '../../../server/contract.js';
import type { EventSourceLike, FeedEnvironment } from '../../../widget/feed-connection.js';

type Listener = (event: MessageEvent) => void;

/** An EventSource the test drives by hand. */
export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];

  /** The newest stream opened and not closed. */
  static get current(): FakeEventSource | undefined {
    return [...FakeEventSource.instances].reverse().find((source) => !source.closed);
  }

  static reset(): void {
    FakeEventSource.instances = [];
  }

  readonly url: string;
  readyState = 0;
  closed = false;
  lastEventId = '';
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
  }

  close(): void {
    this.readyState = 2;
    this.closed = true;
  }

  /** The connection opened. */
  open(): void {
    this.readyState = 1;
    this.dispatch('open', new MessageEvent('open'));
  }

  /** A server event, data given as a value (JSON-encoded) or a raw string. */
  emit(type: string, data: unknown, id?: number): void {
    if (id !== undefined) this.lastEventId = String(id);
    this.dispatch(
      type,
      new MessageEvent(type, {
        data: typeof data === 'string' ? data : JSON.stringify(data),
        lastEventId: this.lastEventId,
      }),
    );
  }

  /**
   * An error: `closed` as after an HTTP error (the browser gives up),
   * otherwise as after a network drop (the browser reconnects by itself).
   */
  fail(closed: boolean): void {
    this.readyState = closed ? 2 : 0;
    this.dispatch('error', new MessageEvent('error'));
  }

  private dispatch(type: string, event: MessageEvent): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

/** Timers that run only when the test moves the clock. */
export class FakeTimers {
  now: number;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; delay: number; callback: () => void }>();

  constructor(now: number) {
    this.now = now;
  }

  setTimeout = (callback: () => void, delay: number): number => {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + Math.max(0, delay), delay, callback });
    return id;
  };

  clearTimeout = (id: number): void => {
    this.pending.delete(id);
  };

  /** How many timers are waiting. */
  get count(): number {
    return this.pending.size;
  }

  /** Delays of the timers waiting, shortest first. */
  delays(): number[] {
    return [...this.pending.values()].map((timer) => timer.delay).sort((a, b) => a - b);
  }

  /** Moves the clock forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, timer] of this.pending) {
        if (timer.at <= end && timer.at < nextAt) {
          nextAt = timer.at;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.pending.get(nextId);
      this.pending.delete(nextId);
      this.now = Math.max(this.now, nextAt);
      timer?.callback();
    }
    this.now = end;
  }
}

export interface RecordedRequest {
  url: string;
  headers: Headers;
}

/** The snapshot endpoint, with ETag and 304, failures and held answers. */
export class FakeFeedServer {
  snapshot: FeedSnapshot;
  etag: string;
  /** When set, the next answers have this status (and no body). */
  status: number | undefined;
  retryAfter: string | undefined;
  /** When true, requests fail like a network error. */
  offline = false;
  /** When true, answers wait for release(). */
  hold = false;
  readonly requests: RecordedRequest[] = [];
  private held: Array<() => void> = [];

  constructor(snapshot: FeedSnapshot) {
    this.snapshot = snapshot;
    this.etag = `"r${snapshot.revision}"`;
  }

  /** Replaces the snapshot and gives it a new ETag. */
  publish(snapshot: FeedSnapshot): void {
    this.snapshot = snapshot;
    this.etag = `"r${snapshot.revision}"`;
  }

  /** Lets held answers through. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const resume of held) resume();
  }

  fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    this.requests.push({ url: input, headers });
    // The answer is decided when the request arrives, as a server would.
    const answer = this.answer(headers);
    if (this.hold) await new Promise<void>((resume) => this.held.push(resume));
    if (init?.signal?.aborted) throw new DOMException('Aborted', 'AbortError');
    return answer();
  };

  private answer(headers: Headers): () => Response {
    if (this.offline) {
      return () => {
        throw new TypeError('Failed to fetch');
      };
    }
    if (this.status !== undefined) {
      const status = this.status;
      const retry = this.retryAfter;
      return () =>
        new Response(JSON.stringify({ error: { status, message: 'fake' } }), {
          status,
          headers: retry ? { 'retry-after': retry } : {},
        });
    }
    if (headers.get('if-none-match') === this.etag) {
      return () => new Response(null, { status: 304, headers: { etag: this.etag } });
    }
    const body = JSON.stringify(this.snapshot);
    const etag = this.etag;
    return () => new Response(body, { status: 200, headers: { etag, 'content-type': 'application/json' } });
  }
}

/** A full environment from fakes; `online` can be flipped by the test. */
export function fakeEnvironment(
  server: FakeFeedServer,
  timers: FakeTimers,
  options: { online?: () => boolean; eventSource?: boolean } = {},
): FeedEnvironment {
  return {
    fetch: server.fetch,
    EventSource: options.eventSource === false ? undefined : FakeEventSource,
    now: () => timers.now,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    random: () => 0.5,
    isOnline: options.online ?? (() => true),
  };
}

/** Resolves after pending promise callbacks and one macrotask. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A module loader (`CommuneFeed.loadSanitizer`, `loadWall`) the test resolves or rejects by hand, counting its calls. */
export class ManualLoader<T> {
  calls = 0;
  resolve: (value: T) => void = () => undefined;
  reject: (error: Error) => void = () => undefined;

  readonly load = (): Promise<T> => {
    this.calls++;
    return new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  };
}

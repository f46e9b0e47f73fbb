/**
 * What the live connection needs from the browser (network, event stream,
 * clock, timers), behind one interface that tests replace whole.
 */

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

/**
 * The event stream of a feed (`GET /api/feeds/:id/events`): one EventSource,
 * whose events are handed on until it is closed, and never after.
 */
import type { EventSourceConstructor } from './environment.js';
import { parseClosingDelay, STREAM_EVENTS } from './parse.js';
import type { StreamEventName } from './parse.js';

/** The longest wait a stopping server may ask for before the widget reconnects. */
const MAX_CLOSING_DELAY = 60_000;
/** EventSource.CLOSED: the browser gave up on the stream and will not reconnect by itself. */
const EVENT_SOURCE_CLOSED = 2;

export interface StreamHandlers {
  onOpen(): void;
  /**
   * The stream failed. `opened`: whether it ever opened; `closed`: whether the
   * browser gave up (an HTTP error) rather than reconnecting by itself.
   */
  onError(failure: { opened: boolean; closed: boolean }): void;
  /** The server is stopping; `data` is the `closing` event's. */
  onClosing(data: unknown): void;
  onEvent(name: StreamEventName, data: unknown, lastEventId: string): void;
}

/** An open event stream, as the connection holds it. */
export interface EventStream {
  close(): void;
}

/** The stream URL from the snapshot's, from the revision held (`?since=`) so the server replays what was missed. */
export function eventsUrl(snapshotUrl: string, revision: number | undefined): string {
  const since = revision === undefined ? '' : `?since=${revision}`;
  return `${snapshotUrl}/events${since}`;
}

/** Opens the stream at `url` and hands its events to `handlers` until `close()`. */
export function openEventStream(
  EventSourceClass: EventSourceConstructor,
  url: string,
  handlers: StreamHandlers,
): EventStream {
  const source = new EventSourceClass(url);
  let closed = false;
  let opened = false;
  source.addEventListener('open', () => {
    if (closed) return;
    opened = true;
    handlers.onOpen();
  });
  source.addEventListener('error', () => {
    if (!closed) handlers.onError({ opened, closed: source.readyState === EVENT_SOURCE_CLOSED });
  });
  source.addEventListener('closing', (event) => {
    if (!closed) handlers.onClosing(event.data);
  });
  for (const name of STREAM_EVENTS) {
    source.addEventListener(name, (event) => {
      if (!closed) handlers.onEvent(name, event.data, event.lastEventId);
    });
  }
  return {
    close() {
      closed = true;
      source.close();
    },
  };
}

/**
 * What follows a failure of the stream (outside the polling fallback), after
 * `failures` in a row. EventSource shows no status: closed before it ever
 * opened means the server answered with an error, such as 503 when it has too
 * many viewers (`refused`): retrying would be refused again, so the connection
 * polls at once and probes the stream later. After too many failures it polls
 * (`poll`). When the browser gave up (an HTTP error) the connection retries
 * itself (`retry`); otherwise the browser reconnects by itself and resends
 * Last-Event-ID (`wait`).
 */
export function afterStreamFailure(
  opened: boolean,
  closed: boolean,
  failures: number,
  maxFailures: number,
): 'refused' | 'poll' | 'retry' | 'wait' {
  if (!opened && closed) return 'refused';
  if (failures >= maxFailures) return 'poll';
  return closed ? 'retry' : 'wait';
}

/** The wait a `closing` event asks for, bounded; undefined when it gives none that reads. */
export function closingDelay(data: unknown): number | undefined {
  const delay = parseClosingDelay(data);
  return delay === undefined ? undefined : Math.min(Math.max(delay, 0), MAX_CLOSING_DELAY);
}

/**
 * The bytes of a live stream: an event, encoded once for every viewer, and the closing frame a
 * stopping server sends each viewer before it ends the stream.
 */
import type { ServerResponse } from 'node:http';
import type { FeedEventMap, StreamClosing } from '../contract.js';

/** Encodes one SSE frame; JSON never contains a raw newline, so one `data:` line suffices. */
export function encodeEvent<M extends object = FeedEventMap, E extends keyof M & string = keyof M & string>(
  event: E,
  data: M[E],
  id?: number,
): Buffer {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return Buffer.from(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * The closing frame for one viewer: a `retry:` line (what a bare EventSource honours) and a
 * `closing` event with the same delay (what the widget honours), drawn in `range` with `random`.
 */
export function closingFrame(range: { min: number; max: number }, random: () => number): Buffer {
  const reconnectInMs = Math.round(range.min + (range.max - range.min) * random());
  return Buffer.concat([
    Buffer.from(`retry: ${reconnectInMs}\n`),
    encodeEvent<{ closing: StreamClosing }>('closing', { reconnectInMs }),
  ]);
}

/** Ends a stream with its last frame; resolves once that is flushed, the viewer left, or `flushMs` passed. */
export function endStream(res: ServerResponse, frame: Buffer, flushMs: number): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.destroy();
      resolve();
    }, flushMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    res.once('close', done);
    res.end(frame, done);
  });
}

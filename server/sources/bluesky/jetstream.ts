/**
 * A Jetstream subscription for one feed: Bluesky's public stream of posts over a WebSocket, sorted
 * in our process (`jetstream-filter.ts`), resumed from the cursor of the last event seen (less a
 * safety margin) after every disconnect, reconnected with backoff and jitter, declared dead after
 * a silence (no frame and no pong), and never throwing into the process.
 */
import WebSocket from 'ws';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { backoffMs, type BackoffPolicy } from '../../pacing/backoff.js';
import type { Random } from '../../pacing/jitter.js';
import type { BskyPostRecord } from './lexicon.js';
import { createFrameFilter, subscribeUrl, type JetstreamFollow } from './jetstream-filter.js';
import { postId, postUri } from './normalize.js';

/** Bluesky's public Jetstream instances are `jetstream{1,2}.{us-east,us-west}.bsky.network`. */
export const DEFAULT_JETSTREAM_URL = 'wss://jetstream2.us-east.bsky.network/subscribe';

/** A post the feed follows, as Jetstream carried it (no author profile, no labels: hydrate it). */
export interface JetstreamPost {
  id: string;
  uri: string;
  did: string;
  rkey: string;
  record: BskyPostRecord;
  /** The event's cursor (Unix microseconds). */
  timeUs: number;
}

export interface JetstreamOptions extends JetstreamFollow {
  /** The `/subscribe` endpoint (default `DEFAULT_JETSTREAM_URL`). */
  url?: string;
  /** Where to resume (Unix microseconds), e.g. the cursor stored before a restart; none: from now. */
  cursorUs?: number | null;
  clock: Clock;
  log: Logger;
  /** A post the feed follows was created, or rewritten. */
  onPost(post: JetstreamPost): void;
  /** A post this stream passed on, or that `isKnown` says the feed shows, was deleted. */
  onDelete(id: string, timeUs: number): void;
  /** Whether the feed shows this post id (so that its deletion is passed on). */
  isKnown?(id: string): boolean;
  /** Called when the state changes (e.g. to fall back to polling while it is not `open`). */
  onState?(status: JetstreamStatus): void;
  /** The stream is dead after this long without a frame or a pong (default 60 s). */
  silenceMs?: number;
  /** A ping after this long without a frame (default 20 s). */
  pingEveryMs?: number;
  /** Rewind on resume, in microseconds (default 3 s): replayed events are told apart by id. */
  rewindUs?: number;
  /** Waits between reconnections (default 1 s doubling to 2 min, with jitter). */
  backoff?: BackoffPolicy;
  random?: Random;
}

export interface JetstreamStatus {
  state: 'connecting' | 'open' | 'waiting' | 'closed';
  /** The cursor to store: the last event seen (Unix microseconds). */
  cursorUs: number | null;
  /** Failed connections in a row. */
  failures: number;
  /** ISO 8601 of the last frame or pong. */
  lastAliveAt?: string;
  /** Why the last connection ended. */
  lastError?: string;
  /** Frames read, frames for this feed, unreadable frames. */
  frames: number;
  matched: number;
  badFrames: number;
}

export interface JetstreamConnection {
  status(): JetstreamStatus;
  /** Stops for good. */
  close(): void;
}

/** Post ids passed on recently: replays after a rewind are not passed on twice, deletes of them are. */
const REMEMBERED_IDS = 5000;

export function openJetstream(options: JetstreamOptions): JetstreamConnection {
  const { clock, log } = options;
  const silenceMs = options.silenceMs ?? 60_000;
  const pingEveryMs = options.pingEveryMs ?? 20_000;
  const rewindUs = options.rewindUs ?? 3_000_000;
  const policy = options.backoff ?? { baseMs: 1_000, capMs: 120_000 };
  const filter = createFrameFilter(options);
  const passed = new Set<string>();
  const status: JetstreamStatus = {
    state: 'connecting',
    cursorUs: options.cursorUs ?? null,
    failures: 0,
    frames: 0,
    matched: 0,
    badFrames: 0,
  };
  let socket: WebSocket | undefined;
  let timer: unknown;
  let aliveAt = clock.now();
  let closed = false;
  let badFrameLogged = false;
  /** Why the current connection ended, when known before its `close` event. */
  let endReason: string | undefined;

  const setState = (state: JetstreamStatus['state']) => {
    if (status.state === state) return;
    status.state = state;
    safely('onState', () => options.onState?.({ ...status }));
  };

  function safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      log.error('bluesky.jetstream.handler_failed', {
        handler: what,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  const remember = (id: string) => {
    passed.add(id);
    if (passed.size > REMEMBERED_IDS) passed.delete(passed.values().next().value!);
  };

  function alive(): void {
    aliveAt = clock.now();
    status.lastAliveAt = new Date(aliveAt).toISOString();
    status.failures = 0;
  }

  function onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    alive();
    status.frames++;
    const outcome = isBinary ? { kind: 'bad' as const, reason: 'binary frame' } : filter(data.toString());
    if (outcome.kind === 'bad') {
      status.badFrames++;
      if (!badFrameLogged)
        log.warn('bluesky.jetstream.bad_frame', { reason: outcome.reason, note: 'logged once; skipped' });
      badFrameLogged = true;
      return;
    }
    if (outcome.timeUs !== undefined && outcome.timeUs > (status.cursorUs ?? 0)) status.cursorUs = outcome.timeUs;
    if (outcome.kind === 'skip') return;
    const id = postId(postUri(outcome.did, outcome.rkey));
    if (outcome.kind === 'delete') {
      if (passed.has(id) || options.isKnown?.(id)) safely('onDelete', () => options.onDelete(id, outcome.timeUs));
      passed.delete(id);
      return;
    }
    if (outcome.operation === 'create' && passed.has(id)) return; // a replay after a rewind
    remember(id);
    status.matched++;
    const post = {
      id,
      uri: postUri(outcome.did, outcome.rkey),
      did: outcome.did,
      rkey: outcome.rkey,
      record: outcome.record,
      timeUs: outcome.timeUs,
    };
    safely('onPost', () => options.onPost(post));
  }

  function schedule(fn: () => void, ms: number): void {
    clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      if (!closed) safely('timer', fn);
    }, ms);
  }

  /** Pings after a quiet spell; a silence longer than `silenceMs` ends the connection. */
  function watch(ws: WebSocket): void {
    schedule(
      () => {
        if (ws !== socket) return;
        const quiet = clock.now() - aliveAt;
        if (quiet >= silenceMs) {
          endReason = `silent for ${Math.round(quiet / 1000)} s`;
          ws.terminate();
          return;
        }
        if (quiet >= pingEveryMs && ws.readyState === WebSocket.OPEN) ws.ping();
        watch(ws);
      },
      Math.min(pingEveryMs, silenceMs) / 2,
    );
  }

  function connect(): void {
    if (closed) return;
    setState('connecting');
    const resumeAt = status.cursorUs !== null ? Math.max(0, status.cursorUs - rewindUs) : undefined;
    let ws: WebSocket;
    try {
      ws = new WebSocket(subscribeUrl(options.url ?? DEFAULT_JETSTREAM_URL, options, resumeAt), {
        handshakeTimeout: 15_000,
      });
    } catch {
      // A URL that is not ws:// or wss://: no retry can help.
      status.lastError = 'the Jetstream URL is not a ws:// or wss:// URL';
      log.error('bluesky.jetstream.bad_url', { url: options.url });
      setState('closed');
      return;
    }
    socket = ws;
    endReason = undefined;
    aliveAt = clock.now();
    ws.on('open', () => {
      if (ws !== socket) return;
      log.info('bluesky.jetstream.open', { resumeAt: resumeAt ?? 'live' });
      setState('open');
      watch(ws);
    });
    ws.on('message', (data, isBinary) => {
      if (ws === socket) safely('frame', () => onFrame(data, isBinary));
    });
    ws.on('pong', () => {
      if (ws === socket) alive();
    });
    ws.on('error', (err) => {
      if (ws === socket) endReason ??= err.message;
    });
    ws.on('close', (code) => {
      if (ws !== socket || closed) return;
      socket = undefined;
      status.failures++;
      status.lastError = endReason ?? `closed (${code})`;
      const wait = backoffMs(status.failures, policy, options.random);
      log.warn('bluesky.jetstream.closed', { code, reason: status.lastError, retryInMs: wait });
      setState('waiting');
      schedule(connect, wait);
    });
  }

  connect();
  return {
    status: () => ({ ...status }),
    close() {
      closed = true;
      clock.clearTimeout(timer);
      socket?.terminate();
      socket = undefined;
      setState('closed');
    },
  };
}

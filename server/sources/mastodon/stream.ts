/**
 * Mastodon's streaming API over one WebSocket (`/api/v1/streaming`), multiplexing hashtag streams
 * and the token's user stream. It reconnects with backoff and jitter, detects a connection that
 * went silent without closing, and never throws into the process: bad frames are skipped.
 *
 * Only the WebSocket form is spoken. Mastodon serves it beside Server-Sent Events since 3.3 (2020)
 * from the same streaming server, and GoToSocial and Akkoma serve only WebSocket, so the SSE form
 * would reach no instance this does not. Since 4.2 Mastodon streams only to a user token.
 */
import WebSocket from 'ws';
import type { Clock } from '../../clock.js';
import { repeat } from '../../clock.js';
import type { Logger } from '../../log.js';
import { backoffMs, type BackoffPolicy } from '../../pacing/backoff.js';
import type { Random } from '../../pacing/jitter.js';
import { redactor } from '../../redact.js';
import type { MastodonStatus } from './api-types.js';
import { webSocketOrigin } from './instance.js';

export interface MastodonStreamOptions {
  /** The streaming origin: the instance's `streamingUrl` (`wss://…`), or its own address. */
  streamingUrl: string;
  /** A user token of this instance: Mastodon 4.2+ streams to logged-in users only. */
  accessToken?: string;
  /** Hashtags to follow, without "#". */
  hashtags: readonly string[];
  /** Also follow the token's user stream: its home timeline, i.e. the accounts it follows. Needs a token. */
  user?: boolean;
  clock: Clock;
  log: Logger;
  /** Each update, edit or deletion. */
  onEvent(event: MastodonStreamEvent): void;
  /** Each opening and closing; an `open` after a `closed` follows a gap that polling should fill. */
  onState?(state: MastodonStreamState): void;
  /** Waits between reconnections (default 2 s doubling up to 5 min, with jitter). */
  backoff?: BackoffPolicy;
  /** Randomness for jitter, in [0, 1). */
  random?: Random;
  /** How often we ping the server (default 30 s, as Mastodon pings us). */
  pingMs?: number;
  /** Nothing heard (no frame, ping or pong) for this long: the connection is dead (default 75 s). */
  silenceMs?: number;
  /** Longest wait for the connection to open (default 15 s). */
  connectTimeoutMs?: number;
  /** Largest frame accepted (default 4 MiB). */
  maxFrameBytes?: number;
}

export type MastodonStreamEvent =
  /** A new status (`update`) or a new version of one (`status.update`). */
  | { event: 'update' | 'status.update'; stream: string[]; status: MastodonStatus }
  /** A status was deleted: its id on this instance. */
  | { event: 'delete'; stream: string[]; id: string };

/** Why the connection closed. */
export type MastodonStreamCloseReason =
  /** The connection failed or was closed by the server or the network. */
  | 'dropped'
  /** Nothing was heard for `silenceMs`: the connection was cut and is reopened. */
  | 'silent'
  /** No token, and the instance streams to logged-in users only. */
  | 'login-required'
  /** The token was refused. */
  | 'auth';

export type MastodonStreamState =
  { state: 'open' } | { state: 'closed'; reason: MastodonStreamCloseReason; message: string; retryInMs: number };

export interface MastodonStream {
  readonly isOpen: boolean;
  /** Counters for /api/health. */
  health(): { open: boolean; connections: number; badFrames: number; lastClose?: string };
  /** Closes for good. */
  close(): void;
}

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 5 * 60_000 };
/** Failures counted for a refused login: the longest wait at once. */
const REFUSED = 30;

/** A frame as `readFrame` reads it: an event, an error the server sent, another event we ignore, or garbage. */
export type MastodonStreamFrame =
  | { kind: 'event'; event: MastodonStreamEvent }
  | { kind: 'error'; status: number; message: string }
  | { kind: 'other' }
  | { kind: 'bad' };

/** One text frame of the streaming API, read without trusting it. */
export function readFrame(text: string): MastodonStreamFrame {
  let frame: { event?: unknown; stream?: unknown; payload?: unknown; error?: unknown; status?: unknown };
  try {
    frame = JSON.parse(text) as typeof frame;
  } catch {
    return { kind: 'bad' };
  }
  if (typeof frame !== 'object' || frame === null) return { kind: 'bad' };
  if (frame.error !== undefined) {
    return { kind: 'error', status: Number(frame.status) || 0, message: String(frame.error).slice(0, 200) };
  }
  const stream = Array.isArray(frame.stream) ? frame.stream.map(String) : [];
  if (frame.event === 'delete') {
    const id = frame.payload;
    return (typeof id === 'string' && id !== '') || typeof id === 'number'
      ? { kind: 'event', event: { event: 'delete', stream, id: String(id) } }
      : { kind: 'bad' };
  }
  if (frame.event !== 'update' && frame.event !== 'status.update') return { kind: 'other' };
  let status: unknown = frame.payload;
  if (typeof status === 'string') {
    try {
      status = JSON.parse(status);
    } catch {
      return { kind: 'bad' };
    }
  }
  const s = status as MastodonStatus | null;
  if (typeof s !== 'object' || s === null || typeof s.id !== 'string') return { kind: 'bad' };
  return { kind: 'event', event: { event: frame.event, stream, status: s } };
}

export function openMastodonStream(options: MastodonStreamOptions): MastodonStream {
  const { clock } = options;
  const origin = webSocketOrigin(options.streamingUrl);
  if (!origin) throw new Error(`streamingUrl: not an http(s) or ws(s) address: ${options.streamingUrl}`);
  const url = `${origin}/api/v1/streaming`;
  const token = options.accessToken || undefined;
  const redact = redactor([token]);
  const log = options.log.redacting(redact);
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const pingMs = options.pingMs ?? 30_000;
  const silenceMs = options.silenceMs ?? 75_000;
  let socket: WebSocket | undefined;
  let heartbeat: { stop(): void } | undefined;
  let watchdog: unknown;
  let retry: unknown;
  let stopped = false;
  let open = false;
  let failures = 0;
  let lastHeard = 0;
  let connections = 0;
  let badFrames = 0;
  let lastClose: string | undefined;
  /** Set before closing a socket on purpose, or when the server refused it: how to report the close. */
  let closing: { reason: MastodonStreamCloseReason; message: string } | undefined;

  const report = (state: MastodonStreamState) => {
    try {
      options.onState?.(state);
    } catch (err) {
      log.error('mastodon stream state handler failed', { error: err });
    }
  };

  const subscriptions = (): string[] => {
    const frames = options.hashtags.map((tag) =>
      JSON.stringify({ type: 'subscribe', stream: 'hashtag', tag: tag.replace(/^#/, '') }),
    );
    if (options.user && token) frames.push(JSON.stringify({ type: 'subscribe', stream: 'user' }));
    return frames;
  };

  /** A 401 or 403: without a token, one is needed; with one, it was refused. */
  function refuse(message: string) {
    closing = token
      ? { reason: 'auth', message: `${origin} refused the access token (${message})` }
      : { reason: 'login-required', message: `${origin} streams to logged-in users only: set an access token` };
  }

  function onMessage(data: WebSocket.RawData, isBinary: boolean) {
    lastHeard = clock.now();
    const frame = isBinary ? ({ kind: 'bad' } as const) : readFrame(data.toString());
    if (frame.kind === 'bad') {
      if (badFrames++ === 0) log.warn('mastodon stream skipped a frame it cannot read', { url });
    } else if (frame.kind === 'error') {
      if (frame.status === 401 || frame.status === 403) {
        refuse(`${frame.status}: ${frame.message}`);
        socket?.terminate();
      } else log.warn('mastodon stream refused a subscription', { url, status: frame.status, error: frame.message });
    } else if (frame.kind === 'event') {
      try {
        options.onEvent(frame.event);
      } catch (err) {
        log.error('mastodon stream event handler failed', { error: err });
      }
    }
  }

  function onClose() {
    heartbeat?.stop();
    heartbeat = undefined;
    clock.clearTimeout(watchdog);
    socket = undefined;
    const wasOpen = open;
    open = false;
    if (stopped) return;
    const why = closing ?? { reason: 'dropped' as const, message: wasOpen ? 'connection closed' : 'could not connect' };
    closing = undefined;
    failures = why.reason === 'login-required' || why.reason === 'auth' ? REFUSED : failures + 1;
    const retryInMs = backoffMs(failures, policy, options.random);
    lastClose = redact(why.message);
    log.warn('mastodon stream closed', { url, reason: why.reason, error: lastClose, retryInMs });
    report({ state: 'closed', reason: why.reason, message: lastClose, retryInMs });
    retry = clock.setTimeout(connect, retryInMs);
  }

  /** Every `pingMs` while open: ping, and count the connection as stable. */
  function ping() {
    // Open through a whole ping interval: the next failure waits the shortest.
    failures = 0;
    socket?.ping();
  }

  /** Fires `silenceMs` after the last thing heard: cuts a connection that went quiet, else looks again later. */
  function watch() {
    if (!socket || !open) return;
    const quiet = clock.now() - lastHeard;
    if (quiet < silenceMs) {
      watchdog = clock.setTimeout(watch, silenceMs - quiet);
      return;
    }
    closing = { reason: 'silent', message: `nothing heard for ${Math.round(silenceMs / 1000)} s` };
    socket.terminate();
  }

  function connect() {
    if (stopped) return;
    const headers: Record<string, string> = { 'user-agent': 'commune-feed' };
    if (token) headers.authorization = `Bearer ${token}`;
    const ws = new WebSocket(url, {
      headers,
      handshakeTimeout: options.connectTimeoutMs ?? 15_000,
      maxPayload: options.maxFrameBytes ?? 4 * 1024 * 1024,
      followRedirects: false,
    });
    socket = ws;
    connections++;
    ws.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      if (status === 401 || status === 403) refuse(`HTTP ${status}`);
      else closing = { reason: 'dropped', message: `HTTP ${status}` };
      ws.terminate();
    });
    ws.on('open', () => {
      open = true;
      lastHeard = clock.now();
      for (const frame of subscriptions()) ws.send(frame);
      heartbeat = repeat(clock, pingMs, ping);
      watchdog = clock.setTimeout(watch, silenceMs);
      log.info('mastodon stream open', {
        url,
        hashtags: options.hashtags.length,
        user: Boolean(options.user && token),
      });
      report({ state: 'open' });
    });
    ws.on('message', onMessage);
    ws.on('ping', () => (lastHeard = clock.now()));
    ws.on('pong', () => (lastHeard = clock.now()));
    ws.on('error', (err) => {
      if (!closing) closing = { reason: 'dropped', message: err.message };
    });
    ws.on('close', onClose);
  }

  if (options.user && !token) log.warn('mastodon user stream needs an access token: not followed', { url });
  connect();

  return {
    get isOpen() {
      return open;
    },
    health: () => ({ open, connections, badFrames, ...(lastClose ? { lastClose } : {}) }),
    close() {
      stopped = true;
      clock.clearTimeout(retry);
      clock.clearTimeout(watchdog);
      heartbeat?.stop();
      socket?.terminate();
    },
  };
}

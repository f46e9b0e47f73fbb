/**
 * The Node HTTP server and its guards against clients that hold sockets: a
 * bound on the time to receive a whole request, a cap on open connections,
 * and a JSON answer (never a crash, one short log line) for the requests
 * Node's parser refuses before any route sees them.
 */
import { createServer, STATUS_CODES, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiError } from '../contract.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { ERROR_HEADERS } from './headers.js';

export interface HttpLimits {
  /** Milliseconds to receive a whole request, headers and body. */
  requestTimeoutMs: number;
  /** Milliseconds to receive a request's headers (a new connection's too). */
  headersTimeoutMs: number;
  /** Milliseconds between two checks of these two bounds. */
  checkIntervalMs: number;
  /** Milliseconds an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Open connections allowed at once; more are closed as soon as they arrive. */
  maxConnections: number;
}

/**
 * Time to receive a whole request. Node counts it only while the request is
 * being received: a live stream, whose GET has no body, stays open for hours
 * once accepted. No route takes a body larger than a few bytes.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Time to receive the headers, or the first request of a new connection: a few hundred bytes. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** How often Node checks the two bounds above: a late check lets a slow client hold its socket longer. */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/** Longer than the 60 s reverse proxies and load balancers keep an idle upstream connection. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** The bounds of a real server; tests shorten them, `maxConnections` comes from the config. */
export const DEFAULT_TIMEOUTS: Omit<HttpLimits, 'maxConnections'> = {
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  headersTimeoutMs: HEADERS_TIMEOUT_MS,
  checkIntervalMs: TIMEOUT_CHECK_INTERVAL_MS,
  keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
};
/** At most one log line per this many milliseconds while connections are refused. */
const DROP_LOG_INTERVAL_MS = 60_000;

/** Socket errors that only mean the client went away: nothing to answer, nothing to log. */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);

/** The answer to an error Node's parser or timers raised before any route saw the request. */
export function clientErrorStatus(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'request headers too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'request not received in time' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, message: 'chunk extensions too large' };
    default:
      return { status: 400, message: 'malformed request' };
  }
}

/** A whole HTTP/1.1 answer with a JSON error body, written to the socket, closing the connection. */
export function rawJsonError(status: number, message: string): Buffer {
  const body: ApiError = { error: { status, message } };
  const json = JSON.stringify(body);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(json)),
    ...ERROR_HEADERS,
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head.join('')}\r\n${json}`);
}

/** Whether an answer has started on this socket (Node's own fallback checks the same). */
function answerStarted(socket: Socket): boolean {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  return Boolean(inFlight?.headersSent);
}

/** Node's server options for these timeouts (the benchmarks' baselines use them too). */
export function timeoutOptions(limits: Omit<HttpLimits, 'maxConnections'>): ServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

export function createHttpServer(
  listener: RequestListener,
  { limits, log, clock }: { limits: HttpLimits; log: Logger; clock: Clock },
): Server {
  const server = createServer(timeoutOptions(limits), listener);
  server.maxConnections = limits.maxConnections;

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code !== undefined && CLIENT_GONE.has(err.code)) {
      socket.destroy();
      return;
    }
    const { status, message } = clientErrorStatus(err.code);
    log.info('http.client_error', { status, code: err.code, address: socket.remoteAddress });
    if (!socket.writable || answerStarted(socket)) {
      socket.destroy();
      return;
    }
    // Closed once written: what the client still sends is not read.
    socket.end(rawJsonError(status, message), () => socket.destroy());
  });

  let dropped = 0;
  let loggedAt = -Infinity;
  server.on('drop', () => {
    dropped++;
    if (clock.now() - loggedAt < DROP_LOG_INTERVAL_MS) return;
    log.warn('http.connections_full', { maxConnections: limits.maxConnections, refused: dropped });
    loggedAt = clock.now();
    dropped = 0;
  });
  return server;
}

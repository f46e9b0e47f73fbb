/**
 * The Redis connection of an instance (the `redis` client), and the keys the instances share.
 * Every key lives under one prefix, so that one Redis can serve one cluster and nothing is
 * mistaken for someone else's. The client reconnects by itself (backoff with jitter); a command
 * sent while Redis is away fails at once instead of queueing, so that no caller waits blind.
 */
import { createClient } from 'redis';
import { backoffMs } from '../pacing/backoff.js';
import type { Logger } from '../log.js';

/** Reconnection delays: 100 ms doubling to 2 s, with jitter. */
const RECONNECT = { baseMs: 100, capMs: 2_000 };

function makeClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries: number) => backoffMs(retries + 1, RECONNECT), connectTimeout: 5_000 },
  });
}

export type Redis = ReturnType<typeof makeClient>;

export const KEYS = {
  /** The lease of the instance that polls and writes (value: its token). */
  lease: 'cf:lease',
  /** The change log: one entry per committed batch of writes (a stream, capped). */
  log: 'cf:log',
  /** The id of the newest log entry (each entry names the one before it: a gap is detected). */
  logLast: 'cf:log:last',
  /** The id of the last batch committed, so that a batch sent twice is written once. */
  lastBatch: 'cf:log:batch',
  /** Set once the first instance has copied its store: the others start from it. */
  init: 'cf:init',
  /** Rows of the shared tables, one hash per table (field: the row's key, value: the row). */
  rowsPrefix: 'cf:rows:',
  /** Organisers' requests received by an instance that does not write, for the one that does. */
  requests: 'cf:requests',
  /** Answers to those requests, one channel per instance. */
  replies: (instance: string) => `cf:replies:${instance}`,
} as const;

/** Entries kept in the change log (about; Redis trims by whole nodes). */
export const LOG_MAX_ENTRIES = 100_000;

/**
 * Opens a connection. `name` tells the connections of one instance apart in logs; errors are
 * logged once per outage, not once per retry.
 */
export async function connectRedis(url: string, log: Logger, name: string): Promise<Redis> {
  let down = false;
  const client = makeClient(url);
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn('redis.down', { connection: name, error: err.message });
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info('redis.back', { connection: name });
  });
  await client.connect();
  return client;
}

/** Compares two stream ids ("ms-seq"): negative, zero or positive. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am !== bm ? am - bm : (as ?? 0) - (bs ?? 0);
}

/**
 * The Redis connections of an instance (`connection.ts`), and the keys the instances share.
 * Every key lives under one prefix, so that one Redis can serve one cluster and nothing is
 * mistaken for someone else's. A connection reconnects by itself (backoff with jitter); a command
 * sent while Redis is away, or left unanswered past its deadline, fails instead of waiting blind.
 */
import type { Logger } from '../log.js';
import { RedisConnection } from './connection.js';

export type Redis = RedisConnection;

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
  return RedisConnection.open(url, log, name);
}

/** Compares two stream ids ("ms-seq"): negative, zero or positive. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am !== bm ? am - bm : (as ?? 0) - (bs ?? 0);
}

/**
 * The change log in Redis: the shared truth of the cluster. Each batch the leader commits is, in
 * one Lua script (atomic): refused unless the leader still holds the lease (its token), ignored
 * when already committed (same batch id, a retry), written to the shared tables (one hash per
 * table) and appended to a capped stream that every instance reads. Each entry names the entry
 * before it, so that a reader that missed entries (trimmed while it was away) knows it.
 */
import { compareIds, KEYS, LOG_MAX_ENTRIES, type Redis } from './redis.js';
import type { RowChange } from './outbox.js';

/** What the leader relays to delivery besides rows: one call of a delivery method, in order. */
export type RelayedEvent =
  | { m: 'apply'; f: string; c: unknown[] }
  | { m: 'status'; f: string; s: unknown }
  | { m: 'queue'; f: string; q: unknown[] }
  | { m: 'audit'; f: string; a: unknown };

/** One committed batch: who wrote it, its rows and its events. */
export interface Batch {
  /** The instance that wrote it. */
  o: string;
  r: RowChange[];
  e: RelayedEvent[];
}

export interface LogEntry {
  id: string;
  prev: string;
  batch: Batch;
}

/** Raised when the lease changed hands: the batch was not written and never will be. */
export class FencedError extends Error {
  constructor() {
    super('the lease is held by another instance: this write was refused');
    this.name = 'FencedError';
  }
}

const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('FENCED') end
if redis.call('GET', KEYS[2]) == ARGV[2] then return redis.call('GET', KEYS[4]) end
local prefix = ARGV[4]
for i = 6, #ARGV, 3 do
  if ARGV[i + 2] == '' then redis.call('HDEL', prefix .. ARGV[i], ARGV[i + 1])
  else redis.call('HSET', prefix .. ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
end
local prev = redis.call('GET', KEYS[4]) or '0-0'
local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'b', ARGV[3], 'p', prev)
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[4], id)
if #KEYS > 4 then redis.call('SET', KEYS[5], id) end
return id`;

/** Commits a batch; resolves with its log id. `init` marks the first copy of a store. */
export async function commitBatch(
  redis: Redis,
  token: string,
  batchId: string,
  batch: Batch,
  init = false,
): Promise<string> {
  const keys = [KEYS.lease, KEYS.lastBatch, KEYS.log, KEYS.logLast, ...(init ? [KEYS.init] : [])];
  // The rows travel as arguments (for the hashes) and once more in the entry, for the readers.
  const args = [token, batchId, JSON.stringify(batch), KEYS.rowsPrefix, String(LOG_MAX_ENTRIES)];
  for (const row of batch.r) args.push(row.t, row.k, row.r === null ? '' : JSON.stringify(row.r));
  try {
    return (await redis.sendCommand(['EVAL', COMMIT, String(keys.length), ...keys, ...args])) as string;
  } catch (err) {
    if (err instanceof Error && err.message.includes('FENCED')) throw new FencedError();
    throw err;
  }
}

/**
 * The shared tables and the log id they stand at; undefined before the first copy. The tables'
 * keys are found with SCAN (KEYS would block a Redis shared with other data, and managed Redis
 * services often refuse it), then read in one transaction with the log id; a table that appeared
 * meanwhile shows in a second SCAN, and the read starts again. A table emptied (deleted) after the
 * transaction is no matter: its deletion is in the log after the id read.
 */
export async function readShared(redis: Redis): Promise<{ rows: RowChange[]; at: string } | undefined> {
  for (;;) {
    const tables = await scanKeys(redis, `${KEYS.rowsPrefix}*`);
    const multi = redis.multi();
    multi.addCommand(['GET', KEYS.init]);
    multi.addCommand(['GET', KEYS.logLast]);
    for (const key of tables) multi.addCommand(['HGETALL', key]);
    const [init, last, ...hashes] = (await multi.exec()) as unknown[];
    if (init === null || init === undefined) return undefined;
    const again = await scanKeys(redis, `${KEYS.rowsPrefix}*`);
    if (again.some((key) => !tables.includes(key))) continue;
    const rows: RowChange[] = [];
    tables.forEach((key, i) => {
      const t = key.slice(KEYS.rowsPrefix.length);
      for (const [k, r] of entriesOf(hashes[i])) rows.push({ t, k, r: JSON.parse(r) as Record<string, unknown> });
    });
    return { rows, at: (last as string | null) ?? '0-0' };
  }
}

/** Every key matching `pattern`, with SCAN (which may give a key twice). */
async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const reply = (await redis.sendCommand(['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000'])) as [string, string[]];
    cursor = String(reply[0]);
    for (const key of reply[1]) keys.add(String(key));
  } while (cursor !== '0');
  return [...keys];
}

/** HGETALL's answer (RESP2 flat list or RESP3 map) as pairs. */
function entriesOf(reply: unknown): [string, string][] {
  if (Array.isArray(reply)) {
    const out: [string, string][] = [];
    for (let i = 0; i < reply.length; i += 2) out.push([String(reply[i]), String(reply[i + 1])]);
    return out;
  }
  if (reply instanceof Map) return [...reply.entries()].map(([k, v]) => [String(k), String(v)]);
  return Object.entries(reply as Record<string, string>);
}

/** Entries after `after`, waiting up to `blockMs` for the first one; `[]` when none came. */
export async function readAfter(redis: Redis, after: string, blockMs: number, count = 500): Promise<LogEntry[]> {
  const reply = (await redis.sendCommand([
    'XREAD',
    'COUNT',
    String(count),
    'BLOCK',
    String(blockMs),
    'STREAMS',
    KEYS.log,
    after,
  ])) as unknown;
  if (!reply) return [];
  const streams =
    reply instanceof Map
      ? [...reply.values()]
      : Array.isArray(reply)
        ? (reply as [string, unknown][]).map((s) => s[1])
        : Object.values(reply as Record<string, unknown>);
  const entries = (streams[0] ?? []) as [string, string[]][];
  return entries.map(([id, fields]) => {
    const f = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
    return { id, prev: f.get('p') ?? '0-0', batch: JSON.parse(f.get('b')!) as Batch };
  });
}

export { compareIds };

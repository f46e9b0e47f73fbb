/** Several instances coordinated through Redis (see `server/cluster/`): `REDIS_URL` and `REDIS_LEASE_MS`. */
import type { Config } from '../config.js';
import { ConfigError } from './config-error.js';
import { intFromEnv } from './env-values.js';

/** A redis:// or rediss:// URL and the lease's length, or nothing (one process). */
export function redisFromEnv(env: NodeJS.ProcessEnv): Config['redis'] {
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL', `must be an absolute URL like redis://redis:6379, got "${raw}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  return { url: raw, leaseMs: intFromEnv(env, 'REDIS_LEASE_MS', 5_000, 500, 60_000) };
}

/** Where the posts are kept and for how long: the data folder, the retention, the snapshot's size. */
import path from 'node:path';
import type { Config } from '../config.js';
import { INTERVAL_LIMITS } from '../feeds/settings.js';
import type { ConfigErrors } from './config-error.js';
import { intFromEnv } from './env-values.js';

/** The data folder (`DATA_DIR`, default `./data`), for the server and the admin CLI alike. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.DATA_DIR || './data');
}

/** `DATA_DIR`, `RETENTION_DAYS`, `SNAPSHOT_SIZE`. */
export function storageFromEnv(
  env: NodeJS.ProcessEnv,
  errors: ConfigErrors,
): Pick<Config, 'dataDir' | 'retentionDays' | 'snapshotSize'> {
  const { min, max } = INTERVAL_LIMITS.retentionDays;
  return {
    dataDir: dataDirFromEnv(env),
    retentionDays: errors.read(30, () => intFromEnv(env, 'RETENTION_DAYS', 30, min, max)),
    snapshotSize: errors.read(100, () => intFromEnv(env, 'SNAPSHOT_SIZE', 100, 1, 1000)),
  };
}

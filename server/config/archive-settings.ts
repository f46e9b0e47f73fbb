/** The archived feeds' pages: how long their posts are kept, how many they show, in which time zone. */
import type { Config } from '../config.js';
import { INTERVAL_LIMITS } from '../feeds/settings.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../html/words.js';
import { ConfigError, type ConfigErrors } from './config-error.js';
import { intFromEnv } from './env-values.js';

/** `ARCHIVE_RETENTION_DAYS` (at least `retentionDays`), `ARCHIVE_SIZE`, `TIME_ZONE`. */
export function archiveFromEnv(
  env: NodeJS.ProcessEnv,
  retentionDays: number,
  errors: ConfigErrors,
): Pick<Config, 'archiveRetentionDays' | 'archiveSize' | 'timeZone'> {
  const { min, max } = INTERVAL_LIMITS.retentionDays;
  const fallback = Math.max(365, retentionDays);
  const archiveRetentionDays = errors.read(fallback, () =>
    intFromEnv(env, 'ARCHIVE_RETENTION_DAYS', fallback, min, max),
  );
  if (archiveRetentionDays < retentionDays) {
    errors.add(
      new ConfigError(
        'ARCHIVE_RETENTION_DAYS',
        `must be at least RETENTION_DAYS (${retentionDays}): an archive keeps its posts longer than a live feed, never shorter`,
      ),
    );
  }
  const archiveSize = errors.read(200, () => intFromEnv(env, 'ARCHIVE_SIZE', 200, 1, 5000));
  const timeZone = env.TIME_ZONE || DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) {
    errors.add(
      new ConfigError(
        'TIME_ZONE',
        `must be an IANA time zone like "Europe/Paris" or "America/Cayenne", got "${timeZone}"`,
      ),
    );
  }
  return { archiveRetentionDays, archiveSize, timeZone };
}

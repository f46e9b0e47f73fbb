/**
 * Configuration: environment variables plus an optional JSON file
 * (`--config path` or `COMMUNE_FEED_CONFIG`). Every error names the key and the reason. Each group
 * of settings has its reader in `config/`; this module puts them together.
 */
import type { LogFormat } from './log.js';
import { INTERVAL_LIMITS } from './feeds/settings.js';
import type { BlueskyAccount } from './sources/bluesky/credentials.js';
import { archiveFromEnv } from './config/archive-settings.js';
import { ConfigError, ConfigErrors } from './config/config-error.js';
import { configFileFrom, defaultFeeds, type ConfigFile, type FeedConfig } from './config/config-file.js';
import { httpFromEnv } from './config/http-settings.js';
import { logFormatFromEnv } from './config/log-settings.js';
import { blueskyFromEnv, mastodonFromEnv } from './config/network-settings.js';
import { redisFromEnv } from './config/redis-settings.js';
import { storageFromEnv } from './config/storage-settings.js';
import { checkXToken, xFromEnv } from './config/x-settings.js';

export { INTERVAL_LIMITS, ConfigError };
export {
  configFileSchema,
  configPathFromArgs,
  defaultFeeds,
  feedSchema,
  parseConfigFile,
  type FeedConfig,
} from './config/config-file.js';
export { MIN_TOKEN_LENGTH } from './config/env-values.js';
export { DEFAULT_MAX_VIEWERS_PER_ADDRESS } from './config/http-settings.js';
export { dataDirFromEnv } from './config/storage-settings.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /**
   * Several instances coordinated through Redis (`REDIS_URL`): the lease of the one instance that
   * polls and writes lasts `leaseMs` (`REDIS_LEASE_MS`). Without it, one process and nothing else.
   */
  redis?: { url: string; leaseMs: number };
  /**
   * The absolute URL visitors reach this server at, when set. Without it the
   * demo's links and images are relative to the server, which the widget
   * resolves against its `src`.
   */
  publicUrl?: string;
  feeds: FeedConfig[];
  x: ConfigFile['x'] & {
    bearerToken?: string;
    baseUrl?: string;
  };
  /** Mastodon: access tokens by instance host (`MASTODON_TOKENS`), for instances that ask for a login. */
  mastodon?: { tokens: Readonly<Record<string, string>> };
  /**
   * Bluesky: the town's account for hashtag search (`BLUESKY_HANDLE`, `BLUESKY_APP_PASSWORD`,
   * `BLUESKY_PDS_URL`), and other addresses for the AppView and Jetstream (a local fake in tests).
   */
  bluesky?: { account?: BlueskyAccount; appViewUrl?: string; jetstreamUrl?: string };
  /** Viewers of live streams allowed at once on this process. */
  maxViewers: number;
  /** Viewers of live streams allowed at once from one address (an IPv6 /64 counts as one address). */
  maxViewersPerAddress: number;
  /** Open connections allowed at once on this process (live streams included); more are closed at once. */
  maxConnections: number;
  /** Reverse proxies in front of this server whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed; 0 ignores them. */
  trustProxy: number;
  /** Posts older than this many days are deleted. */
  retentionDays: number;
  /** Posts kept in a feed's snapshot. */
  snapshotSize: number;
  /** How log lines are written: `text` (`key=value`) or `json` (one object a line). */
  logFormat: LogFormat;
  /** Days an archive's posts are kept (at least `retentionDays`). */
  archiveRetentionDays: number;
  /** Posts shown on an archive page (and re-checked on their network while it lasts). */
  archiveSize: number;
  /** IANA time zone of the dates on the pages the server renders (the archive). */
  timeZone: string;
  /** Where the config came from, for the start-up log. */
  configFile?: string;
}

/** The configuration, or every error found in it (environment and file), each naming its key. */
export type ConfigCheck = { ok: true; config: Config } | { ok: false; errors: ConfigError[] };

/**
 * Reads and checks the whole configuration, going on past an error so that an operator
 * sees every wrong key at once (`commune-feed check-config`).
 */
export function checkConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): ConfigCheck {
  const errors = new ConfigErrors();
  const http = httpFromEnv(env, errors);
  const x = xFromEnv(env, errors);
  const logFormat = errors.read<LogFormat>('text', () => logFormatFromEnv(env));
  const { configFile, file } = configFileFrom(env, argv, errors);
  const feeds = file?.feeds ?? defaultFeeds(Boolean(x.bearerToken));
  checkXToken(feeds, x.bearerToken, errors);
  const storage = storageFromEnv(env, errors);
  const config: Config = {
    ...http,
    ...storage,
    feeds,
    x: { ...file?.x, ...x },
    mastodon: errors.read({ tokens: {} }, () => mastodonFromEnv(env)),
    bluesky: errors.read({}, () => blueskyFromEnv(env)),
    logFormat,
    ...archiveFromEnv(env, storage.retentionDays, errors),
    redis: errors.read(undefined, () => redisFromEnv(env)),
    configFile,
  };
  return errors.list.length > 0 ? { ok: false, errors: errors.list } : { ok: true, config };
}

/** The configuration; throws the first ConfigError (naming the key and the reason). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const checked = checkConfig(env, argv);
  if (!checked.ok) throw checked.errors[0]!;
  return checked.config;
}

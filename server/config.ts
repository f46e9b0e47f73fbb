/**
 * Configuration: environment variables plus an optional JSON file
 * (`--config path` or `COMMUNE_FEED_CONFIG`). Every error names the key and the reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fieldPath } from './field-path.js';
import { LOG_FORMATS, type LogFormat } from './log.js';
import { feedSettingsSchema, INTERVAL_LIMITS, interval, type FeedSettings } from './feeds/settings.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from './html/words.js';
import { blueskyAccountFromEnv, type BlueskyAccount } from './sources/bluesky/credentials.js';
import { mastodonTokensFromEnv } from './sources/mastodon/tokens.js';

export { INTERVAL_LIMITS };

/** Every feed of the file: the one schema of feed settings (see `feeds/settings.ts`). */
export const feedSchema = feedSettingsSchema;

/** A feed as the file declares it, in the canonical form of its settings. */
export type FeedConfig = FeedSettings;

/** The config file's schema (the configuration reference, `docs/configuration.md`, lists every key). */
export const configFileSchema = z
  .object({
    feeds: z
      .array(feedSchema)
      .min(1, 'must declare at least one feed')
      .superRefine((feeds, ctx) => {
        const seen = new Set<string>();
        feeds.forEach((f, i) => {
          if (seen.has(f.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${f.id}" is declared twice` });
          seen.add(f.id);
        });
      }),
    x: z
      .object({
        /** Post reads allowed per calendar month (UTC), across all feeds. */
        monthlyPostBudget: z.number().int().min(0).optional(),
        /** Hours between two compliance re-checks of the displayed posts. */
        recheckHours: interval(INTERVAL_LIMITS.recheckHours, 'hours', false).optional(),
        /** Pages read at most per poll when catching up. */
        maxPagesPerPoll: z.number().int().min(1).max(50).optional(),
        /** Poll interval inside an event window, and outside one, in seconds. */
        fastPollSeconds: interval(INTERVAL_LIMITS.fastPollSeconds, 'seconds').optional(),
        slowPollSeconds: interval(INTERVAL_LIMITS.slowPollSeconds, 'seconds').optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

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
  x: z.output<typeof configFileSchema>['x'] & {
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

/**
 * Live viewers allowed from one address by default: a hall's Wi-Fi or a
 * mobile carrier's NAT puts hundreds of phones behind one public address, and
 * they must all get the live wall; one client holding more is abuse.
 */
export const DEFAULT_MAX_VIEWERS_PER_ADDRESS = 1000;

/** The most reverse proxies `TRUST_PROXY` may declare; real set-ups have one or two. */
const MAX_TRUSTED_PROXIES = 10;

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`configuration error: ${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}

function intFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  // Plain decimal digits only: Number() would also read "0x50" as 80, "1e3" as 1000 and " 8" as 8.
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(key, `must be a whole number from ${min} to ${max} in decimal digits, got "${raw}"`);
  }
  return n;
}

/**
 * Shortest bearer token accepted. X's are over 100 characters: a short one is a mistake, and
 * hiding it in every message (redaction) would mangle them.
 */
export const MIN_TOKEN_LENGTH = 20;

/** A bearer token from the environment; surrounding spaces and line breaks are dropped. Never echoed. */
function tokenFromEnv(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const raw = env[key]?.trim();
  if (!raw) return undefined;
  if (/\s/.test(raw)) throw new ConfigError(key, 'must not contain spaces or line breaks (a copy-paste mistake?)');
  if (raw.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      key,
      `is too short for a bearer token: ${raw.length} characters, at least ${MIN_TOKEN_LENGTH} expected (X's are over 100)`,
    );
  }
  return raw;
}

function urlFromEnv(env: NodeJS.ProcessEnv, key: string, protocols = ['http:', 'https:']): string | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(key, `must be an absolute URL, got "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(key, `must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`);
  }
  return raw.replace(/\/+$/, '');
}

/** `REDIS_URL` (several instances, see `server/cluster/`): a redis:// or rediss:// URL, or nothing. */
function redisFromEnv(env: NodeJS.ProcessEnv): Config['redis'] {
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

/** Bluesky's settings from the environment (all optional: its public AppView needs no login). */
function blueskyFromEnv(env: NodeJS.ProcessEnv): NonNullable<Config['bluesky']> {
  const account = blueskyAccountFromEnv(env);
  const appViewUrl = urlFromEnv(env, 'BLUESKY_APPVIEW_URL');
  const jetstreamUrl = urlFromEnv(env, 'BLUESKY_JETSTREAM_URL', ['wss:', 'ws:']);
  return {
    ...(account ? { account } : {}),
    ...(appViewUrl ? { appViewUrl } : {}),
    ...(jetstreamUrl ? { jetstreamUrl } : {}),
  };
}

/** The feed served when no config file is given. */
export function defaultFeeds(withX: boolean): FeedConfig[] {
  return [
    feedSchema.parse({
      id: 'saint-etienne',
      title: 'Fête du livre de Saint-Étienne',
      sources: [{ network: withX ? 'x' : 'demo', accounts: ['saint_etienne_'] }],
      hashtags: ['FeteDuLivre'],
    }),
  ];
}

type ConfigFile = z.output<typeof configFileSchema>;

/** Reads the JSON text of a config file: its content, or every error, each naming its key. */
function readConfigFile(text: string, file: string): { file?: ConfigFile; errors: ConfigError[] } {
  let json: unknown;
  try {
    // Windows editors save UTF-8 with a byte-order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { errors: [new ConfigError(file, `is not valid JSON (${(err as Error).message})`)] };
  }
  const result = configFileSchema.safeParse(json);
  if (result.success) return { file: result.data, errors: [] };
  return { errors: result.error.issues.map((issue) => new ConfigError(fieldPath(issue.path, file), issue.message)) };
}

/** Parses the JSON text of a config file; throws ConfigError naming the key. */
export function parseConfigFile(text: string, file = 'config'): ConfigFile {
  const { file: parsed, errors } = readConfigFile(text, file);
  if (errors[0]) throw errors[0];
  return parsed!;
}

/** Finds `--config path` in argv. */
export function configPathFromArgs(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i === -1) return undefined;
  const arg = argv[i]!;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  if (!value) throw new ConfigError('--config', 'needs a file path');
  return value;
}

/** The data folder (`DATA_DIR`, default `./data`), for the server and the admin CLI alike. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.DATA_DIR || './data');
}

function logFormatFromEnv(env: NodeJS.ProcessEnv): LogFormat {
  const raw = env.LOG_FORMAT;
  if (raw === undefined || raw === '') return 'text';
  if (!(LOG_FORMATS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_FORMAT', `must be ${LOG_FORMATS.map((f) => `"${f}"`).join(' or ')}, got "${raw}"`);
  }
  return raw as LogFormat;
}

/** The configuration, or every error found in it (environment and file), each naming its key. */
export type ConfigCheck = { ok: true; config: Config } | { ok: false; errors: ConfigError[] };

/**
 * Reads and checks the whole configuration, going on past an error so that an operator
 * sees every wrong key at once (`commune-feed check-config`).
 */
export function checkConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): ConfigCheck {
  const errors: ConfigError[] = [];
  const read = <T>(fallback: T, get: () => T): T => {
    try {
      return get();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      errors.push(err);
      return fallback;
    }
  };
  const port = read(3000, () => intFromEnv(env, 'PORT', 3000, 0, 65535));
  const host = env.HOST || '0.0.0.0';
  const dataDir = dataDirFromEnv(env);
  const publicUrl = read(undefined, () => urlFromEnv(env, 'PUBLIC_URL'));
  const bearerToken = read(undefined, () => tokenFromEnv(env, 'X_BEARER_TOKEN'));
  const baseUrl = read(undefined, () => urlFromEnv(env, 'X_API_BASE_URL'));
  const logFormat = read<LogFormat>('text', () => logFormatFromEnv(env));

  const configFile = read(undefined, () => configPathFromArgs(argv)) ?? (env.COMMUNE_FEED_CONFIG || undefined);
  let file: ConfigFile | undefined;
  if (configFile) {
    let text: string | undefined;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      errors.push(new ConfigError(configFile, `cannot be read (${code})`));
    }
    if (text !== undefined) {
      const parsed = readConfigFile(text, path.basename(configFile));
      file = parsed.file;
      errors.push(...parsed.errors);
    }
  }
  const feeds = file?.feeds ?? defaultFeeds(Boolean(bearerToken));
  if (!bearerToken && !errors.some((e) => e.key === 'X_BEARER_TOKEN')) {
    const xFeed = feeds.find((f) => f.sources.some((s) => s.network === 'x'));
    if (xFeed) errors.push(new ConfigError('X_BEARER_TOKEN', `is not set, but feed "${xFeed.id}" reads X`));
  }
  const maxViewers = read(10_000, () => intFromEnv(env, 'MAX_VIEWERS', 10_000, 1, 1_000_000));
  const maxConnections = read(2 * maxViewers + 1, () =>
    intFromEnv(env, 'MAX_CONNECTIONS', 2 * maxViewers, 2, 10_000_000),
  );
  if (maxConnections <= maxViewers) {
    errors.push(
      new ConfigError(
        'MAX_CONNECTIONS',
        `must be more than MAX_VIEWERS (${maxViewers}): live viewers would leave no connection for anything else`,
      ),
    );
  }
  const retentionDays = read(30, () =>
    intFromEnv(env, 'RETENTION_DAYS', 30, INTERVAL_LIMITS.retentionDays.min, INTERVAL_LIMITS.retentionDays.max),
  );
  const archiveRetentionDays = read(Math.max(365, retentionDays), () =>
    intFromEnv(
      env,
      'ARCHIVE_RETENTION_DAYS',
      Math.max(365, retentionDays),
      INTERVAL_LIMITS.retentionDays.min,
      INTERVAL_LIMITS.retentionDays.max,
    ),
  );
  if (archiveRetentionDays < retentionDays) {
    errors.push(
      new ConfigError(
        'ARCHIVE_RETENTION_DAYS',
        `must be at least RETENTION_DAYS (${retentionDays}): an archive keeps its posts longer than a live feed, never shorter`,
      ),
    );
  }
  const timeZone = env.TIME_ZONE || DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) {
    errors.push(
      new ConfigError(
        'TIME_ZONE',
        `must be an IANA time zone like "Europe/Paris" or "America/Cayenne", got "${timeZone}"`,
      ),
    );
  }
  const config: Config = {
    port,
    host,
    dataDir,
    publicUrl,
    feeds,
    x: { ...file?.x, bearerToken, baseUrl },
    mastodon: { tokens: mastodonTokensFromEnv(env) },
    bluesky: blueskyFromEnv(env),
    maxViewers,
    maxViewersPerAddress: read(DEFAULT_MAX_VIEWERS_PER_ADDRESS, () =>
      intFromEnv(env, 'MAX_VIEWERS_PER_ADDRESS', DEFAULT_MAX_VIEWERS_PER_ADDRESS, 1, 1_000_000),
    ),
    maxConnections,
    trustProxy: read(0, () => intFromEnv(env, 'TRUST_PROXY', 0, 0, MAX_TRUSTED_PROXIES)),
    retentionDays,
    snapshotSize: read(100, () => intFromEnv(env, 'SNAPSHOT_SIZE', 100, 1, 1000)),
    logFormat,
    archiveRetentionDays,
    archiveSize: read(200, () => intFromEnv(env, 'ARCHIVE_SIZE', 200, 1, 5000)),
    timeZone,
    redis: read(undefined, () => redisFromEnv(env)),
    configFile,
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/** The configuration; throws the first ConfigError (naming the key and the reason). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const checked = checkConfig(env, argv);
  if (!checked.ok) throw checked.errors[0]!;
  return checked.config;
}

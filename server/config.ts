/**
 * Configuration: environment variables plus an optional JSON file
 * (`--config path` or `COMMUNE_FEED_CONFIG`). Every error names the key and the reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fieldPath } from './field-path.js';
import { feedSettingsSchema, INTERVAL_LIMITS, interval, type FeedSettings } from './feeds/settings.js';
import { blueskyAccountFromEnv, type BlueskyAccount } from './sources/bluesky/credentials.js';
import { mastodonTokensFromEnv } from './sources/mastodon/tokens.js';

export { INTERVAL_LIMITS };

/** Every feed of the file: the one schema of feed settings (see `feeds/settings.ts`). */
export const feedSchema = feedSettingsSchema;

/** A feed as the file declares it, in the canonical form of its settings. */
export type FeedConfig = FeedSettings;

const fileSchema = z
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
   * The absolute URL visitors reach this server at, when set. Without it the
   * demo's links and images are relative to the server, which the widget
   * resolves against its `src`.
   */
  publicUrl?: string;
  feeds: FeedConfig[];
  x: z.output<typeof fileSchema>['x'] & {
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

/** Parses the JSON text of a config file; throws ConfigError naming the key. */
export function parseConfigFile(text: string, file = 'config'): z.output<typeof fileSchema> {
  let json: unknown;
  try {
    // Windows editors save UTF-8 with a byte-order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(file, `is not valid JSON (${(err as Error).message})`);
  }
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(fieldPath(issue.path, file), issue.message);
  }
  return result.data;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const port = intFromEnv(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const dataDir = dataDirFromEnv(env);
  const publicUrl = urlFromEnv(env, 'PUBLIC_URL');
  const bearerToken = tokenFromEnv(env, 'X_BEARER_TOKEN');
  const baseUrl = urlFromEnv(env, 'X_API_BASE_URL');

  const configFile = configPathFromArgs(argv) ?? (env.COMMUNE_FEED_CONFIG || undefined);
  let file: z.output<typeof fileSchema> | undefined;
  if (configFile) {
    let text: string;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (err) {
      throw new ConfigError(
        configFile,
        `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    file = parseConfigFile(text, path.basename(configFile));
  }
  const feeds = file?.feeds ?? defaultFeeds(Boolean(bearerToken));
  if (!bearerToken) {
    const xFeed = feeds.find((f) => f.sources.some((s) => s.network === 'x'));
    if (xFeed) throw new ConfigError('X_BEARER_TOKEN', `is not set, but feed "${xFeed.id}" reads X`);
  }
  const maxViewers = intFromEnv(env, 'MAX_VIEWERS', 10_000, 1, 1_000_000);
  const maxConnections = intFromEnv(env, 'MAX_CONNECTIONS', 2 * maxViewers, 2, 10_000_000);
  if (maxConnections <= maxViewers) {
    throw new ConfigError(
      'MAX_CONNECTIONS',
      `must be more than MAX_VIEWERS (${maxViewers}): live viewers would leave no connection for anything else`,
    );
  }
  return {
    port,
    host,
    dataDir,
    publicUrl,
    feeds,
    x: { ...file?.x, bearerToken, baseUrl },
    mastodon: { tokens: mastodonTokensFromEnv(env) },
    bluesky: blueskyFromEnv(env),
    maxViewers,
    maxViewersPerAddress: intFromEnv(env, 'MAX_VIEWERS_PER_ADDRESS', DEFAULT_MAX_VIEWERS_PER_ADDRESS, 1, 1_000_000),
    maxConnections,
    trustProxy: intFromEnv(env, 'TRUST_PROXY', 0, 0, MAX_TRUSTED_PROXIES),
    retentionDays: intFromEnv(
      env,
      'RETENTION_DAYS',
      30,
      INTERVAL_LIMITS.retentionDays.min,
      INTERVAL_LIMITS.retentionDays.max,
    ),
    snapshotSize: intFromEnv(env, 'SNAPSHOT_SIZE', 100, 1, 1000),
    configFile,
  };
}

/**
 * Configuration: environment variables plus an optional JSON file
 * (`--config path` or `COMMUNE_FEED_CONFIG`). Every error names the key and the reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fieldPath } from './field-path.js';

const handle = z
  .string()
  .regex(/^@?[A-Za-z0-9_]{1,15}$/, 'must be an X username: 1 to 15 letters, digits or _')
  .transform((s) => s.replace(/^@/, ''));
const hashtag = z
  .string()
  .regex(/^#?[\p{L}\p{N}_]{1,100}$/u, 'must be a hashtag: letters, digits or _, without spaces')
  .transform((s) => s.replace(/^#/, ''));

/** An ISO 8601 date-time with a time zone, every field real (no 30 February, no 24:00). */
const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, like "2026-10-16T08:00:00+02:00" or "2026-10-16T06:00:00Z"',
});

/**
 * Bounds of every configured interval. The longest ones keep the compliance re-check within a day
 * (X: removed posts must disappear within 24 hours) and every timer far from Node's 24.8-day limit.
 */
export const INTERVAL_LIMITS = {
  /** Feed `pollSeconds`: one second to one day. */
  pollSeconds: { min: 1, max: 86_400 },
  /** `x.fastPollSeconds`, inside an event window: one second to one hour. */
  fastPollSeconds: { min: 1, max: 3_600 },
  /** `x.slowPollSeconds`, outside an event window: one second to one day. */
  slowPollSeconds: { min: 1, max: 86_400 },
  /** `x.recheckHours`: six minutes to 24 hours. */
  recheckHours: { min: 0.1, max: 24 },
  /** Demo `paceSeconds`: 50 ms to one hour. */
  paceSeconds: { min: 0.05, max: 3_600 },
  /** `RETENTION_DAYS`: one day to ten years. */
  retentionDays: { min: 1, max: 3_650 },
} as const;

/** A number of `unit` within `limits`; the error gives the bounds. */
function interval(limits: { min: number; max: number }, unit: string, integer = true) {
  const bounds = `must be ${integer ? 'a whole number ' : ''}from ${limits.min} to ${limits.max} ${unit}`;
  return (integer ? z.number().int(bounds) : z.number()).min(limits.min, bounds).max(limits.max, bounds);
}

export const feedSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes (like "saint-etienne")'),
    title: z.string().min(1, 'must not be empty').max(200),
    source: z.enum(['demo', 'x']).default('demo'),
    accounts: z.array(handle).max(100).default([]),
    hashtags: z.array(hashtag).max(100).default([]),
    /** Fixed poll interval in seconds (bounded by what the source's limits allow). */
    pollSeconds: interval(INTERVAL_LIMITS.pollSeconds, 'seconds').optional(),
    /** When the event takes place: polling is fast inside, slow outside. */
    eventWindow: z
      .object({ start: isoDateTime, end: isoDateTime })
      .strict()
      .refine((w) => Date.parse(w.end) > Date.parse(w.start), { path: ['end'], message: 'must be after the start' })
      .optional(),
    /** Demo source: seconds between two released posts. */
    paceSeconds: interval(INTERVAL_LIMITS.paceSeconds, 'seconds', false).optional(),
    /** Language of the feed's interface and default language of its posts. */
    lang: z.string().min(2).max(35).default('fr'),
  })
  .strict()
  .superRefine((feed, ctx) => {
    if (feed.source === 'x' && feed.accounts.length === 0 && feed.hashtags.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['accounts'], message: 'an X feed needs at least one account or hashtag' });
    }
  });

export type FeedConfig = z.output<typeof feedSchema>;

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

function urlFromEnv(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(key, `must be an absolute URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(key, 'must be an http:// or https:// URL');
  return raw.replace(/\/+$/, '');
}

/** The feed served when no config file is given. */
export function defaultFeeds(withX: boolean): FeedConfig[] {
  return [
    feedSchema.parse({
      id: 'saint-etienne',
      title: 'Fête du livre de Saint-Étienne',
      source: withX ? 'x' : 'demo',
      accounts: ['saint_etienne_'],
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
    const xFeed = feeds.find((f) => f.source === 'x');
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

/**
 * A feed's settings: the one zod schema used by the config file, the store and the admin API.
 *
 * The older file form (`"source": "x", "accounts": [...]` at the top of a feed) is still read:
 * it becomes `sources: [{ network: "x", accounts }]`, and its errors name the keys as written.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FeedInfo } from '../contract.js';
import { inputErrorOf } from '../errors.js';
import { words } from '../moderation/text-match.js';

/** Networks a feed can read. */
export const NETWORKS = ['x', 'demo', 'mastodon', 'bluesky'] as const;
export type Network = (typeof NETWORKS)[number];

/**
 * Whether a network searches by hashtag. Posts of a network that does not (the demo replay) are
 * never out of a feed's scope: the source only brings what belongs to the feed.
 */
export const SEARCHES: Record<Network, boolean> = { x: true, demo: false, mastodon: true, bluesky: true };

/** Each network's name in messages. */
export const NETWORK_NAMES: Record<Network, string> = {
  x: 'X',
  demo: 'demo',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
};

export const FEED_STATES = ['active', 'paused', 'archived'] as const;
export type FeedState = (typeof FEED_STATES)[number];

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

/** Limits of the lists in a feed's settings. */
export const SETTINGS_LIMITS = {
  hashtags: 20,
  /** One entry per network, and one per Mastodon instance. */
  sources: 6,
  accountsPerSource: 50,
  trustedAccounts: 100,
  blockedAccounts: 500,
  blockedTerms: 500,
  blockedTermLength: 100,
  languages: 20,
  allowedOrigins: 50,
  minAccountAgeDays: { min: 1, max: 3_650 },
} as const;

/** The name announcements are signed with when the feed does not say. */
export const DEFAULT_ORGANISER_NAME = 'Organisateurs';

/** A number of `unit` within `limits`; the error gives the bounds. */
export function interval(limits: { min: number; max: number }, unit: string, integer = true) {
  const bounds = `must be ${integer ? 'a whole number ' : ''}from ${limits.min} to ${limits.max} ${unit}`;
  return (integer ? z.number().int(bounds) : z.number()).min(limits.min, bounds).max(limits.max, bounds);
}

/** An ISO 8601 date-time with a time zone, every field real (no 30 February, no 24:00). */
export const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, like "2026-10-16T08:00:00+02:00" or "2026-10-16T06:00:00Z"',
});

const X_HANDLE = /^@?[A-Za-z0-9_]{1,15}$/;
/** `user@domain` (a leading `@` allowed): a Mastodon account anywhere in the fediverse. */
const MASTODON_HANDLE =
  /^@?[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** A Bluesky handle (a domain name, like `ville.bsky.social`) or a did. */
const BLUESKY_HANDLE =
  /^@?(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]|did:[a-z]+:[A-Za-z0-9._:%-]{1,2048})$/;

const stripAt = (s: string) => s.replace(/^@/, '');

/** An X username. */
const handle = z.string().regex(X_HANDLE, 'must be an X username: 1 to 15 letters, digits or _').transform(stripAt);

const mastodonHandle = z
  .string()
  .regex(MASTODON_HANDLE, 'must be a Mastodon account with its server, like "ville@mastodon.social"')
  .transform((s) => stripAt(s).toLowerCase());

const blueskyHandle = z
  .string()
  .regex(BLUESKY_HANDLE, 'must be a Bluesky handle like "ville.bsky.social", or a did')
  .transform((s) => stripAt(s).toLowerCase());

/** An account of any network, in the moderation lists: X, Mastodon (`user@domain`) or Bluesky. */
const anyHandle = z
  .string()
  .refine(
    (s) => X_HANDLE.test(s) || MASTODON_HANDLE.test(s) || BLUESKY_HANDLE.test(s),
    'must be an account: an X username, a Mastodon "user@server" or a Bluesky handle',
  )
  .transform(stripAt);

/** Whether a host is this machine (an http:// instance is allowed there only: a local test server). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** A Mastodon instance's address, kept as its origin (`https://mastodon.social`). */
const instanceUrl = z
  .string({ error: 'must be the address of a Mastodon server, like "https://mastodon.social"' })
  .transform((s, ctx) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be the address of a Mastodon server, like "https://mastodon.social"',
      });
      return z.NEVER;
    }
    if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)))) {
      ctx.addIssue({ code: 'custom', message: 'must be an https:// address (http:// only for a local test server)' });
      return z.NEVER;
    }
    if (url.pathname !== '/' || url.search || url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must be the server\'s address alone, like "https://mastodon.social"' });
      return z.NEVER;
    }
    return url.origin;
  });

/** A host name (with its port, if any), like `files.mastodon.social`. */
const hostName = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?::\d{1,5})?$/,
    'must be a host name like "files.mastodon.social"',
  )
  .transform((s) => s.toLowerCase());

const hashtag = z
  .string()
  .regex(/^#?[\p{L}\p{N}_]{1,100}$/u, 'must be a hashtag: letters, digits or _, without spaces')
  .refine((s) => !/^#?\d+$/.test(s), 'must be a hashtag: not only digits')
  .transform((s) => s.replace(/^#/, ''));

const languageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}$/, 'must be a language code like "fr" or "en"')
  .transform((s) => s.toLowerCase());

const blockedTerm = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(SETTINGS_LIMITS.blockedTermLength, `must be at most ${SETTINGS_LIMITS.blockedTermLength} characters`)
  .refine((s) => words(s).length > 0, 'must contain a letter, a digit or an emoji');

const ORIGIN_FORM =
  'must be an origin like "https://www.ville.fr": http or https, a host, an optional port, nothing after';

/**
 * A web origin, as browsers send it in `Origin`: scheme, host and port only, lowercase, the
 * default port left out (`HTTPS://WWW.Ville.fr:443/` is `https://www.ville.fr`).
 */
const webOrigin = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const url = URL.canParse(s) ? new URL(s) : undefined;
    // Scheme and authority only: a path, a query, a fragment or credentials are no part of an origin.
    if (
      !url ||
      !/^https?:$/.test(url.protocol) ||
      url.username ||
      url.password ||
      !/^https?:\/\/[^/?#]+\/?$/i.test(s)
    ) {
      ctx.addIssue({ code: 'custom', message: ORIGIN_FORM });
      return z.NEVER;
    }
    return url.origin;
  });

const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item).max(max, `must list at most ${max} accounts`);
const accounts = (max: number) => listOf(anyHandle, max);
const sourceAccounts = <T extends z.ZodType>(item: T) => listOf(item, SETTINGS_LIMITS.accountsPerSource).default([]);

/**
 * One entry of a feed's `sources`, by network. A network with fields of its own (a Mastodon
 * instance, a token's name) gets its own object here; `sourceKeyOf` then tells its entries apart.
 */
const sourceSchema = z.discriminatedUnion('network', [
  z.object({ network: z.literal('x'), accounts: sourceAccounts(handle) }).strict(),
  z.object({ network: z.literal('demo'), accounts: sourceAccounts(handle) }).strict(),
  z
    .object({
      network: z.literal('mastodon'),
      /** The instance read, e.g. `https://mastodon.social`; its token, if any, comes from MASTODON_TOKENS. */
      instance: instanceUrl,
      accounts: sourceAccounts(mastodonHandle),
      /** Where the instance keeps its media, when not on its own host (e.g. `files.mastodon.social`). */
      mediaHost: hostName.optional(),
    })
    .strict(),
  z.object({ network: z.literal('bluesky'), accounts: sourceAccounts(blueskyHandle) }).strict(),
]);

const displaySchema = z
  .object({
    /** Languages shown ([] = all), as primary language codes. */
    languages: z.array(languageTag).max(SETTINGS_LIMITS.languages).default([]),
    reposts: z.boolean().default(true),
    replies: z.boolean().default(false),
  })
  .strict();

const moderationSchema = z
  .object({
    mode: z.enum(['post', 'pre']).default('post'),
    /** Default: every source's accounts (the town's own). */
    trustedAccounts: accounts(SETTINGS_LIMITS.trustedAccounts).optional(),
    blockedAccounts: accounts(SETTINGS_LIMITS.blockedAccounts).default([]),
    blockedTerms: z
      .array(blockedTerm)
      .max(SETTINGS_LIMITS.blockedTerms, `must list at most ${SETTINGS_LIMITS.blockedTerms} terms`)
      .default([]),
    sensitiveMedia: z.enum(['blur', 'hold']).default('blur'),
    minAccountAgeDays: interval(SETTINGS_LIMITS.minAccountAgeDays, 'days').nullable().default(null),
  })
  .strict();

const eventWindowSchema = z
  .object({ start: isoDateTime, end: isoDateTime })
  .strict()
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { path: ['end'], message: 'must be after the start' });

const inputSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes (like "saint-etienne")'),
    title: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    /** Language of the feed's interface and default language of its posts. */
    lang: z.string().min(2).max(35).default('fr'),
    state: z.enum(FEED_STATES).default('active'),
    hashtags: z
      .array(hashtag)
      .max(SETTINGS_LIMITS.hashtags, `must list at most ${SETTINGS_LIMITS.hashtags} hashtags`)
      .default([]),
    sources: z
      .array(sourceSchema)
      .min(1, 'must list at least one source')
      .max(SETTINGS_LIMITS.sources, `must list at most ${SETTINGS_LIMITS.sources} sources, one per network`)
      .optional(),
    /** Older form: the one network of the feed (X or the demo; the others came with `sources`). */
    source: z.enum(['x', 'demo']).optional(),
    /** Older form: the accounts of that network (X or demo). */
    accounts: listOf(handle, SETTINGS_LIMITS.accountsPerSource).optional(),
    /** When the event takes place: polling is fast inside, slow outside. */
    eventWindow: eventWindowSchema.optional(),
    /** Fixed poll interval in seconds (bounded by what the source's limits allow). */
    pollSeconds: interval(INTERVAL_LIMITS.pollSeconds, 'seconds').optional(),
    /** Demo source: seconds between two released posts. */
    paceSeconds: interval(INTERVAL_LIMITS.paceSeconds, 'seconds', false).optional(),
    display: displaySchema.prefault({}),
    moderation: moderationSchema.prefault({}),
    organiserName: z.string().trim().min(1, 'must not be empty').max(100).default(DEFAULT_ORGANISER_NAME),
    /** The only sites whose pages may read the feed's API from a browser; absent: every site (the posts are public). */
    allowedOrigins: z
      .array(webOrigin)
      .min(1, 'must list at least one origin; leave the key out to let every site read the feed')
      .max(SETTINGS_LIMITS.allowedOrigins, `must list at most ${SETTINGS_LIMITS.allowedOrigins} origins`)
      .optional(),
  })
  .strict();

type Input = z.output<typeof inputSchema>;

function checkSources(feed: Input, ctx: z.RefinementCtx): void {
  const legacy = feed.source !== undefined || feed.accounts !== undefined;
  if (feed.sources && legacy) {
    ctx.addIssue({
      code: 'custom',
      path: ['sources'],
      message: 'use "sources" or the older "source"/"accounts", not both',
    });
    return;
  }
  const sources = feed.sources ?? [{ network: feed.source ?? 'demo', accounts: feed.accounts ?? [] }];
  const seen = new Set<string>();
  sources.forEach((source, i) => {
    const key = sourceKeyOf(source);
    if (seen.has(key)) {
      const field = source.network === 'mastodon' ? 'instance' : 'network';
      ctx.addIssue({ code: 'custom', path: ['sources', i, field], message: `"${key}" is listed twice` });
    }
    seen.add(key);
    if (SEARCHES[source.network] && source.accounts.length === 0 && feed.hashtags.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: feed.sources ? ['sources', i, 'accounts'] : ['accounts'],
        message: `${source.network === 'x' ? 'an' : 'a'} ${NETWORK_NAMES[source.network]} feed needs at least one account or hashtag`,
      });
    }
  });
}

function toSettings(feed: Input) {
  const sources = (feed.sources ?? [{ network: feed.source ?? 'demo', accounts: feed.accounts ?? [] }]).map((s) => ({
    ...s,
    accounts: [...new Set(s.accounts)],
  }));
  const { trustedAccounts, ...moderation } = feed.moderation;
  return {
    id: feed.id,
    title: feed.title,
    lang: feed.lang,
    state: feed.state,
    hashtags: [...new Set(feed.hashtags)],
    sources,
    ...(feed.eventWindow ? { eventWindow: feed.eventWindow } : {}),
    ...(feed.pollSeconds !== undefined ? { pollSeconds: feed.pollSeconds } : {}),
    ...(feed.paceSeconds !== undefined ? { paceSeconds: feed.paceSeconds } : {}),
    display: feed.display,
    moderation: {
      mode: moderation.mode,
      trustedAccounts: trustedAccounts ?? [...new Set(sources.flatMap((s) => s.accounts))],
      blockedAccounts: moderation.blockedAccounts,
      blockedTerms: moderation.blockedTerms,
      sensitiveMedia: moderation.sensitiveMedia,
      minAccountAgeDays: moderation.minAccountAgeDays,
    },
    organiserName: feed.organiserName,
    // Only when set, so that the settings (and their hash) of feeds without it stay as they were.
    ...(feed.allowedOrigins ? { allowedOrigins: [...new Set(feed.allowedOrigins)] } : {}),
  };
}

/**
 * The schema of a feed's settings. It reads the canonical form (what `FeedSettings` holds, what
 * the store keeps and the admin API sends) and the older file form, and always gives the canonical form.
 */
export const feedSettingsSchema = inputSchema.superRefine(checkSources).transform(toSettings);

/** A feed's settings, canonical form. */
export type FeedSettings = z.output<typeof feedSettingsSchema>;
export type FeedSource = FeedSettings['sources'][number];
export type ModerationSettings = FeedSettings['moderation'];

/** Validates settings from any input (file, store, API); throws an `InputError` naming the first wrong field. */
export function parseFeedSettings(input: unknown): FeedSettings {
  const result = feedSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  throw inputErrorOf(result.error.issues);
}

/**
 * What tells a feed's sources apart, and names their stored cursor (`<feedId>:<sourceKey>`) and
 * the state shared by every feed reading the same upstream (`<sourceKey>`): the network, plus what
 * picks an upstream within it (a Mastodon instance will). Never the accounts or hashtags, which
 * change without losing the cursor.
 */
export function sourceKeyOf(source: { network: Network; instance?: string }): string {
  if (source.network === 'mastodon' && source.instance) return `mastodon:${new URL(source.instance).host}`;
  return source.network;
}

/** The accounts the feed follows on `network`, over all its entries ([] when the feed does not read it). */
export function accountsOf(settings: FeedSettings, network: string): string[] {
  return [...new Set(settings.sources.filter((s) => s.network === network).flatMap((s) => s.accounts))];
}

/** What visitors learn about a feed (`GET /api/feeds`, the snapshot, the SSE `feed` event). */
export function feedInfoOf(settings: FeedSettings): FeedInfo {
  return {
    id: settings.id,
    title: settings.title,
    hashtags: settings.hashtags,
    accounts: [...new Set(settings.sources.flatMap((s) => s.accounts))],
  };
}

/** A stable hash of settings (canonical form): tells whether a config file entry changed since it was applied. */
export function settingsHash(settings: FeedSettings): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('base64url');
}

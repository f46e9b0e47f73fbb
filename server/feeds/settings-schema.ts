/**
 * The fields of a feed's settings as they are written (file, store, admin API): the schema of the
 * input, before `settings.ts` checks its sources together and gives the canonical form.
 */
import { z } from 'zod';
import { words } from '../moderation/text-match.js';
import { DEFAULT_ORGANISER_NAME, INTERVAL_LIMITS, SETTINGS_LIMITS, interval } from './settings-limits.js';
import { accounts, handle, listOf, sourceSchema } from './source-schema.js';

export const FEED_STATES = ['active', 'paused', 'archived'] as const;
export type FeedState = (typeof FEED_STATES)[number];

/** An ISO 8601 date-time with a time zone, every field real (no 30 February, no 24:00). */
export const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, like "2026-10-16T08:00:00+02:00" or "2026-10-16T06:00:00Z"',
});

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

export const inputSchema = z
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

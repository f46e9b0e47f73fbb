/**
 * A feed's settings: the one zod schema used by the config file, the store and the admin API. The
 * fields are read by `settings-schema.ts` (each network's entry by `source-schema.ts`); here the
 * sources are checked together and the settings given their canonical form.
 *
 * The older file form (`"source": "x", "accounts": [...]` at the top of a feed) is still read:
 * it becomes `sources: [{ network: "x", accounts }]`, and its errors name the keys as written.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { FeedInfo } from '../contract.js';
import { inputErrorOf } from '../errors.js';
import { inputSchema } from './settings-schema.js';
import { NETWORK_NAMES, SEARCHES, sourceKeyOf } from './source-schema.js';

export { DEFAULT_ORGANISER_NAME, INTERVAL_LIMITS, SETTINGS_LIMITS, interval } from './settings-limits.js';
export { FEED_STATES, isoDateTime, type FeedState } from './settings-schema.js';
export { NETWORKS, NETWORK_NAMES, SEARCHES, sourceKeyOf, type Network } from './source-schema.js';

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

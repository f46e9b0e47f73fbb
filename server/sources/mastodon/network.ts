/** Mastodon as a network: a source per instance named in a feed, its cadence, and the instance's image hosts. */
import type { FeedSource } from '../../feeds/settings.js';
import type { NetworkModule } from '../source.js';
import { createMastodonSource, type MastodonEntry } from './mastodon-source.js';

/** Free to read, within the instance's limit (300 calls per 5 minutes by default), and pushed live where it streams. */
const FAST_MS = 30_000;
const SLOW_MS = 5 * 60_000;
const DEFAULT_MS = 2 * 60_000;

/** The hosts of an entry's images: the instance's own, and its media host when elsewhere (`files.…`). */
function entryImageHosts(entry: FeedSource): readonly string[] {
  if (entry.network !== 'mastodon') return [];
  const host = new URL(entry.instance).host;
  return entry.mediaHost && entry.mediaHost !== host ? [host, entry.mediaHost] : [host];
}

export const MASTODON_NETWORK: NetworkModule = {
  create: (context, config) => {
    const host = new URL((context.source as MastodonEntry).instance).host.toLowerCase();
    const accessToken = config.mastodon?.tokens[host];
    return createMastodonSource(context, accessToken ? { accessToken } : {});
  },
  intervals: () => ({
    fastMs: FAST_MS,
    slowMs: SLOW_MS,
    defaultMs: DEFAULT_MS,
    // 5xx and timeouts: 15 s doubling to 15 min.
    backoff: { baseMs: 15_000, capMs: 15 * 60_000 },
  }),
  // Remote accounts' pictures are cached by the instance: on its own hosts.
  imageHosts: [],
  entryImageHosts,
};

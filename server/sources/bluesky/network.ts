/** Bluesky as a network: its sources (public AppView, search as the town's account, Jetstream), its cadence and its image hosts. */
import type { NetworkModule } from '../source.js';
import { createBlueskySource } from './bluesky-source.js';
import { createBlueskyClient } from './client.js';
import { BLUESKY_MEDIA_HOSTS } from './embeds.js';

/** Free to read within generous limits, and pushed live by Jetstream: polling is mostly a backfill. */
/**
 * Jetstream's posts wait this long to be hydrated together (one `getPosts` for several): a feed's
 * posts come a few a second at most, so a short wait batches them and keeps a push well under 1 s.
 */
const HYDRATE_BATCH_MS = 100;
const FAST_MS = 30_000;
const SLOW_MS = 5 * 60_000;
const DEFAULT_MS = 2 * 60_000;

export const BLUESKY_NETWORK: NetworkModule = {
  create: (context, config) => {
    const { account, appViewUrl, jetstreamUrl } = config.bluesky ?? {};
    const client = createBlueskyClient({
      ...(appViewUrl ? { appViewUrl } : {}),
      ...(account?.pdsUrl ? { pdsUrl: account.pdsUrl } : {}),
      ...(account ? { credentials: account.credentials } : {}),
      now: () => context.clock.now(),
    });
    return createBlueskySource(context, {
      client,
      ...(jetstreamUrl ? { jetstreamUrl } : {}),
      live: { hydrate: { batchMs: HYDRATE_BATCH_MS } },
    });
  },
  intervals: () => ({
    fastMs: FAST_MS,
    slowMs: SLOW_MS,
    defaultMs: DEFAULT_MS,
    backoff: { baseMs: 15_000, capMs: 15 * 60_000 },
  }),
  imageHosts: BLUESKY_MEDIA_HOSTS,
};

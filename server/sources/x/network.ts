/** X as a network: its sources, its cadence (the `x` settings of the config file) and its image host. */
import type { Config } from '../../config.js';
import { SourceError, type NetworkModule, type Source, type SourceContext } from '../source.js';
import { createXSource } from './x-source.js';

/** X's image host: avatars, photos and video previews. */
export const X_IMAGE_HOSTS = ['pbs.twimg.com'] as const;

/** Poll intervals when the config does not set them: every minute inside an event window, every 15 minutes outside. */
export const DEFAULT_FAST_POLL_SECONDS = 60;
export const DEFAULT_SLOW_POLL_SECONDS = 900;

/** Retry interval of a source that cannot run on this server (a stored X feed without a token). */
const MISSING_TOKEN_RETRY_MS = 15 * 60_000;

function create(context: SourceContext, config: Config): Source {
  if (!config.x.bearerToken) {
    // A feed made in the console, or kept from an earlier run, on a server started without X.
    return {
      kind: 'x',
      poll: () =>
        Promise.reject(
          new SourceError('X_BEARER_TOKEN is not set on this server', {
            state: 'misconfigured',
            notBefore: context.clock.now() + MISSING_TOKEN_RETRY_MS,
          }),
        ),
    };
  }
  return createXSource(context, {
    bearerToken: config.x.bearerToken,
    baseUrl: config.x.baseUrl,
    monthlyPostBudget: config.x.monthlyPostBudget,
    recheckHours: config.x.recheckHours,
    maxPagesPerPoll: config.x.maxPagesPerPoll,
  });
}

export const X_NETWORK: NetworkModule = {
  create,
  // Reads are billed: a feed with no event window polls at the slow interval.
  intervals: (config) => {
    const slowMs = (config.x.slowPollSeconds ?? DEFAULT_SLOW_POLL_SECONDS) * 1000;
    return {
      fastMs: (config.x.fastPollSeconds ?? DEFAULT_FAST_POLL_SECONDS) * 1000,
      slowMs,
      defaultMs: slowMs,
      // 5xx and timeouts: 30 s doubling to 15 min.
      backoff: { baseMs: 30_000, capMs: 15 * 60_000 },
    };
  },
  imageHosts: X_IMAGE_HOSTS,
};

/** Which source serves a network of a feed: the one place that maps a network to its implementation. */
import type { Config } from '../config.js';
import type { Network } from '../feeds/settings.js';
import { createDemoSource } from './demo/demo-source.js';
import { createXSource } from './x/x-source.js';
import { SourceError, type Source, type SourceContext } from './source.js';

/** Retry interval of a source that cannot run on this server (a stored X feed without a token). */
const MISSING_TOKEN_RETRY_MS = 15 * 60_000;

export function createSource(network: Network, context: SourceContext, config: Config): Source {
  const feed = context.feed;
  switch (network) {
    case 'demo':
      return createDemoSource(context, {
        publicUrl: config.publicUrl ?? '',
        paceMs: feed.paceSeconds === undefined ? undefined : feed.paceSeconds * 1000,
      });
    case 'x':
      if (!config.x.bearerToken) {
        // A feed made in the console, or kept from an earlier run, on a server started without X.
        return {
          kind: 'x',
          poll: () =>
            Promise.reject(
              new SourceError('X_BEARER_TOKEN is not set on this server', MISSING_TOKEN_RETRY_MS, 'misconfigured'),
            ),
        };
      }
      return createXSource(context, {
        bearerToken: config.x.bearerToken,
        baseUrl: config.x.baseUrl,
        monthlyPostBudget: config.x.monthlyPostBudget,
        recheckHours: config.x.recheckHours,
        maxPagesPerPoll: config.x.maxPagesPerPoll,
        fastPollSeconds: config.x.fastPollSeconds,
        slowPollSeconds: config.x.slowPollSeconds,
      });
  }
}

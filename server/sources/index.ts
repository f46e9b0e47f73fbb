/** Which source serves a feed: the one place that maps a feed's `source` to its implementation. */
import type { Config, FeedConfig } from '../config.js';
import { createDemoSource } from './demo/demo-source.js';
import { createXSource } from './x/x-source.js';
import type { Source, SourceContext } from './source.js';

export function createSource(feed: FeedConfig, context: SourceContext, config: Config): Source {
  switch (feed.source) {
    case 'demo':
      return createDemoSource(context, {
        publicUrl: config.publicUrl ?? '',
        paceMs: feed.paceSeconds === undefined ? undefined : feed.paceSeconds * 1000,
      });
    case 'x':
      return createXSource(context, {
        bearerToken: config.x.bearerToken ?? '',
        baseUrl: config.x.baseUrl,
        monthlyPostBudget: config.x.monthlyPostBudget,
        recheckHours: config.x.recheckHours,
        maxPagesPerPoll: config.x.maxPagesPerPoll,
        fastPollSeconds: config.x.fastPollSeconds,
        slowPollSeconds: config.x.slowPollSeconds,
      });
  }
}

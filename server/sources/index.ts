/** Which source serves a feed: the one place that maps a feed's `source` to its implementation. */
import type { Config, FeedConfig } from '../config.js';
import { createDemoSource } from './demo/demo-source.js';
import type { Source, SourceContext } from './source.js';

export function createSource(feed: FeedConfig, context: SourceContext, config: Config): Source {
  switch (feed.source) {
    case 'demo':
      return createDemoSource(context, {
        publicUrl: config.publicUrl ?? '',
        paceMs: feed.paceSeconds === undefined ? undefined : feed.paceSeconds * 1000,
      });
    case 'x':
      throw new Error('the X source is not available yet');
  }
}

/**
 * The networks this server reads: the one place that maps a network to its module (its sources,
 * its cadence, its image hosts). The engine sees only the `Source` interface and a `NetworkPolicy`.
 */
import type { Config } from '../config.js';
import type { FeedSettings, FeedSource, Network } from '../feeds/settings.js';
import { BLUESKY_NETWORK } from './bluesky/network.js';
import { DEMO_NETWORK } from './demo/network.js';
import { MASTODON_NETWORK } from './mastodon/network.js';
import type { NetworkModule, NetworkPolicy, Source, SourceContext } from './source.js';
import { X_NETWORK } from './x/network.js';

export const NETWORK_MODULES: Readonly<Record<Network, NetworkModule>> = {
  x: X_NETWORK,
  demo: DEMO_NETWORK,
  mastodon: MASTODON_NETWORK,
  bluesky: BLUESKY_NETWORK,
};

/** Makes the source of one entry of a feed's sources. */
export function createSource(context: SourceContext, config: Config): Source {
  return NETWORK_MODULES[context.source.network].create(context, config);
}

/** What the engine applies to an entry's source: its network's intervals and image hosts. */
export function networkPolicy(entry: FeedSource, feed: FeedSettings, config: Config): NetworkPolicy {
  const network = NETWORK_MODULES[entry.network];
  return {
    intervals: network.intervals(config, feed),
    imageHosts: [...network.imageHosts, ...(network.entryImageHosts?.(entry) ?? [])],
  };
}

/**
 * Every image host the media proxy may fetch from: the networks' own, and those the feeds'
 * entries add. (The proxy still fetches only images that a post on display shows.)
 */
export function imageHostsOf(feeds: readonly FeedSettings[]): Set<string> {
  const hosts = new Set(Object.values(NETWORK_MODULES).flatMap((n) => n.imageHosts));
  for (const feed of feeds) {
    for (const entry of feed.sources) {
      for (const host of NETWORK_MODULES[entry.network].entryImageHosts?.(entry) ?? []) hosts.add(host);
    }
  }
  return hosts;
}

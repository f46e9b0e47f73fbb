/** The demo replay as a network: its sources and its cadence, paced by the feed's `paceSeconds`. */
import { DEFAULT_BACKOFF } from '../../pacing/backoff.js';
import type { NetworkModule } from '../source.js';
import { createDemoSource, DEFAULT_PACE_MS } from './demo-source.js';

/** Outside an event window the replay is looked at once a minute (posts keep their pace: they arrive grouped). */
const SLOW_MS = 60_000;

function paceOf(feed: { paceSeconds?: number }): number {
  return feed.paceSeconds === undefined ? DEFAULT_PACE_MS : feed.paceSeconds * 1000;
}

export const DEMO_NETWORK: NetworkModule = {
  create: (context, config) =>
    createDemoSource(context, { publicUrl: config.publicUrl ?? '', paceMs: paceOf(context.feed) }),
  // Polled at its pace, so that each poll brings the next post; slower outside an event window.
  intervals: (_config, feed) => {
    const pace = paceOf(feed);
    return { fastMs: pace, slowMs: Math.max(pace, SLOW_MS), defaultMs: pace, backoff: DEFAULT_BACKOFF };
  },
  // Its pictures are this server's own files.
  imageHosts: [],
};

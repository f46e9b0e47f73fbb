/** Instances of one cluster in this process, on a real Redis, reading one counting source. */
import type { Post } from '../../server/contract.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { PollResult, Source } from '../../server/sources/source.js';
import { testConfig, testFeed } from './config.js';
import { testPost } from './posts.js';

/**
 * An upstream network all instances read: post n is brought by the poll with cursor n-1. It counts
 * every poll and who made it, and fails a test that sees two polls in flight at once.
 */
export class CountingUpstream {
  readonly polls: { instance: string; cursor: string | null; at: number }[] = [];
  inFlight = 0;
  overlaps = 0;
  /** Posts each poll brings (0 keeps the wall still). */
  perPoll = 1;

  source(instance: string, pollMs: number): Source {
    return {
      kind: 'demo',
      poll: async (cursor): Promise<PollResult> => {
        this.inFlight++;
        if (this.inFlight > 1) this.overlaps++;
        this.polls.push({ instance, cursor, at: Date.now() });
        await new Promise((resolve) => setTimeout(resolve, 5));
        this.inFlight--;
        const n = Number(cursor ?? 0);
        const posts: Post[] = [];
        for (let i = 1; i <= this.perPoll; i++) posts.push(this.post(n + i));
        return { posts, removals: [], cursor: String(n + this.perPoll), nextPollInMs: pollMs };
      },
    };
  }

  post(n: number): Post {
    return testPost(n);
  }
}

export async function startInstance(
  redisUrl: string,
  upstream: CountingUpstream,
  name: string,
  options: { pollMs?: number; leaseMs?: number; onFatal?: (reason: string) => void } = {},
): Promise<RunningServer> {
  const config = testConfig({ feeds: [testFeed()], redis: { url: redisUrl, leaseMs: options.leaseMs ?? 1_500 } });
  return startServer(config, {
    log: memoryLogger(),
    sourceFor: () => upstream.source(name, options.pollMs ?? 200),
    onClusterFatal: options.onFatal ?? (() => {}),
  });
}

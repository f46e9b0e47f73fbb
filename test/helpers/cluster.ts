/** Instances of one cluster in this process, on a real Redis, reading one counting source. */
import { expect, vi } from 'vitest';
import type { Config } from '../../server/config.js';
import type { FeedSnapshot, Post } from '../../server/contract.js';
import { memoryLogger, type Logger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { PollResult, Source } from '../../server/sources/source.js';
import { testConfig, testFeed } from './config.js';
import { testPost } from './posts.js';
import { TEST_ADMIN_TOKEN, TEST_PASSWORD } from './admin.js';

/**
 * An upstream network all instances read: post n is brought by the poll with cursor n-1. It counts
 * every poll and who made it, and fails a test that sees two polls in flight at once.
 */
export class CountingUpstream {
  readonly polls: { instance: string; cursor: string | null; at: number }[] = [];
  inFlight = 0;
  overlaps = 0;
  /** Posts each poll brings (0 keeps the wall still). Only polls that completed are in `polls`. */
  perPoll = 1;

  source(instance: string): Source {
    return {
      kind: 'demo',
      poll: async (cursor, signal): Promise<PollResult> => {
        this.inFlight++;
        if (this.inFlight > 1) this.overlaps++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        this.inFlight--;
        // A poll abandoned by its engine (shutting down) brought nothing in.
        if (!signal.aborted) this.polls.push({ instance, cursor, at: Date.now() });
        const n = Number(cursor ?? 0);
        const posts: Post[] = [];
        for (let i = 1; i <= this.perPoll; i++) posts.push(this.post(n + i));
        return { posts, removals: [], cursor: String(n + this.perPoll) };
      },
    };
  }

  post(n: number): Post {
    return testPost(n);
  }
}

/**
 * An instance of the cluster on `redisUrl`. With an `upstream`, its demo feed reads it, polled
 * every `pollMs`; without one (null), it reads the sources of `config.feeds` as configured.
 */
export async function startInstance(
  redisUrl: string,
  upstream: CountingUpstream | null,
  name: string,
  options: {
    pollMs?: number;
    leaseMs?: number;
    fatal?: string[];
    log?: Logger;
    config?: Partial<Config>;
    dataDir?: string;
  } = {},
): Promise<RunningServer> {
  // A demo feed is polled at its pace: `pollMs`.
  const feed = testFeed({ paceSeconds: (options.pollMs ?? 200) / 1000 });
  const config = testConfig({
    feeds: [feed],
    ...options.config,
    redis: { url: redisUrl, leaseMs: options.leaseMs ?? 3_000 },
    ...(options.dataDir && { dataDir: options.dataDir }),
  });
  const server = await startServer(config, {
    log: options.log ?? memoryLogger(),
    adminToken: TEST_ADMIN_TOKEN,
    sourceFor: upstream ? () => upstream.source(name) : undefined,
    onClusterFatal: (reason) => options.fatal?.push(`${name}: ${reason}`),
  });
  // As a load balancer would: no traffic before the instance says it is ready.
  await vi.waitFor(async () => expect((await fetch(`${server.url}/api/ready`)).status).toBe(200), {
    timeout: 15_000,
    interval: 50,
  });
  return server;
}

/** The first admin, made on `url` with the operator's token: the `Cookie` header of its session. */
export async function firstAdmin(url: string): Promise<string> {
  const res = await fetch(`${url}/api/admin/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ token: TEST_ADMIN_TOKEN, username: 'marie', password: TEST_PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`setup answered ${res.status}: ${await res.text()}`);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

/** The test feed's snapshot as an instance serves it. */
export async function snapshotOf(server: RunningServer): Promise<FeedSnapshot> {
  return (await (await fetch(`${server.url}/api/feeds/${testFeed().id}`)).json()) as FeedSnapshot;
}

/** The instances that poll and write now. */
export const leaderOf = (servers: RunningServer[]) => servers.filter((s) => s.cluster!.leading);

/**
 * One instance for the cluster benchmark, in its own process (run with --expose-gc): the real
 * server (startServer), with `REDIS_URL` or without, reading a counting source that polls every
 * `pollMs` and brings a post only when asked (`inject`), or writes the same bytes straight to its
 * viewers (`broadcast`, the baseline). Reports its polls, its role, its viewers and its memory
 * after GC over IPC.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../server/config.js';
import type { Post } from '../server/contract.js';
import { encodeEvent } from '../server/delivery/sse-frames.js';
import { startServer, type RunningServer } from '../server/server.js';
import { testFeed } from '../test/helpers/config.js';
import { testPost } from '../test/helpers/posts.js';
import { FEED_ID, HOST, quietLog } from './fixtures.js';
import { memoryAfterGc, serveIpc, waitUntil } from './ipc.js';

let server: RunningServer | undefined;
let polls = 0;
const waiting: Post[] = [];

serveIpc({
  async start({ redisUrl, pollMs, maxViewers }: { redisUrl?: string; pollMs: number; maxViewers: number }) {
    const dataDir = mkdtempSync(path.join(process.env.BENCH_TMPDIR ?? tmpdir(), 'commune-feed-bench-cluster-'));
    const config: Config = {
      port: 0,
      host: HOST,
      dataDir,
      // A demo feed is polled at its pace: `pollMs`.
      feeds: [testFeed({ id: FEED_ID, paceSeconds: pollMs / 1000 })],
      x: {},
      maxViewers,
      maxViewersPerAddress: maxViewers,
      maxConnections: 2 * maxViewers,
      trustProxy: 0,
      retentionDays: 3650,
      snapshotSize: 100,
      logFormat: 'text',
      archiveRetentionDays: 3650,
      archiveSize: 200,
      timeZone: 'Europe/Paris',
      ...(redisUrl ? { redis: { url: redisUrl, leaseMs: 5_000 } } : {}),
    };
    server = await startServer(config, {
      log: quietLog,
      sourceFor: () => ({
        kind: 'demo',
        poll: async (cursor) => {
          polls++;
          return { posts: waiting.splice(0), removals: [], cursor };
        },
      }),
    });
    await waitUntil(async () => (await fetch(`${server!.url}/api/ready`)).ok, 30_000, 50);
    return { port: server.port, path: `/api/feeds/${FEED_ID}/events` };
  },
  polls: () => polls,
  leading: () => server?.cluster?.leading ?? true,
  /** The next poll brings this post. */
  inject({ id }: { id: string }) {
    waiting.push({ ...testPost(1), id, createdAt: new Date().toISOString() });
    return { at: Date.now() };
  },
  viewers: () => server!.delivery.hub.viewerCount,
  /** The baseline: the bytes a post of the same size makes, written at once to every viewer (no Redis, no log). */
  broadcast({ id }: { id: string }) {
    const post = { ...testPost(1), id, createdAt: new Date().toISOString() };
    const frame = encodeEvent('post', post, 1);
    const at = Date.now();
    server!.delivery.hub.broadcastRaw(FEED_ID, frame);
    return { at, bytes: frame.length };
  },
  memory: () => memoryAfterGc(),
  async stop() {
    await server?.close();
    return true;
  },
});

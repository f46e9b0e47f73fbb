/**
 * 7: several instances through Redis (`REDIS_URL`). A real `redis-server` on a free loopback port,
 * instances as their own processes (`cluster-server.ts`), viewers as raw sockets in another
 * (`sse-clients.ts`). Measured:
 * - the source's polls over the same window with one instance (no Redis: the baseline) and with
 *   three: equal (one poller for the whole cluster);
 * - one post from the leader's poll to 30,000 viewers spread over the three: first to last viewer;
 * - the memory per viewer of each instance (rss after GC, before and after its viewers).
 */
import { randomUUID } from 'node:crypto';
import { startRedis } from '../test/helpers/redis-server.js';
import { spawnChild, sleep, type Child, type Memory } from './ipc.js';
import { atMost, KiB, round, type BenchOutcome } from './report.js';

export interface ClusterOptions {
  instances: number;
  viewers: number;
  pollMs: number;
  windowMs: number;
  maxSpreadMs: number;
  maxBytesPerViewer: number;
}

export const CLUSTER_DEFAULTS: ClusterOptions = {
  instances: 3,
  viewers: 30_000,
  pollMs: 200,
  windowMs: 3_000,
  maxSpreadMs: 1_500,
  maxBytesPerViewer: 16 * KiB,
};

async function instance(name: string, redisUrl: string | undefined, options: ClusterOptions) {
  const child = await spawnChild('cluster-server.ts', name, { nodeArgs: ['--expose-gc'], raiseFileLimit: true });
  const started = await child.request<{ port: number; path: string }>(
    'start',
    { redisUrl, pollMs: options.pollMs, maxViewers: Math.ceil(options.viewers / options.instances) + 1_000 },
    60_000,
  );
  return { child, ...started };
}

/** Polls made by `children` together over `windowMs`. */
async function pollsOver(children: Child[], windowMs: number): Promise<number> {
  const count = async () =>
    (await Promise.all(children.map((c) => c.request<number>('polls')))).reduce((a, b) => a + b);
  const before = await count();
  await sleep(windowMs);
  return (await count()) - before;
}

export async function benchCluster(
  options: ClusterOptions = CLUSTER_DEFAULTS,
  log = console.log,
): Promise<BenchOutcome> {
  // Baseline: one process, no Redis.
  const single = await instance('cluster-server(single)', undefined, options);
  const singlePolls = await pollsOver([single.child], options.windowMs);
  await single.child.request('stop', undefined, 30_000);
  await single.child.kill();

  const redis = await startRedis();
  try {
    const servers = [];
    for (let i = 0; i < options.instances; i++)
      servers.push(await instance(`cluster-server(${i})`, redis.url, options));
    const children = servers.map((s) => s.child);
    const clusterPolls = await pollsOver(children, options.windowMs);
    log(
      `  polls over ${options.windowMs} ms: one instance ${singlePolls}, ${options.instances} instances ${clusterPolls}`,
    );

    const before = await Promise.all(children.map((c) => c.request<Memory>('memory', undefined, 30_000)));
    const clients = await spawnChild('sse-clients.ts', 'sse-clients', { raiseFileLimit: true });
    const each = Math.ceil(options.viewers / options.instances);
    let open = 0;
    for (const s of servers) {
      const opened = await clients.request<{ open: number }>(
        'open',
        { port: s.port, path: s.path, count: each },
        180_000,
      );
      open = opened.open;
    }
    const after = await Promise.all(children.map((c) => c.request<Memory>('memory', undefined, 30_000)));
    const perViewer = after.map((m, i) => (m.rss - before[i]!.rss) / each);

    const roles = await Promise.all(children.map((c) => c.request<boolean>('leading')));
    const leader = children[roles.indexOf(true)]!;
    const marker = `bench-${randomUUID()}`;
    await clients.request('arm', { marker });
    const injected = await leader.request<{ at: number }>('inject', { id: marker });
    const got = await clients.request<{
      received: number;
      open: number;
      firstReceivedAt: number;
      lastReceivedAt: number;
    }>('waitReceived', { timeoutMs: 20_000 }, 30_000);
    const spreadMs = got.lastReceivedAt - got.firstReceivedAt;
    const pollToLastMs = got.lastReceivedAt - injected.at;
    log(
      `  ${open} viewers over ${options.instances} instances: the post read by ${got.received}, first to last ${spreadMs} ms ` +
        `(asked of the source to last viewer ${pollToLastMs} ms, the poll comes within ${options.pollMs} ms); ` +
        `memory per viewer (rss after GC) ${perViewer.map((b) => round(b / KiB, 1)).join(', ')} KiB`,
    );
    await clients.kill();
    for (const c of children) await c.kill();
    const worst = Math.max(...perViewer);
    return {
      name: 'cluster',
      figures: { options, singlePolls, clusterPolls, open, received: got.received, spreadMs, pollToLastMs, perViewer },
      targets: [
        atMost(
          `cluster: polls with ${options.instances} instances minus polls with one, over the same window`,
          Math.abs(clusterPolls - singlePolls),
          1,
        ),
        atMost(`cluster: viewers that missed the post`, open - got.received, 0),
        atMost(
          `cluster: one post to ${open} viewers over ${options.instances} instances, first to last`,
          spreadMs,
          options.maxSpreadMs,
          'ms',
        ),
        atMost(
          `cluster: memory per viewer, worst instance`,
          round(worst / KiB, 1),
          options.maxBytesPerViewer / KiB,
          'KiB',
        ),
      ],
    };
  } finally {
    await redis.stop();
  }
}

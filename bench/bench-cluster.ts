/**
 * 8: several instances through Redis (`REDIS_URL`). A real `redis-server` on a free loopback port,
 * instances as their own processes (`cluster-server.ts`), viewers as raw sockets in client
 * processes (`sse-clients.ts`), one per instance: one process cannot hold more sockets than its
 * `ulimit -n` (20,000 here). Measured:
 * - the source's polls over the same window with one instance (no Redis: the baseline) and with
 *   three: equal (one poller for the whole cluster);
 * - one post from the leader's poll to 30,000 viewers spread over the three: first to last viewer,
 *   against a baseline in the same run over the same viewers: the same bytes written at once by
 *   the three instances' hubs (no poll, no Redis, no log), also a warm-up; median of `rounds`;
 * - the memory per viewer of each instance (rss after GC, before and after its viewers).
 */
import { randomUUID } from 'node:crypto';
import { startRedis } from '../test/helpers/redis-server.js';
import { spawnChild, sleep, type Child, type Memory } from './ipc.js';
import { atLeast, atMost, KiB, round, type BenchOutcome } from './report.js';

export interface ClusterOptions {
  instances: number;
  viewers: number;
  pollMs: number;
  windowMs: number;
  rounds: number;
  maxSpreadMs: number;
  /** First to last for the post over first to last for the same bytes written at once. */
  maxSpreadRatio: number;
  maxBytesPerViewer: number;
}

export const CLUSTER_DEFAULTS: ClusterOptions = {
  instances: 3,
  viewers: 30_000,
  pollMs: 200,
  windowMs: 3_000,
  rounds: 3,
  maxSpreadMs: 1_500,
  maxSpreadRatio: 1.5,
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

interface Received {
  received: number;
  open: number;
  firstReceivedAt: number;
  lastReceivedAt: number;
}

interface Delivery {
  received: number;
  open: number;
  /** First viewer to last, over every client process (one clock: the same machine). */
  spreadMs: number;
  /** From the moment it was asked for to the last viewer. */
  askedToLastMs: number;
}

/** Marks an event, has `send` make it, and waits until every viewer of every client read it. */
async function deliver(clients: Child[], send: (marker: string) => Promise<number>): Promise<Delivery> {
  const marker = `bench-${randomUUID()}`;
  await Promise.all(clients.map((c) => c.request('arm', { marker })));
  const at = await send(marker);
  const got = await Promise.all(clients.map((c) => c.request<Received>('waitReceived', { timeoutMs: 20_000 }, 30_000)));
  const first = Math.min(...got.filter((g) => g.received > 0).map((g) => g.firstReceivedAt));
  const last = Math.max(...got.map((g) => g.lastReceivedAt));
  const sum = (f: (g: Received) => number) => got.reduce((n, g) => n + f(g), 0);
  return {
    received: sum((g) => g.received),
    open: sum((g) => g.open),
    spreadMs: last - first,
    askedToLastMs: last - at,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

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
    const each = Math.ceil(options.viewers / options.instances);
    const clients: Child[] = [];
    for (const [i, s] of servers.entries()) {
      const client = await spawnChild('sse-clients.ts', `sse-clients(${i})`, { raiseFileLimit: true });
      clients.push(client);
      // One instance after another, 200 sockets connecting at a time.
      const opened = await client.request<{ open: number; failed: number; ms: number }>(
        'open',
        { port: s.port, path: s.path, count: each },
        180_000,
      );
      log(
        `  instance ${i}: ${opened.open} viewers opened in ${round(opened.ms / 1000, 1)} s (${opened.failed} failed)`,
      );
      if (opened.open !== each)
        throw new Error(`instance ${i}: only ${opened.open} of ${each} viewers connected (${opened.failed} failed)`);
    }
    const held = await Promise.all(children.map((c) => c.request<number>('viewers')));
    const open = held.reduce((a, b) => a + b);
    const after = await Promise.all(children.map((c) => c.request<Memory>('memory', undefined, 30_000)));
    const perViewer = after.map((m, i) => (m.rss - before[i]!.rss) / held[i]!);

    const roles = await Promise.all(children.map((c) => c.request<boolean>('leading')));
    const leader = children[roles.indexOf(true)]!;
    const raw: Delivery[] = [];
    const posts: Delivery[] = [];
    for (let r = 0; r < options.rounds; r++) {
      // The baseline first (also a warm-up): the same bytes, written at once by every instance.
      raw.push(
        await deliver(clients, async (marker) => {
          const sent = await Promise.all(children.map((c) => c.request<{ at: number }>('broadcast', { id: marker })));
          return Math.min(...sent.map((x) => x.at));
        }),
      );
      posts.push(
        await deliver(clients, async (marker) => (await leader.request<{ at: number }>('inject', { id: marker })).at),
      );
      await sleep(500);
    }
    for (const c of clients) await c.kill();
    for (const c of children) await c.kill();
    const spreadMs = median(posts.map((d) => d.spreadMs));
    const rawSpreadMs = median(raw.map((d) => d.spreadMs));
    const ratio = round(spreadMs / rawSpreadMs, 2);
    const missed = Math.max(...posts.map((d) => d.open - d.received));
    log(
      `  ${open} viewers over ${options.instances} instances (${held.join(', ')}); one post, first to last: ` +
        `${posts.map((d) => d.spreadMs).join(', ')} ms (asked of the source to last viewer ${posts.map((d) => d.askedToLastMs).join(', ')} ms, the poll comes within ${options.pollMs} ms); ` +
        `the same bytes written at once by the three hubs: ${raw.map((d) => d.spreadMs).join(', ')} ms; median ratio ${ratio}`,
    );
    log(`  memory per viewer (rss after GC): ${perViewer.map((b) => round(b / KiB, 1)).join(', ')} KiB`);
    const worst = Math.max(...perViewer);
    return {
      name: 'cluster',
      figures: { options, singlePolls, clusterPolls, open, held, posts, raw, spreadMs, rawSpreadMs, ratio, perViewer },
      targets: [
        atMost(
          `cluster: polls with ${options.instances} instances minus polls with one, over the same window`,
          Math.abs(clusterPolls - singlePolls),
          1,
        ),
        atLeast(`cluster: viewers held by the ${options.instances} instances`, open, options.viewers),
        atMost(`cluster: viewers that missed the post, worst round`, missed, 0),
        atMost(
          `cluster: one post to ${open} viewers over ${options.instances} instances, first to last, median (same bytes written at once: ${rawSpreadMs} ms)`,
          spreadMs,
          options.maxSpreadMs,
          'ms',
        ),
        atMost(
          `cluster: the same, over the same bytes written at once by the ${options.instances} hubs`,
          ratio,
          options.maxSpreadRatio,
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

/**
 * 7: Mastodon and Bluesky. The real server reads a fake Mastodon (stream live) and a fake Bluesky
 * (Jetstream live) through the real sources. (a) The same activity (posts pushed on both streams,
 * one backfill poll) with 1 viewer and one reader, then with 5,000 viewers and autocannon
 * hammering the snapshot: the calls the fakes receive must be the same. (b) With 10,000 viewers,
 * a post pushed on Mastodon's stream and one on Jetstream (hydrated through the AppView) reach the
 * last viewer within 1 s; a raw broadcast of the same viewers is the baseline.
 */
import { randomUUID } from 'node:crypto';
import { spawnChild } from './ipc.js';
import type { LoadResult } from './load.js';
import { atMost, round, type BenchOutcome, type TargetResult } from './report.js';

export interface NetworksOptions {
  viewers: number;
  deliveryViewers: number;
  windowMs: number;
  /** Posts pushed on each network's stream during the window. */
  pushes: number;
  maxDeliveryMs: number;
}

export const NETWORKS_DEFAULTS: NetworksOptions = {
  viewers: 5_000,
  deliveryViewers: 10_000,
  windowMs: 3_000,
  pushes: 4,
  maxDeliveryMs: 1_000,
};

interface Received {
  received: number;
  open: number;
  firstReceivedAt: number;
  lastReceivedAt: number;
}

export async function benchNetworks(
  options: NetworksOptions = NETWORKS_DEFAULTS,
  log = console.log,
): Promise<BenchOutcome> {
  const server = await spawnChild('networks-server.ts', 'networks-server', { raiseFileLimit: true, cpus: '0' });
  const clients = await spawnChild('sse-clients.ts', 'sse-clients', { raiseFileLimit: true, cpus: '1' });
  const load = await spawnChild('load.ts', 'load', { cpus: '1' });
  try {
    const { port, eventsPath, snapshotPath } = await server.request<{
      port: number;
      eventsPath: string;
      snapshotPath: string;
    }>('start', undefined, 60_000);
    type Activity = { calls: number; byEndpoint: Record<string, number>; viewers: number; live: boolean };
    const phase = async (viewers: number, connections: number, pipelining: number) => {
      await clients.request('open', { port, path: eventsPath, count: viewers }, 120_000);
      const loadRun = load.request<LoadResult>(
        'run',
        {
          url: `http://127.0.0.1:${port}${snapshotPath}`,
          connections,
          pipelining,
          headers: { 'accept-encoding': 'gzip, deflate, br' },
          durationS: Math.ceil(options.windowMs / 1000) + 1,
        },
        60_000,
      );
      const activity = await server.request<Activity>(
        'activity',
        { ms: options.windowMs, pushes: options.pushes },
        options.windowMs + 30_000,
      );
      const readers = await loadRun;
      log(
        `  ${activity.viewers} viewers, ${readers.total} snapshot reads: ${activity.calls} calls to the fakes (${JSON.stringify(activity.byEndpoint)}), streams live: ${activity.live}`,
      );
      return { ...activity, snapshotReads: readers.total };
    };
    // A warm-up first: the town's Bluesky login and the first reads happen once, not in a phase.
    await server.request('activity', { ms: options.windowMs, pushes: options.pushes }, options.windowMs + 30_000);
    const one = await phase(1, 1, 1);
    const many = await phase(options.viewers - 1, 100, 10);

    // Delivery to 10,000 viewers.
    await clients.request(
      'open',
      { port, path: eventsPath, count: options.deliveryViewers - options.viewers },
      120_000,
    );
    const held = await server.request<{ reached: boolean }>(
      'waitViewers',
      { count: options.deliveryViewers, timeoutMs: 15_000 },
      20_000,
    );
    if (!held.reached) throw new Error(`the server does not hold ${options.deliveryViewers} viewers`);
    const marker = randomUUID();
    await clients.request('arm', { marker });
    const raw = await server.request<{ wallAt: number }>(
      'broadcast',
      { frame: `event: bench\ndata: {"id":"${marker}"}\n\n` },
      30_000,
    );
    const rawGot = await clients.request<Received>('waitReceived', { timeoutMs: 10_000 }, 15_000);
    const rawLastMs = rawGot.lastReceivedAt - raw.wallAt;
    const delivered: Record<string, { lastMs: number; firstMs: number; received: number }> = {};
    for (const network of ['mastodon', 'bluesky'] as const) {
      // The id is known once published; the viewers look for the event's end of id, armed just before.
      const pushed = await server
        .request<{ wallAt: number; id: string }>('push', { network }, 30_000)
        .then(async (p) => {
          await clients.request('arm', { marker: `"${p.id}"` });
          return p;
        });
      const got = await clients.request<Received>('waitReceived', { timeoutMs: 10_000 }, 15_000);
      delivered[network] = {
        received: got.received,
        firstMs: got.firstReceivedAt - pushed.wallAt,
        lastMs: got.lastReceivedAt ? got.lastReceivedAt - pushed.wallAt : NaN,
      };
      log(
        `  ${network}: pushed post read by ${got.received} of ${got.open} viewers, the last after ${delivered[network].lastMs} ms (raw broadcast: ${rawLastMs} ms, ratio ${round(delivered[network].lastMs / rawLastMs, 2)})`,
      );
    }
    await server.request('close', undefined, 15_000).catch(() => undefined);
    const targets: TargetResult[] = [
      atMost(
        `networks: calls to Mastodon and Bluesky, |${many.viewers} viewers (${many.calls}) - 1 viewer (${one.calls})|`,
        Math.abs(many.calls - one.calls),
        1,
        'calls',
      ),
    ];
    for (const [network, d] of Object.entries(delivered)) {
      targets.push(
        atMost(
          `networks: a post pushed on ${network} reaches ${d.received} of ${options.deliveryViewers} viewers, push to last viewer (raw broadcast ${rawLastMs} ms)`,
          d.received === options.deliveryViewers ? d.lastMs : NaN,
          options.maxDeliveryMs,
          'ms',
        ),
      );
    }
    return { name: 'networks', figures: { options, one, many, rawLastMs, delivered }, targets };
  } finally {
    await load.kill();
    await clients.kill();
    await server.kill();
  }
}

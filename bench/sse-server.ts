/**
 * SSE benchmark, server side, in its own process (run with --expose-gc):
 *   mode "hub"      the real server (startServer, Hono routes, SseHub), demo feed of 50 posts;
 *   mode "baseline" a minimal node:http SSE server: same headers and opening frames,
 *                   the same Set of responses, an event encoded once and written to each.
 * It reports its own memory after GC, the viewers it holds, and the event-loop
 * time of one synchronous broadcast, over IPC.
 */
import { writeFileSync } from 'node:fs';
import http, { type ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { encodeEvent } from '../server/delivery/sse-hub.js';
import { BASELINE_SERVER_OPTIONS, FEED_ID, HOST, startBenchServer, type BenchServer } from './fixtures.js';
import { memoryAfterGc, serveIpc, sleep, waitUntil } from './ipc.js';

const mode = process.argv[2] === 'baseline' ? 'baseline' : 'hub';
let real: BenchServer | undefined;
let baseline: http.Server | undefined;
const baselineViewers = new Set<ServerResponse>();

function viewers(): number {
  return mode === 'hub' ? real!.delivery.hub.viewerCount : baselineViewers.size;
}

function broadcast(frame: Buffer): void {
  if (mode === 'hub') real!.delivery.hub.broadcastRaw(FEED_ID, frame);
  else for (const res of baselineViewers) if (!res.destroyed) res.write(frame);
}

/**
 * Baseline only, the change recommended for the hub: write to `slice` viewers,
 * then yield (setImmediate) so that the socket writes Node defers to
 * process.nextTick run per slice, and other requests are served in between.
 */
function broadcastSliced(frame: Buffer, slice: number): Promise<void> {
  const all = [...baselineViewers];
  return new Promise((resolve) => {
    let i = 0;
    const step = () => {
      const end = Math.min(all.length, i + slice);
      for (; i < end; i++) if (!all[i]!.destroyed) all[i]!.write(frame);
      if (i < all.length) setImmediate(step);
      else resolve();
    };
    step();
  });
}

async function startBaseline(): Promise<number> {
  // What the hub sends on subscribe, built with the same encoder.
  const headers = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'ETag',
  };
  const retry = Buffer.from('retry: 3000\n\n');
  const status = encodeEvent('status', { stale: false, updatedAt: new Date().toISOString() });
  baseline = http.createServer(BASELINE_SERVER_OPTIONS, (req, res) => {
    if (req.url !== `/api/feeds/${FEED_ID}/events`) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, headers);
    res.socket?.setNoDelay(true);
    res.write(retry);
    res.write(status);
    baselineViewers.add(res);
    res.socket?.once('close', () => baselineViewers.delete(res));
  });
  baseline.maxConnections = 40_000;
  await new Promise<void>((resolve) => baseline!.listen({ port: 0, host: HOST, backlog: 4096 }, resolve));
  return (baseline.address() as AddressInfo).port;
}

serveIpc({
  async start() {
    if (mode === 'hub') {
      real = await startBenchServer({ initialCount: 50, maxViewers: 20_000 });
      return {
        port: real.port,
        path: `/api/feeds/${FEED_ID}/events`,
        posts: real.delivery.snapshot(FEED_ID)!.posts.length,
      };
    }
    return { port: await startBaseline(), path: `/api/feeds/${FEED_ID}/events` };
  },
  memory: () => memoryAfterGc(),
  viewers: () => viewers(),
  /** Waits (bounded) until the server holds exactly `count` viewers. */
  async waitViewers({ count, timeoutMs }: { count: number; timeoutMs: number }) {
    const t0 = performance.now();
    const reached = await waitUntil(() => viewers() === count, timeoutMs, 10);
    return { reached, viewers: viewers(), ms: performance.now() - t0 };
  },
  /** One broadcast of `bytes` bytes to every viewer, timed on the event loop. */
  async broadcast({ frame, slice }: { frame: string; slice?: number }) {
    if (slice && mode !== 'baseline') throw new Error('sliced broadcasts are a baseline prototype');
    const bytes = Buffer.from(frame);
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    await sleep(100);
    // BENCH_PROFILE=dir: a CPU profile of the broadcast and the 400 ms after it.
    const profileDir = process.env.BENCH_PROFILE;
    const session = profileDir ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    }
    const elu0 = performance.eventLoopUtilization();
    const wallAt = Date.now();
    const t0 = performance.now();
    let syncMs: number;
    if (slice) {
      await broadcastSliced(bytes, slice);
      syncMs = NaN;
    } else {
      broadcast(bytes);
      syncMs = performance.now() - t0;
    }
    // Let the writes complete (after-write callbacks run on later ticks).
    await sleep(400);
    const elu = performance.eventLoopUtilization(elu0);
    histogram.disable();
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`${profileDir}/broadcast-${mode}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    }
    return {
      viewers: viewers(),
      bytes: bytes.length,
      syncMs,
      slice: slice ?? null,
      wallAt,
      /** Event-loop busy time over the 400 ms that follow, including the synchronous part. */
      eluActiveMs: elu.active,
      eluWindowMs: elu.idle + elu.active,
      maxLoopDelayMs: histogram.max / 1e6,
    };
  },
  /** Hides a post through the organisers' service (hub mode): what 10,000 viewers then receive is its `remove` event. */
  async hide({ postId }: { postId: string }) {
    if (!real) throw new Error('hiding a post needs the real server (mode hub)');
    // As for a broadcast: let the loop settle first.
    await sleep(100);
    const wallAt = Date.now();
    const t0 = performance.now();
    const result = real.moderation.decide(FEED_ID, postId, 'hide', { username: 'bench', role: 'moderator' }, 'bench');
    return { wallAt, syncMs: performance.now() - t0, visibility: result.item.visibility };
  },
  async close() {
    await real?.dispose();
    if (baseline) {
      for (const res of baselineViewers) res.destroy();
      baseline.closeAllConnections();
      await new Promise<void>((resolve) => baseline!.close(() => resolve()));
    }
    setImmediate(() => process.exit(0));
    return true;
  },
});

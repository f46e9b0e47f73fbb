/**
 * 3: 10,000 concurrent SSE viewers on one process. The server (real hub, then
 * a minimal node:http SSE server as the baseline) runs in its own process and
 * reports its memory after GC; the viewers are raw sockets in another process.
 * Then one 500-byte broadcast, timed on the server's event loop; then the
 * viewers' process is killed with SIGKILL (10,000 abrupt disconnects).
 */
import { randomUUID } from 'node:crypto';
import { spawnChild, type Memory } from './ipc.js';
import { atLeast, atMost, KiB, round, type BenchOutcome, type TargetResult } from './report.js';

export interface SseOptions {
  viewers: number;
  frameBytes: number;
  maxKiBPerViewer: number;
  maxBroadcastMs: number;
  maxHeapRegrowth: number;
}

export const SSE_DEFAULTS: SseOptions = {
  viewers: 10_000,
  frameBytes: 500,
  maxKiBPerViewer: 16,
  maxBroadcastMs: 50,
  maxHeapRegrowth: 0.1,
};

interface BroadcastResult {
  viewers: number;
  bytes: number;
  syncMs: number;
  wallAt: number;
  eluActiveMs: number;
  eluWindowMs: number;
  maxLoopDelayMs: number;
}

function frame(marker: string, bytes: number): string {
  const head = `event: bench\ndata: {"marker":"${marker}","pad":"`;
  const tail = '"}\n\n';
  return head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
}

export interface SseRun {
  mode: 'hub' | 'baseline';
  viewers: number;
  openMs: number;
  before: Memory;
  withViewers: Memory;
  after: Memory;
  rssPerViewerKiB: number;
  heapPerViewerKiB: number;
  externalPerViewerKiB: number;
  broadcast: BroadcastResult & { received: number; deliveredMs: number };
  drain: { reached: boolean; viewers: number; ms: number };
  /** Baseline only: the same broadcast written in slices (the change recommended for the hub). */
  sliced?: { slice: number; eluActiveMs: number; maxLoopDelayMs: number; received: number; deliveredMs: number };
  heapRegrowth: number;
}

async function runMode(mode: 'hub' | 'baseline', options: SseOptions, log: (s: string) => void): Promise<SseRun> {
  const server = await spawnChild('sse-server.ts', `sse-server(${mode})`, {
    nodeArgs: ['--expose-gc'],
    args: [mode],
    raiseFileLimit: true,
    cpus: '0',
  });
  const clients = await spawnChild('sse-clients.ts', 'sse-clients', { raiseFileLimit: true, cpus: '1' });
  try {
    const { port, path } = await server.request<{ port: number; path: string }>('start', undefined, 60_000);
    // Warm-up: subscribe/close are compiled, and node:http's pool of 1,000 parsers is full,
    // before the "before" figure (otherwise the pool's growth reads as a leak).
    await clients.request('open', { port, path, count: 1_000 }, 60_000);
    await server.request('waitViewers', { count: 1_000, timeoutMs: 10_000 }, 15_000);
    await clients.request('destroyAll');
    await server.request('waitViewers', { count: 0, timeoutMs: 10_000 }, 15_000);

    const before = await server.request<Memory>('memory');
    const opened = await clients.request<{ open: number; failed: number; ms: number }>(
      'open',
      { port, path, count: options.viewers },
      120_000,
    );
    if (opened.open !== options.viewers)
      throw new Error(`${mode}: only ${opened.open} of ${options.viewers} viewers connected (${opened.failed} failed)`);
    const held = await server.request<{ reached: boolean; viewers: number }>(
      'waitViewers',
      { count: options.viewers, timeoutMs: 10_000 },
      15_000,
    );
    if (!held.reached) throw new Error(`${mode}: the server holds ${held.viewers} viewers, not ${options.viewers}`);
    const withViewers = await server.request<Memory>('memory');

    const marker = randomUUID();
    await clients.request('arm', { marker });
    const b = await server.request<BroadcastResult>('broadcast', { frame: frame(marker, options.frameBytes) }, 30_000);
    const rec = await clients.request<{ received: number; open: number; lastReceivedAt: number }>(
      'waitReceived',
      { timeoutMs: 10_000 },
      15_000,
    );
    let sliced: SseRun['sliced'];
    if (mode === 'baseline') {
      // The recommended change, tried on the baseline: the same broadcast in slices of 250 viewers.
      const marker2 = randomUUID();
      await clients.request('arm', { marker: marker2 });
      const s = await server.request<BroadcastResult>(
        'broadcast',
        { frame: frame(marker2, options.frameBytes), slice: 250 },
        30_000,
      );
      const rec2 = await clients.request<{ received: number; lastReceivedAt: number }>(
        'waitReceived',
        { timeoutMs: 10_000 },
        15_000,
      );
      sliced = {
        slice: 250,
        eluActiveMs: round(s.eluActiveMs, 2),
        maxLoopDelayMs: round(s.maxLoopDelayMs, 2),
        received: rec2.received,
        deliveredMs: rec2.lastReceivedAt - s.wallAt,
      };
    }

    // 10,000 abrupt disconnects: the viewers' process dies without closing anything itself.
    await clients.kill('SIGKILL');
    const drain = await server.request<{ reached: boolean; viewers: number; ms: number }>(
      'waitViewers',
      { count: 0, timeoutMs: 20_000 },
      25_000,
    );
    const after = await server.request<Memory>('memory');
    await server.request('close', undefined, 15_000).catch(() => undefined);

    const n = options.viewers;
    const run: SseRun = {
      mode,
      viewers: n,
      openMs: round(opened.ms, 0),
      before,
      withViewers,
      after,
      rssPerViewerKiB: round((withViewers.rss - before.rss) / n / KiB, 2),
      heapPerViewerKiB: round((withViewers.heapUsed - before.heapUsed) / n / KiB, 2),
      externalPerViewerKiB: round((withViewers.external - before.external) / n / KiB, 2),
      broadcast: {
        ...b,
        syncMs: round(b.syncMs, 2),
        eluActiveMs: round(b.eluActiveMs, 2),
        maxLoopDelayMs: round(b.maxLoopDelayMs, 2),
        received: rec.received,
        deliveredMs: rec.lastReceivedAt ? rec.lastReceivedAt - b.wallAt : NaN,
      },
      drain: { ...drain, ms: round(drain.ms, 0) },
      heapRegrowth: round((after.heapUsed - before.heapUsed) / before.heapUsed, 4),
      sliced,
    };
    log(
      `  ${mode}: ${n} viewers in ${run.openMs} ms; rss ${run.rssPerViewerKiB} KiB/viewer, heap ${run.heapPerViewerKiB} KiB/viewer, external ${run.externalPerViewerKiB} KiB/viewer; ` +
        `broadcast ${b.bytes} B: sync ${run.broadcast.syncMs} ms, loop busy ${run.broadcast.eluActiveMs} ms, max loop delay ${run.broadcast.maxLoopDelayMs} ms, ` +
        `received by ${rec.received} in ${run.broadcast.deliveredMs} ms; after SIGKILL: ${drain.viewers} viewers in ${run.drain.ms} ms, heap ${round(before.heapUsed / 2 ** 20, 1)} -> ${round(after.heapUsed / 2 ** 20, 1)} MiB`,
    );
    if (sliced) {
      log(
        `  ${mode}, same broadcast in slices of ${sliced.slice} viewers with setImmediate between (the fix proposed for the hub): loop busy ${sliced.eluActiveMs} ms, max loop delay ${sliced.maxLoopDelayMs} ms, received by ${sliced.received} in ${sliced.deliveredMs} ms`,
      );
    }
    return run;
  } finally {
    await clients.kill();
    await server.kill();
  }
}

export async function benchSse(options: SseOptions = SSE_DEFAULTS, log = console.log): Promise<BenchOutcome> {
  const baseline = await runMode('baseline', options, log);
  const hub = await runMode('hub', options, log);
  const n = options.viewers;
  const ratio = round(hub.rssPerViewerKiB / baseline.rssPerViewerKiB, 2);
  log(
    `  memory per viewer, hub / node:http: ${ratio} (rss), ${round(hub.heapPerViewerKiB / baseline.heapPerViewerKiB, 2)} (heap)`,
  );
  const targets: TargetResult[] = [
    atMost(
      `SSE: rss per viewer, ${n} viewers (node:http: ${baseline.rssPerViewerKiB} KiB)`,
      hub.rssPerViewerKiB,
      options.maxKiBPerViewer,
      'KiB',
    ),
    atMost(
      `SSE: heap per viewer, ${n} viewers (node:http: ${baseline.heapPerViewerKiB} KiB)`,
      hub.heapPerViewerKiB,
      options.maxKiBPerViewer,
      'KiB',
    ),
    atMost(
      `SSE: one ${options.frameBytes} B broadcast to ${n}, synchronous part (node:http ${baseline.broadcast.syncMs} ms)`,
      hub.broadcast.syncMs,
      options.maxBroadcastMs,
      'ms',
    ),
    atMost(
      `SSE: same broadcast, longest event-loop block incl. the deferred socket writes (node:http ${baseline.broadcast.maxLoopDelayMs} ms)`,
      round(Math.max(hub.broadcast.syncMs, hub.broadcast.maxLoopDelayMs), 1),
      options.maxBroadcastMs,
      'ms',
    ),
    atLeast(`SSE: viewers that received the broadcast`, hub.broadcast.received, n),
    atMost(`SSE: viewers left ${hub.drain.ms} ms after ${n} abrupt disconnects`, hub.drain.viewers, 0),
    atMost(`SSE: heap after disconnects vs before (after GC), growth`, hub.heapRegrowth, options.maxHeapRegrowth),
  ];
  return { name: 'sse', figures: { options, hub, baseline, rssRatio: ratio }, targets };
}

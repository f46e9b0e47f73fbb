/**
 * 6: one moderation decision reaches 10,000 live viewers. The real server (startServer, the demo
 * feed of 50 posts) holds 10,000 SSE viewers (raw sockets in another process); an organiser hides
 * a post through `ModerationService.decide` (one transaction: decision, visibility, audit log;
 * then the snapshot is rebuilt and the `remove` event broadcast). Measured: from the decision to
 * the first and to the last viewer that read the event; target: the last one within 1 s. For
 * comparison (and as a warm-up), the same viewers first get a raw broadcast of the same size
 * (`hub.broadcastRaw`).
 */
import { randomUUID } from 'node:crypto';
import { spawnChild } from './ipc.js';
import { atLeast, atMost, round, type BenchOutcome } from './report.js';

export interface ModerationOptions {
  viewers: number;
  /** The post hidden: the newest of the demo feed's 50. */
  postId: string;
  maxDeliveryMs: number;
}

export const MODERATION_DEFAULTS: ModerationOptions = { viewers: 10_000, postId: 'demo-49', maxDeliveryMs: 1_000 };

interface Received {
  received: number;
  open: number;
  firstReceivedAt: number;
  lastReceivedAt: number;
}

export async function benchModeration(
  options: ModerationOptions = MODERATION_DEFAULTS,
  log = console.log,
): Promise<BenchOutcome> {
  const server = await spawnChild('sse-server.ts', 'sse-server(hub)', {
    nodeArgs: ['--expose-gc'],
    args: ['hub'],
    raiseFileLimit: true,
    cpus: '0',
  });
  const clients = await spawnChild('sse-clients.ts', 'sse-clients', { raiseFileLimit: true, cpus: '1' });
  try {
    const { port, path } = await server.request<{ port: number; path: string }>('start', undefined, 60_000);
    const opened = await clients.request<{ open: number; failed: number }>(
      'open',
      { port, path, count: options.viewers },
      120_000,
    );
    if (opened.open !== options.viewers)
      throw new Error(`only ${opened.open} of ${options.viewers} viewers connected (${opened.failed} failed)`);
    const held = await server.request<{ reached: boolean }>(
      'waitViewers',
      { count: options.viewers, timeoutMs: 10_000 },
      15_000,
    );
    if (!held.reached) throw new Error(`the server does not hold ${options.viewers} viewers`);

    // The same viewers, a raw broadcast of about the same size first: the baseline, and a warm-up.
    const marker = randomUUID();
    await clients.request('arm', { marker });
    const raw = await server.request<{ wallAt: number; syncMs: number }>(
      'broadcast',
      { frame: `event: bench\ndata: {"id":"${marker}"}\n\n` },
      30_000,
    );
    const rawGot = await clients.request<Received>('waitReceived', { timeoutMs: 10_000 }, 15_000);
    const rawLastMs = rawGot.lastReceivedAt ? rawGot.lastReceivedAt - raw.wallAt : NaN;

    // The event as the hub writes it: `remove` with the post's id.
    await clients.request('arm', { marker: `data: {"id":"${options.postId}"}\n` });
    const hide = await server.request<{ wallAt: number; syncMs: number; visibility: string }>(
      'hide',
      { postId: options.postId },
      30_000,
    );
    const got = await clients.request<Received>('waitReceived', { timeoutMs: 10_000 }, 15_000);
    const firstMs = got.firstReceivedAt ? got.firstReceivedAt - hide.wallAt : NaN;
    const lastMs = got.lastReceivedAt ? got.lastReceivedAt - hide.wallAt : NaN;

    log(
      `  hide through ModerationService: ${round(hide.syncMs, 2)} ms synchronous (decision, visibility, audit, snapshot, queue of the broadcast); ` +
        `remove event read by ${got.received} of ${got.open} viewers, the first after ${firstMs} ms, the last after ${lastMs} ms; ` +
        `raw broadcast of the same size: last viewer after ${rawLastMs} ms (ratio ${round(lastMs / rawLastMs, 2)})`,
    );
    return {
      name: 'moderation',
      figures: { options, hide, received: got, firstMs, lastMs, rawLastMs, ratioToRaw: round(lastMs / rawLastMs, 2) },
      targets: [
        atLeast(`moderation: viewers that got the remove event of a hidden post`, got.received, options.viewers),
        atMost(
          `moderation: one hide reaches ${options.viewers} viewers, decision to last viewer (first after ${firstMs} ms; raw broadcast ${rawLastMs} ms)`,
          lastMs,
          options.maxDeliveryMs,
          'ms',
        ),
      ],
    };
  } finally {
    await clients.kill();
    await server.kill();
  }
}

/**
 * Poll benchmark, server side: the real server whose only source counts its
 * polls. The source is the demo replay (one realistic new post per poll),
 * paced on a fixed 100 ms grid from its start (so that a late timer does not
 * push every later poll back); one poll in 10 brings a new post, which is
 * broadcast to every viewer and changes the snapshot. Visitors never reach a source: the count over a
 * window must not depend on how many viewers and readers there are.
 */
import { performance } from 'node:perf_hooks';
import { createDemoSource } from '../server/sources/demo/demo-source.js';
import type { Source } from '../server/sources/source.js';
import { FEED_ID, PUBLIC_URL, startBenchServer, type BenchServer } from './fixtures.js';
import { serveIpc, sleep } from './ipc.js';

const paceMs = Number(process.argv[2] ?? 100);
/** One poll in `postEvery` brings a new post; the others find nothing new (a quiet hashtag). */
const postEvery = Number(process.argv[3] ?? 10);
let polls = 0;
/** Slot of the grid the next poll is due at. */
let slot = 0;
/** How late each poll ran after its slot (ms). */
let lateness: number[] = [];
let real: BenchServer | undefined;

serveIpc({
  async start() {
    const startedAt = Date.now();
    real = await startBenchServer({
      startEngines: true,
      source: (context): Source => {
        const demo = createDemoSource(context, { publicUrl: PUBLIC_URL, paceMs, initialCount: 50 });
        return {
          kind: 'demo',
          async poll(cursor, signal) {
            polls++;
            const elapsed = Date.now() - startedAt;
            if (polls > 1) lateness.push(elapsed - slot * paceMs);
            const fresh = polls === 1 || polls % postEvery === 0;
            const result = fresh
              ? await demo.poll(cursor, signal)
              : { posts: [], removals: [], cursor, nextPollInMs: paceMs };
            // The next slot of the grid: a late poll does not push the later ones back.
            slot++;
            return { ...result, nextPollInMs: Math.max(0, slot * paceMs - (Date.now() - startedAt)) };
          },
        };
      },
    });
    return { port: real.port, snapshotPath: `/api/feeds/${FEED_ID}`, eventsPath: `/api/feeds/${FEED_ID}/events` };
  },
  /** Polls counted over the next `ms` milliseconds. */
  async measure({ ms }: { ms: number }) {
    const p0 = polls;
    lateness = [];
    const t0 = performance.now();
    await sleep(ms);
    const late = lateness;
    return {
      polls: polls - p0,
      meanLateMs: late.reduce((a, b) => a + b, 0) / Math.max(1, late.length),
      maxLateMs: Math.max(0, ...late),
      elapsedMs: performance.now() - t0,
      viewers: real!.delivery.hub.viewerCount,
      revision: real!.delivery.snapshot(FEED_ID)!.revision,
    };
  },
  async close() {
    await real?.dispose();
    setImmediate(() => process.exit(0));
    return true;
  },
});

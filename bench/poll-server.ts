/**
 * Poll benchmark, server side: the real server whose only source counts its
 * polls. The feed is the demo replay paced at `paceMs`, so the engine polls it
 * every `paceMs` on its own schedule (a grid: a late timer does not push the
 * later polls back); one poll in `postEvery` asks the replay, which then brings
 * one realistic new post, broadcast to every viewer and changing the snapshot.
 * Visitors never reach a source: the count over a window must not depend on how
 * many viewers and readers there are.
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
/** How late each poll ran after the time the engine had it due (ms). */
let lateness: number[] = [];
let real: BenchServer | undefined;

serveIpc({
  async start() {
    real = await startBenchServer({
      startEngines: true,
      feed: { paceSeconds: paceMs / 1000 },
      source: (context): Source => {
        // Asked one poll in `postEvery`, the replay paced that much slower brings one post each time.
        const demo = createDemoSource(context, { publicUrl: PUBLIC_URL, paceMs: paceMs * postEvery, initialCount: 50 });
        return {
          kind: 'demo',
          async poll(cursor, signal) {
            // Until this poll ends, the engine's next poll is this one.
            const due = real?.engines.get(FEED_ID)?.health()[0]?.nextPollAt;
            if (due) lateness.push(Date.now() - Date.parse(due));
            polls++;
            const fresh = polls === 1 || polls % postEvery === 0;
            return fresh ? demo.poll(cursor, signal) : { posts: [], removals: [], cursor };
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

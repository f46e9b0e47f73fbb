/** The real server as the benchmarks start it: a temporary store, a quiet logger, a realistic feed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config, FeedConfig } from '../server/config.js';
import type { ServerOptions } from 'node:http';
import { createLogger } from '../server/log.js';
import { DEFAULT_TIMEOUTS, timeoutOptions } from '../server/http/node-server.js';
import { startServer, type RunningServer } from '../server/server.js';
import type { ServerDeps } from '../server/services.js';
import { createDemoSource } from '../server/sources/demo/demo-source.js';
import type { Source, SourceContext } from '../server/sources/source.js';
import { testFeed } from '../test/helpers/config.js';

export const FEED_ID = 'saint-etienne';
export const HOST = '127.0.0.1';
/** Where the demo's permalinks and media point (any absolute URL will do). */
export const PUBLIC_URL = 'https://www.saint-etienne.fr/fete-du-livre';

/** Warnings and errors only: a log line per request would measure the terminal. */
export const quietLog = createLogger({ bench: true }, (line) => process.stderr.write(line + '\n'), true);

/** The baselines' `node:http` servers get the real server's timeouts and checks. */
export const BASELINE_SERVER_OPTIONS: ServerOptions = timeoutOptions(DEFAULT_TIMEOUTS);

export interface BenchServer extends RunningServer {
  feed: FeedConfig;
  dispose(): Promise<void>;
}

/**
 * Starts the real server (startServer) on 127.0.0.1 with one feed. By default
 * the feed is the demo replay with `initialCount` posts released by one poll,
 * and no later poll during the benchmark (the snapshot stays the same bytes).
 */
export async function startBenchServer(
  options: {
    initialCount?: number;
    source?: (context: SourceContext) => Source;
    /** Settings of the feed beyond the default demo feed's (e.g. its `paceSeconds`). */
    feed?: Record<string, unknown>;
    startEngines?: boolean;
    maxViewers?: number;
    hub?: ServerDeps['hub'];
  } = {},
): Promise<BenchServer> {
  // Under run.ts's own temporary directory, which it removes at the end even if a child was killed.
  const dataDir = mkdtempSync(path.join(process.env.BENCH_TMPDIR ?? tmpdir(), 'commune-feed-bench-'));
  const feed = testFeed({ id: FEED_ID, ...options.feed });
  const maxViewers = options.maxViewers ?? 20_000;
  const config: Config = {
    port: 0,
    host: HOST,
    dataDir,
    publicUrl: PUBLIC_URL,
    feeds: [feed],
    x: {},
    maxViewers,
    // Every viewer of the benchmarks comes from 127.0.0.1: the per-address cap must not count.
    maxViewersPerAddress: maxViewers,
    maxConnections: 2 * maxViewers,
    trustProxy: 0,
    logFormat: 'text',
    retentionDays: 3650,
    snapshotSize: 100,
    archiveRetentionDays: 3650,
    archiveSize: 200,
    timeZone: 'Europe/Paris',
  };
  const initialCount = options.initialCount ?? 80;
  const makeSource =
    options.source ??
    ((context: SourceContext) =>
      // One poll releases `initialCount` posts; the next one would be due in an hour.
      createDemoSource(context, { publicUrl: PUBLIC_URL, paceMs: 3_600_000, initialCount }));
  const running = await startServer(config, {
    log: quietLog,
    sourceFor: (_feed, context) => makeSource(context),
    startEngines: options.startEngines ?? false,
    hub: options.hub,
  });
  if (!(options.startEngines ?? false)) await running.engines.get(FEED_ID)!.pollNow();
  return {
    ...running,
    feed,
    async dispose() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

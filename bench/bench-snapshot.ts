/**
 * 1 and 2: cached snapshot requests per second, real server vs a minimal
 * node:http server answering the same bytes and headers, for 200 (identity
 * and gzip) and 304 (If-None-Match). Server process pinned to CPU 0, autocannon
 * in another process pinned to CPU 1; runs alternate A B A B after a warm-up.
 */
import { spawnChild } from './ipc.js';
import type { LoadArgs, LoadResult } from './load.js';
import { atLeast, median, round, type BenchOutcome, type TargetResult } from './report.js';

export interface SnapshotOptions {
  durationS: number;
  warmupS: number;
  rounds: number;
  connections: number;
  pipelining: number;
  minRatio: number;
  /** The server-side script (a prototype of a server change can stand in for the real server). */
  serverScript?: string;
  /** Scenario keys to run (default: all). */
  only?: string[];
}

export const SNAPSHOT_DEFAULTS: SnapshotOptions = {
  durationS: 4,
  warmupS: 1,
  rounds: 3,
  connections: 100,
  pipelining: 10,
  minRatio: 0.85,
};

interface Meter {
  cpuMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

type Measured = LoadResult & { cpuUsPerRequest: number; loopDelayP99Ms: number };

interface Started {
  realUrl: string;
  baselineUrl: string;
  etags: { identity: string; gzip: string };
  bytes: { identity: number; gzip: number };
  posts: number;
  identical: Record<string, boolean>;
  head: string;
}

export async function benchSnapshot(
  options: SnapshotOptions = SNAPSHOT_DEFAULTS,
  log = console.log,
): Promise<BenchOutcome> {
  const server = await spawnChild(options.serverScript ?? 'http-server.ts', 'http-server', { cpus: '0' });
  const load = await spawnChild('load.ts', 'load', { cpus: '1' });
  try {
    const info = await server.request<Started>('start', undefined, 60_000);
    log(
      `  snapshot: ${info.posts} posts, ${info.bytes.identity} B identity, ${info.bytes.gzip} B gzip; same bytes and headers as the real server: ${JSON.stringify(info.identical)}`,
    );
    const scenarios = [
      { key: 'identity', label: 'snapshot 200 identity', headers: {} as Record<string, string>, expect: '2xx' },
      { key: 'gzip', label: 'snapshot 200 gzip', headers: { 'accept-encoding': 'gzip' }, expect: '2xx' },
      {
        key: 'notModified',
        label: 'snapshot 304 If-None-Match',
        headers: { 'if-none-match': info.etags.identity },
        expect: '3xx',
      },
    ] as const;
    const figures: Record<string, unknown> = {
      posts: info.posts,
      bytes: info.bytes,
      sameBytesAndHeaders: info.identical,
      options,
    };
    const targets: TargetResult[] = [];
    const run = (url: string, headers: Record<string, string>, durationS: number) =>
      load.request<LoadResult>(
        'run',
        {
          url,
          headers,
          durationS,
          connections: options.connections,
          pipelining: options.pipelining,
        } satisfies LoadArgs,
        (durationS + 30) * 1000,
      );
    /** A measured run: req/s from autocannon, CPU time and loop delay from the server process. */
    const measured = async (url: string, headers: Record<string, string>) => {
      await server.request('meterStart');
      const r = await run(url, headers, options.durationS);
      const m = await server.request<Meter>('meterStop');
      return { ...r, cpuUsPerRequest: (m.cpuMs * 1000) / r.total, loopDelayP99Ms: m.loopDelayP99Ms };
    };

    for (const s of scenarios) {
      if (options.only && !options.only.includes(s.key)) continue;
      await run(info.realUrl, s.headers, options.warmupS);
      await run(info.baselineUrl, s.headers, options.warmupS);
      const realRuns: Measured[] = [];
      const baseRuns: Measured[] = [];
      for (let i = 0; i < options.rounds; i++) {
        realRuns.push(await measured(info.realUrl, s.headers));
        baseRuns.push(await measured(info.baselineUrl, s.headers));
      }
      const bad = [...realRuns, ...baseRuns].find(
        (r) => r.errors || r.timeouts || r.other || (s.expect === '2xx' ? r.s3xx : r.s2xx),
      );
      if (bad) throw new Error(`${s.label}: unexpected answers ${JSON.stringify(bad)}`);
      const best = (rs: Measured[]) => Math.max(...rs.map((r) => r.rps));
      const ratioBest = best(realRuns) / best(baseRuns);
      const ratioMedian = median(realRuns.map((r) => r.rps)) / median(baseRuns.map((r) => r.rps));
      figures[s.key] = {
        realRps: realRuns.map((r) => round(r.rps, 0)),
        baselineRps: baseRuns.map((r) => round(r.rps, 0)),
        realP99Ms: realRuns.map((r) => r.latencyP99),
        baselineP99Ms: baseRuns.map((r) => r.latencyP99),
        ratioBest: round(ratioBest, 3),
        ratioMedian: round(ratioMedian, 3),
        realCpuUsPerRequest: round(median(realRuns.map((r) => r.cpuUsPerRequest)), 1),
        baselineCpuUsPerRequest: round(median(baseRuns.map((r) => r.cpuUsPerRequest)), 1),
        realLoopDelayP99Ms: realRuns.map((r) => round(r.loopDelayP99Ms, 1)),
        baselineLoopDelayP99Ms: baseRuns.map((r) => round(r.loopDelayP99Ms, 1)),
      };
      log(
        `  ${s.label}: real ${realRuns.map((r) => round(r.rps, 0)).join(', ')} req/s; node:http ${baseRuns.map((r) => round(r.rps, 0)).join(', ')} req/s; ratio best ${round(ratioBest, 3)}, median ${round(ratioMedian, 3)}; ` +
          `server CPU per request ${median(realRuns.map((r) => r.cpuUsPerRequest)).toFixed(1)} µs vs ${median(baseRuns.map((r) => r.cpuUsPerRequest)).toFixed(1)} µs; ` +
          `loop delay p99 ${realRuns.map((r) => r.loopDelayP99Ms.toFixed(0)).join('/')} ms vs ${baseRuns.map((r) => r.loopDelayP99Ms.toFixed(0)).join('/')} ms`,
      );
      targets.push(
        atLeast(
          `${s.label}: real / node:http req/s (best of ${options.rounds})`,
          round(ratioBest, 3),
          options.minRatio,
        ),
      );
      // On 2 cores autocannon (one core) may not saturate the server (the other): the server's CPU
      // time per request is the figure the load generator cannot hide. Capacity = 1 / CPU per request.
      const capacity = median(baseRuns.map((r) => r.cpuUsPerRequest)) / median(realRuns.map((r) => r.cpuUsPerRequest));
      (figures[s.key] as Record<string, unknown>).capacityRatio = round(capacity, 3);
      targets.push(
        atLeast(
          `${s.label}: real / node:http capacity (server CPU per request, median)`,
          round(capacity, 3),
          options.minRatio,
        ),
      );
    }
    await server.request('close', undefined, 15_000).catch(() => undefined);
    return { name: 'snapshot', figures, targets };
  } finally {
    await load.kill();
    await server.kill();
  }
}

/**
 * The load generator, in its own process (the machine has 2 cores: the server
 * under test gets one, autocannon the other). Driven by run.ts over IPC.
 */
import autocannon from 'autocannon';
import { serveIpc } from './ipc.js';

export interface LoadArgs {
  url: string;
  connections: number;
  pipelining: number;
  durationS: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  rps: number;
  total: number;
  durationS: number;
  errors: number;
  timeouts: number;
  s2xx: number;
  s3xx: number;
  other: number;
  latencyP50: number;
  latencyP99: number;
  bytesPerSec: number;
}

serveIpc({
  async run(args: LoadArgs): Promise<LoadResult> {
    const r = await autocannon({
      url: args.url,
      connections: args.connections,
      pipelining: args.pipelining,
      duration: args.durationS,
      headers: args.headers ?? {},
      timeout: 10,
    });
    const total = r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
    return {
      rps: total / r.duration,
      total,
      durationS: r.duration,
      errors: r.errors,
      timeouts: r.timeouts,
      s2xx: r['2xx'],
      s3xx: r['3xx'],
      other: r['4xx'] + r['5xx'],
      latencyP50: r.latency.p50,
      latencyP99: r.latency.p99,
      bytesPerSec: r.throughput.mean,
    };
  },
});

/**
 * Snapshot benchmark, server side: in one process, the real server (startServer,
 * Hono on @hono/node-server, the demo feed with 80 posts) and a minimal
 * node:http server that answers the very same bytes and headers. Only one of
 * them is under load at a time; the load comes from load.ts, in another process.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { BASELINE_SERVER_OPTIONS, FEED_ID, HOST, startBenchServer, type BenchServer } from './fixtures.js';
import { serveIpc } from './ipc.js';

const PATH = `/api/feeds/${FEED_ID}`;

interface RawResponse {
  status: number;
  /** Header lines in wire order, without Date/Connection/Keep-Alive (Node adds those itself). */
  headers: [string, string][];
  head: string;
  body: Buffer;
}

/** One request on a fresh raw socket; returns the response exactly as it came. */
function rawGet(port: number, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, HOST);
    const timer = setTimeout(() => socket.destroy(new Error('raw request timed out')), 5_000);
    const chunks: Buffer[] = [];
    let total = 0;
    const lines = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`GET ${PATH} HTTP/1.1\r\nHost: ${HOST}:${port}\r\n${lines}\r\n`);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      total += chunk.length;
      const all = Buffer.concat(chunks, total);
      const end = all.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = all.subarray(0, end).toString('latin1');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const status = Number(statusLine!.split(' ')[1]);
      const parsed = headerLines.map(
        (l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as [string, string],
      );
      const length = status === 304 ? 0 : Number(parsed.find(([k]) => k === 'content-length')?.[1] ?? 0);
      if (all.length < end + 4 + length) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({
        status,
        headers: parsed.filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)),
        head: head.replace(/\r\nDate: [^\r]*/i, ''),
        body: all.subarray(end + 4, end + 4 + length),
      });
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

interface Variant {
  etag: string;
  ok: RawResponse;
  notModified: RawResponse;
}

let real: BenchServer | undefined;
let baseline: http.Server | undefined;

function toHeaderObject(pairs: [string, string][]): Record<string, string> {
  return Object.fromEntries(pairs);
}

let meter: { histogram: IntervalHistogram; cpu: NodeJS.CpuUsage } | undefined;

serveIpc({
  /** Starts counting this process's CPU time and event-loop delay (around one load run). */
  meterStart() {
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    meter = { histogram, cpu: process.cpuUsage() };
    return true;
  },
  meterStop() {
    if (!meter) throw new Error('meterStart first');
    const cpu = process.cpuUsage(meter.cpu);
    meter.histogram.disable();
    const result = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      loopDelayP99Ms: meter.histogram.percentile(99) / 1e6,
      loopDelayMaxMs: meter.histogram.max / 1e6,
    };
    meter = undefined;
    return result;
  },
  async start() {
    real = await startBenchServer({ initialCount: 80 });
    const variants: Record<'identity' | 'gzip', Variant> = {} as never;
    for (const [name, accept] of [
      ['identity', {}],
      ['gzip', { 'accept-encoding': 'gzip' }],
    ] as const) {
      const ok = await rawGet(real.port, accept);
      const etag = ok.headers.find(([k]) => k === 'etag')![1];
      const notModified = await rawGet(real.port, { ...accept, 'if-none-match': etag });
      if (ok.status !== 200 || notModified.status !== 304)
        throw new Error(`unexpected statuses ${ok.status}/${notModified.status}`);
      variants[name] = { etag, ok, notModified };
    }
    // The minimal server: the same status, header lines (same order) and body bytes.
    const answers = Object.fromEntries(
      Object.entries(variants).map(([name, v]) => [
        name,
        {
          etag: v.etag,
          okHeaders: toHeaderObject(v.ok.headers),
          body: v.ok.body,
          notModifiedHeaders: toHeaderObject(v.notModified.headers),
        },
      ]),
    ) as Record<
      'identity' | 'gzip',
      { etag: string; okHeaders: Record<string, string>; body: Buffer; notModifiedHeaders: Record<string, string> }
    >;
    baseline = http.createServer(BASELINE_SERVER_OPTIONS, (req, res) => {
      if (req.url !== PATH) {
        res.writeHead(404).end();
        return;
      }
      const a = (req.headers['accept-encoding'] ?? '').includes('gzip') ? answers.gzip : answers.identity;
      if (req.headers['if-none-match'] === a.etag) {
        res.writeHead(304, a.notModifiedHeaders);
        res.end();
        return;
      }
      res.writeHead(200, a.okHeaders);
      res.end(a.body);
    });
    await new Promise<void>((resolve) => baseline!.listen(0, HOST, resolve));
    const basePort = (baseline.address() as AddressInfo).port;

    // Check that both answer byte-for-byte the same (apart from the Date line).
    const identical: Record<string, boolean> = {};
    for (const [name, accept] of [
      ['identity', {}],
      ['gzip', { 'accept-encoding': 'gzip' }],
    ] as const) {
      const v = variants[name];
      const b200 = await rawGet(basePort, accept);
      const b304 = await rawGet(basePort, { ...accept, 'if-none-match': v.etag });
      identical[`${name} 200`] = b200.head === v.ok.head && b200.body.equals(v.ok.body);
      identical[`${name} 304`] = b304.head === v.notModified.head && b304.body.length === 0;
    }
    return {
      realUrl: `http://${HOST}:${real.port}${PATH}`,
      baselineUrl: `http://${HOST}:${basePort}${PATH}`,
      etags: { identity: variants.identity.etag, gzip: variants.gzip.etag },
      bytes: { identity: variants.identity.ok.body.length, gzip: variants.gzip.ok.body.length },
      posts: real.delivery.snapshot(FEED_ID)!.posts.length,
      identical,
      head: variants.identity.ok.head,
    };
  },
  async close() {
    await real?.dispose();
    if (baseline) {
      baseline.closeAllConnections();
      await new Promise<void>((resolve) => baseline!.close(() => resolve()));
    }
    setImmediate(() => process.exit(0));
    return true;
  },
});

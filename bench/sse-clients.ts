/**
 * SSE viewers, in their own process: raw `net` sockets, each sending one
 * `GET /api/feeds/<id>/events HTTP/1.1` and then only reading. Nothing is
 * parsed beyond the status line; a broadcast is recognised by a marker.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { serveIpc, waitUntil } from './ipc.js';

interface Viewer {
  socket: net.Socket;
  ready: boolean;
  head: string;
  tail: string;
  got: boolean;
}

const viewers: Viewer[] = [];
let failed = 0;
let closedEarly = 0;
let bytes = 0;
let marker: string | undefined;
let received = 0;
let lastReceivedAt = 0;
let firstReceivedAt = 0;

function open(port: number, path: string, host: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const viewer: Viewer = { socket, ready: false, head: '', tail: '', got: false };
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        resolve();
      }
    };
    socket.setEncoding('latin1');
    socket.on('connect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n\r\n`),
    );
    socket.on('data', (chunk: string) => {
      bytes += chunk.length;
      if (!viewer.ready) {
        viewer.head += chunk;
        if (viewer.head.includes('\r\n\r\n')) {
          if (!viewer.head.startsWith('HTTP/1.1 200')) {
            failed++;
            socket.destroy();
          } else {
            viewer.ready = true;
            viewers.push(viewer);
          }
          viewer.head = '';
          settle();
        }
        return;
      }
      if (marker && !viewer.got) {
        const text = viewer.tail + chunk;
        if (text.includes(marker)) {
          viewer.got = true;
          received++;
          lastReceivedAt = Date.now();
          if (received === 1) firstReceivedAt = lastReceivedAt;
        }
        viewer.tail = text.slice(-marker.length);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (viewer.ready) closedEarly++;
      else failed++;
      settle();
    });
  });
}

serveIpc({
  /** Opens `count` viewers, at most `parallel` connecting at once; resolves when each has its 200 (or failed). */
  async open({
    port,
    path,
    count,
    parallel = 200,
    host = '127.0.0.1',
  }: {
    port: number;
    path: string;
    count: number;
    parallel?: number;
    host?: string;
  }) {
    const t0 = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < count) {
        next++;
        await open(port, path, host);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
    return { open: viewers.filter((v) => !v.socket.destroyed).length, failed, ms: performance.now() - t0 };
  },
  /** Starts looking for `marker` in what each viewer reads. */
  arm({ marker: m }: { marker: string }) {
    marker = m;
    received = 0;
    firstReceivedAt = 0;
    lastReceivedAt = 0;
    for (const v of viewers) {
      v.got = false;
      v.tail = '';
    }
    return true;
  },
  /** Waits (bounded) until every open viewer has read the marked event. */
  async waitReceived({ timeoutMs }: { timeoutMs: number }) {
    const alive = () => viewers.filter((v) => !v.socket.destroyed).length;
    await waitUntil(() => received >= alive(), timeoutMs, 5);
    return { received, open: alive(), firstReceivedAt, lastReceivedAt };
  },
  stats: () => ({ open: viewers.filter((v) => !v.socket.destroyed).length, failed, closedEarly, bytes }),
  /** Closes every viewer at once, without a goodbye (RST). */
  destroyAll() {
    for (const v of viewers) v.socket.resetAndDestroy();
    viewers.length = 0;
    return true;
  },
});

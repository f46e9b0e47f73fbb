/** Reads Server-Sent Events from a real socket, frame by frame, for tests. */
import http from 'node:http';

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  frames: SseFrame[];
  /** Resolves once `count` frames matching `filter` have arrived. */
  waitFor(filter: (f: SseFrame) => boolean, count?: number, timeoutMs?: number): Promise<SseFrame[]>;
  body: string;
  close(): void;
  closed: Promise<void>;
  request: http.ClientRequest;
}

export function parseFrames(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map((block) => {
      const frame: SseFrame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        const m = /^(id|event|data|retry): ?(.*)$/.exec(line);
        if (m) frame[m[1] as 'id' | 'event' | 'data' | 'retry'] = m[2];
      }
      return frame;
    });
}

/** Opens an event stream; `localAddress` (any 127.x.y.z on Linux) makes it come from another address. */
export function openSse(
  url: string,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const options = { headers: { accept: 'text/event-stream', ...headers }, agent: false, localAddress };
    const req = http.get(url, options, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      let body = '';
      const frames: SseFrame[] = [];
      const waiters = new Set<() => void>();
      let resolveClosed!: () => void;
      const closed = new Promise<void>((r) => (resolveClosed = r));
      res.on('data', (chunk: string) => {
        body += chunk;
        buffer += chunk;
        conn.body = body;
        const end = buffer.lastIndexOf('\n\n');
        if (end === -1) return;
        frames.push(...parseFrames(buffer.slice(0, end + 2)));
        buffer = buffer.slice(end + 2);
        waiters.forEach((w) => w());
      });
      res.on('close', () => resolveClosed());
      res.on('error', () => resolveClosed());
      const conn: SseConnection = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        body,
        request: req,
        closed,
        close: () => req.destroy(),
        waitFor: (filter, count = 1, timeoutMs = 5000) =>
          new Promise((ok, fail) => {
            const check = () => {
              const found = frames.filter(filter);
              if (found.length >= count) {
                waiters.delete(check);
                clearTimeout(timer);
                ok(found);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`timed out waiting for ${count} frame(s); got ${JSON.stringify(frames)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
      };
      resolve(conn);
    });
    req.on('error', reject);
  });
}

/** HTTP over a raw TCP socket, for tests that send what no HTTP client would: trickles, garbage, huge headers. */
import net from 'node:net';

export interface RawAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export interface RawSocket {
  socket: net.Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves with everything received once the server closed the connection, and when (ms since connect). */
  closed: Promise<{ text: string; afterMs: number }>;
  /** Like `closed`, but fails if the server keeps the connection open longer than `ms`. */
  closedWithin(ms: number): Promise<{ text: string; afterMs: number }>;
  /** Writes `text` one byte every `everyMs` milliseconds until it is all sent or the socket closes. */
  trickle(text: string, everyMs: number): void;
  close(): void;
}

/** Opens a TCP connection to the server (from `localAddress`, any 127.x.y.z on Linux, when given). */
export function rawConnect(port: number, localAddress?: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    const openedAt = Date.now();
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {});
    const closed = new Promise<{ text: string; afterMs: number }>((done) =>
      socket.once('close', () => {
        clearInterval(timer);
        done({ text, afterMs: Date.now() - openedAt });
      }),
    );
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => text,
        closed,
        closedWithin: (ms) =>
          Promise.race([
            closed,
            new Promise<never>((_, fail) =>
              setTimeout(() => fail(new Error(`the server kept the connection open for ${ms} ms`)), ms).unref(),
            ),
          ]),
        trickle(bytes, everyMs) {
          let i = 0;
          timer = setInterval(() => {
            if (i >= bytes.length || socket.destroyed) clearInterval(timer);
            else socket.write(bytes[i++]!);
          }, everyMs);
        },
        close: () => socket.destroy(),
      }),
    );
  });
}

/** Parses the first HTTP answer of a raw exchange. */
export function parseAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const head = (end === -1 ? text : text.slice(0, end)).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: end === -1 ? '' : text.slice(end + 4) };
}

/** Sends one request with `Connection: close` and returns the whole answer as received. */
export async function rawRequest(port: number, request: string): Promise<string> {
  const raw = await rawConnect(port);
  raw.socket.write(request);
  return (await raw.closed).text;
}

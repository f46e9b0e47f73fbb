/**
 * A TCP proxy on a free loopback port, between one instance and its Redis, that a test can break
 * like a network does:
 * - `cut()`: every connection reset at once, and every new one reset as soon as it opens;
 * - `blackhole()`: connections accepted, but nothing forwarded either way, and nothing closed (the
 *   nasty partition, where only a timeout tells that the other side is gone);
 * - `heal()`: new connections are forwarded again. A connection that was blackholed stays silent
 *   for ever, as one whose state a router or a NAT forgot: its client has to notice and open another.
 */
import { createServer, Socket, type Server } from 'node:net';

export type ProxyMode = 'forward' | 'cut' | 'blackhole';

export interface TcpProxy {
  /** The proxy's address, as a redis:// URL when the target is Redis. */
  port: number;
  url: string;
  /** How many connections were opened through it (forwarded or not). */
  readonly connections: number;
  cut(): void;
  blackhole(): void;
  heal(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Silent for ever (it was open when the proxy blackholed). */
  dead: boolean;
}

export async function startTcpProxy(target: { host?: string; port: number }, scheme = 'redis'): Promise<TcpProxy> {
  const host = target.host ?? '127.0.0.1';
  let mode: ProxyMode = 'forward';
  let opened = 0;
  const pairs = new Set<Pair>();

  const drop = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    opened++;
    const pair: Pair = { client, upstream: undefined, dead: false };
    client.on('error', () => drop(pair));
    client.on('close', () => drop(pair));
    if (mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    pairs.add(pair);
    if (mode === 'blackhole') {
      pair.dead = true;
      // Read and discard, so that the client's writes never block: nothing ever answers.
      client.on('data', () => {});
      client.resume();
      return;
    }
    const upstream = (pair.upstream = new Socket());
    upstream.on('error', () => drop(pair));
    upstream.on('close', () => drop(pair));
    upstream.connect(target.port, host, () => client.resume());
    client.on('data', (chunk: Buffer) => {
      if (!pair.dead) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!pair.dead) client.write(chunk);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    get connections() {
      return opened;
    },
    cut() {
      mode = 'cut';
      for (const pair of [...pairs]) {
        pair.client.resetAndDestroy();
        drop(pair);
      }
    },
    blackhole() {
      mode = 'blackhole';
      for (const pair of pairs) pair.dead = true;
    },
    heal() {
      mode = 'forward';
    },
    async close() {
      for (const pair of [...pairs]) drop(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

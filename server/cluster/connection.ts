/**
 * One connection of an instance to Redis that notices when Redis has gone silent.
 *
 * The `redis` client times a command out only while it waits to be sent: once on the wire, it
 * waits for the answer for ever. Through a network that swallows packets (a partition, a router
 * or NAT that forgot the connection), the socket stays open and nothing ever comes back: the
 * lease would never learn it was lost, the change log would never be read again and viewers
 * would never be told the wall is stale, even after the network heals. So here every command
 * has a deadline (its blocking time plus `REPLY_TIMEOUT_MS`), an idle connection is probed with
 * PING, and a connection that misses a deadline is dropped for a fresh one (subscriptions
 * included): the caller gets an error at once, as when Redis is down.
 */
import { createClient } from 'redis';
import type { Logger } from '../log.js';
import { backoffMs } from '../pacing/backoff.js';

/** How long Redis may take to answer a command, beyond the time the command itself blocks (ms). */
export const REPLY_TIMEOUT_MS = 2_000;
/** An idle connection is probed this often (ms). */
const HEARTBEAT_MS = 1_000;
/** Reconnection delays: 100 ms doubling to 2 s, with jitter. */
const RECONNECT = { baseMs: 100, capMs: 2_000 };

function makeClient(url: string) {
  return createClient({
    url,
    // A command sent while Redis is away fails at once instead of queueing: no caller waits blind.
    disableOfflineQueue: true,
    // No handshake command that could hang on a silent network before the connection is ready.
    disableClientInfo: true,
    socket: { reconnectStrategy: (retries: number) => backoffMs(retries + 1, RECONNECT), connectTimeout: 5_000 },
  });
}

type Client = ReturnType<typeof makeClient>;

/** Raised when Redis did not answer a command in time: the connection is replaced. */
export class RedisTimeoutError extends Error {
  constructor(command: string, ms: number) {
    super(`Redis did not answer ${command} within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/** How long a command blocks on its own (XREAD … BLOCK ms, BRPOP … seconds), in ms. */
export function blockingMs(args: readonly string[]): number {
  const name = args[0]?.toUpperCase();
  if (name === 'XREAD' || name === 'XREADGROUP') {
    const at = args.findIndex((a) => a.toUpperCase() === 'BLOCK');
    return at === -1 ? 0 : Number(args[at + 1]) || 0;
  }
  if (name === 'BRPOP' || name === 'BLPOP' || name === 'BLMOVE' || name === 'BZPOPMIN' || name === 'BZPOPMAX')
    return Number(args.at(-1)) * 1000 || 0;
  return 0;
}

/** The deadline of a command: its blocking time, the reply timeout, and 1 s per MiB sent (a large batch). */
export function deadlineMs(args: readonly string[], replyTimeoutMs = REPLY_TIMEOUT_MS): number {
  const bytes = args.reduce((sum, a) => sum + a.length, 0);
  return blockingMs(args) + replyTimeoutMs + Math.floor(bytes / 1024);
}

export class RedisConnection {
  readonly #url: string;
  readonly #log: Logger;
  readonly #name: string;
  readonly #replyTimeoutMs: number;
  #client: Client;
  #closed = false;
  #down = false;
  #inFlight = 0;
  /** The connection of the newest client (resolves once it is ready, or it was dropped). */
  #connecting: Promise<unknown>;
  readonly #subscriptions: [string, (message: string) => void][] = [];
  readonly #heartbeat: NodeJS.Timeout;

  private constructor(url: string, log: Logger, name: string, replyTimeoutMs: number) {
    this.#url = url;
    this.#log = log;
    this.#name = name;
    this.#replyTimeoutMs = replyTimeoutMs;
    this.#client = this.#make();
    this.#connecting = this.#client.connect();
    this.#heartbeat = setInterval(() => {
      if (this.#inFlight === 0 && this.#client.isReady) this.sendCommand(['PING']).catch(() => {});
    }, HEARTBEAT_MS).unref();
  }

  /** Opens a connection; `name` tells the connections of one instance apart in logs. */
  static async open(
    url: string,
    log: Logger,
    name: string,
    replyTimeoutMs = REPLY_TIMEOUT_MS,
  ): Promise<RedisConnection> {
    const connection = new RedisConnection(url, log, name, replyTimeoutMs);
    // Until one client is ready: one that hung while connecting is replaced by a fresh one.
    for (;;) {
      const client = connection.#client;
      try {
        await connection.#connecting;
      } catch (err) {
        if (client === connection.#client) {
          connection.destroy();
          throw err;
        }
      }
      if (connection.#client.isReady) return connection;
    }
  }

  /** Sends one command; rejects at its deadline, and the connection is replaced. */
  async sendCommand(args: string[]): Promise<unknown> {
    const client = this.#client;
    const ms = deadlineMs(args, this.#replyTimeoutMs);
    this.#inFlight++;
    let timer: NodeJS.Timeout | undefined;
    const sent = client.sendCommand(args);
    try {
      return await Promise.race([
        sent,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new RedisTimeoutError(args[0]!, ms));
            this.#replace(client, `no answer to ${args[0]} within ${ms} ms`);
          }, ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.#inFlight--;
      // The dropped connection rejects what it still waited for: nobody listens any more.
      sent.catch(() => {});
    }
  }

  /** A transaction on the current connection (the instance's start reads the shared tables with one). */
  multi(): ReturnType<Client['multi']> {
    return this.#client.multi();
  }

  /** Subscribes to a channel, again on every new connection. */
  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    this.#subscriptions.push([channel, listener]);
    await this.#client.subscribe(channel, listener);
  }

  /** Closes at once; what was waiting for an answer is rejected. */
  destroy(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#client.destroy();
  }

  /** Closes once the commands sent have their answers (or their deadline passed). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    await this.#client.close();
  }

  #make(): Client {
    const client = makeClient(this.#url);
    let handshake: NodeJS.Timeout | undefined;
    client.on('error', (err: Error) => this.#wentDown(err.message));
    // A connection accepted by a silent network might never become ready: drop it at the deadline.
    client.on('connect', () => {
      clearTimeout(handshake);
      handshake = setTimeout(() => this.#replace(client, 'no answer while connecting'), this.#replyTimeoutMs);
    });
    client.on('ready', () => {
      clearTimeout(handshake);
      if (!this.#down) return;
      this.#down = false;
      this.#log.info('redis.back', { connection: this.#name });
    });
    client.on('end', () => clearTimeout(handshake));
    return client;
  }

  /** Errors are logged once per outage, not once per retry. */
  #wentDown(error: string): void {
    if (this.#down) return;
    this.#down = true;
    this.#log.warn('redis.down', { connection: this.#name, error });
  }

  /** Drops a silent connection for a fresh one (unless it was replaced or closed already). */
  #replace(dead: Client, reason: string): void {
    if (dead !== this.#client) return;
    dead.destroy();
    if (this.#closed) return;
    this.#wentDown(reason);
    const fresh = (this.#client = this.#make());
    this.#connecting = fresh.connect();
    this.#connecting
      .then(() => Promise.all(this.#subscriptions.map(([channel, listener]) => fresh.subscribe(channel, listener))))
      .catch(() => {
        // Closed, or replaced in turn while connecting: the newer connection carries on.
      });
  }
}

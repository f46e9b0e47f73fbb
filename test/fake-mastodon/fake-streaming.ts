/**
 * The fake instance's streaming API: one WebSocket at `/api/v1/streaming`, with Mastodon's
 * subscribe messages, frames (`{stream, event, payload}` with the status as a JSON string) and
 * error frames; tests push events to it, send it garbage, make it go silent, drop or refuse.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MastodonStatus } from '../../server/sources/mastodon/api-types.js';
import { hashtagKey } from '../../server/sources/mastodon/content.js';

interface Client {
  socket: WebSocket;
  authorized: boolean;
  /** `hashtag:<key>` or `user`. */
  subscriptions: Set<string>;
}

export interface FakeStreamingControl {
  /** Sockets open now. */
  readonly clients: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** The subscriptions of every open socket. */
  subscriptions(): string[][];
  /** The Authorization headers and `access_token` query values of every upgrade asked. */
  readonly credentials: string[];
  /** Accounts (by id) whose statuses reach `user` subscribers (the token's user follows them). */
  readonly followed: Set<string>;
  /** Sends a raw text frame to every socket. */
  sendRaw(text: string): void;
  /** Silent: no frames and no pongs, the connection stays open. */
  silence(on: boolean): void;
  /** Cuts every socket without a closing handshake. */
  drop(): void;
  /** Refuses the next upgrades with this HTTP status (undefined: accept again). */
  refuse(status: number | undefined): void;
  /** Resolves once `count` sockets are open and subscribed to `subscriptions` each. */
  waitForClients(count: number, subscriptions?: number): Promise<void>;
}

export interface FakeStreamingOptions {
  token(): string;
  requiresToken: boolean;
}

export class FakeStreaming {
  readonly #server = new WebSocketServer({ noServer: true, autoPong: false });
  readonly #clients = new Set<Client>();
  readonly #options: FakeStreamingOptions;
  readonly #credentials: string[] = [];
  readonly #followed = new Set<string>();
  #connections = 0;
  #silent = false;
  #refusal: number | undefined;

  constructor(options: FakeStreamingOptions) {
    this.#options = options;
  }

  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reject = (status: number, text: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"${text}"}`,
      );
    };
    if (url.pathname !== '/api/v1/streaming') return reject(400, 'Unknown channel requested');
    const header = req.headers.authorization;
    const query = url.searchParams.get('access_token');
    if (header) this.#credentials.push(header);
    if (query) this.#credentials.push(`access_token=${query}`);
    const given = header?.replace(/^Bearer /, '') ?? query ?? undefined;
    if (this.#refusal !== undefined) return reject(this.#refusal, 'Refused');
    if (given !== undefined && given !== this.#options.token()) return reject(401, 'Invalid access token');
    if (given === undefined && this.#options.requiresToken) return reject(401, 'Missing access token');
    this.#server.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { socket: ws, authorized: given !== undefined, subscriptions: new Set() };
      this.#clients.add(client);
      this.#connections++;
      ws.on('close', () => this.#clients.delete(client));
      ws.on('error', () => {});
      ws.on('ping', (data) => {
        if (!this.#silent) ws.pong(data);
      });
      ws.on('message', (data) => this.#onMessage(client, data.toString()));
    });
  }

  #onMessage(client: Client, text: string): void {
    let message: { type?: string; stream?: string; tag?: string };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.type !== 'subscribe') return;
    if (message.stream === 'hashtag' && message.tag) client.subscriptions.add(`hashtag:${hashtagKey(message.tag)}`);
    else if (message.stream === 'user' && client.authorized) client.subscriptions.add('user');
    else if (message.stream === 'user')
      this.#send(client, JSON.stringify({ error: 'Missing access token', status: 401 }));
    else this.#send(client, JSON.stringify({ error: 'Unknown stream type', status: 400 }));
  }

  #send(client: Client, text: string): void {
    if (!this.#silent && client.socket.readyState === client.socket.OPEN) client.socket.send(text);
  }

  /** Streams an update or edit to the sockets whose subscriptions match it, as Mastodon does. */
  publish(event: 'update' | 'status.update', status: MastodonStatus): void {
    const payload = JSON.stringify(status);
    const tags = (status.tags ?? []).map((t) => hashtagKey(t.name));
    for (const client of this.#clients) {
      if (status.visibility === 'public' && !status.reblog) {
        for (const tag of tags) {
          if (client.subscriptions.has(`hashtag:${tag}`)) {
            this.#send(client, JSON.stringify({ stream: ['hashtag', tag], event, payload }));
          }
        }
      }
      if (client.subscriptions.has('user') && this.#followed.has(status.account.id)) {
        this.#send(client, JSON.stringify({ stream: ['user'], event, payload }));
      }
    }
  }

  publishDelete(id: string): void {
    for (const client of this.#clients) {
      for (const subscription of client.subscriptions) {
        const stream = subscription === 'user' ? ['user'] : ['hashtag', subscription.slice('hashtag:'.length)];
        this.#send(client, JSON.stringify({ stream, event: 'delete', payload: id }));
      }
    }
  }

  get control(): FakeStreamingControl {
    const self = this;
    return {
      get clients() {
        return self.#clients.size;
      },
      get connections() {
        return self.#connections;
      },
      subscriptions: () => [...self.#clients].map((c) => [...c.subscriptions].sort()),
      credentials: self.#credentials,
      followed: self.#followed,
      sendRaw: (text) => {
        for (const client of self.#clients) self.#send(client, text);
      },
      silence: (on) => {
        self.#silent = on;
      },
      drop: () => {
        for (const client of self.#clients) client.socket.terminate();
      },
      refuse: (status) => {
        self.#refusal = status;
      },
      waitForClients: async (count, subscriptions = 0) => {
        const deadline = Date.now() + 5000;
        while (
          [...self.#clients].filter((c) => c.subscriptions.size >= subscriptions).length < count ||
          self.#clients.size !== count
        ) {
          if (Date.now() > deadline) throw new Error(`waited 5 s for ${count} streaming clients`);
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    };
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.socket.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

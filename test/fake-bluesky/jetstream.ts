/**
 * A fake Jetstream on a WebSocket: tests publish events (posts, deletes, firehose noise, bad
 * frames); every event gets an increasing `time_us` and is kept, so that a client reconnecting with
 * `cursor=<time_us>` gets what it missed; `wantedCollections` and `wantedDids` filter as Jetstream
 * does. The stream can drop its clients, go silent (no data, no pong) or refuse connections.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BskyPostRecord, JetstreamEvent } from '../../server/sources/bluesky/lexicon.js';

interface Subscriber {
  socket: WebSocket;
  collections: Set<string>;
  dids: Set<string>;
}

export interface JetstreamConnect {
  cursor: number | undefined;
  wantedCollections: string[];
  wantedDids: string[];
}

export class FakeJetstream {
  /** Every event published, oldest first. */
  readonly events: JetstreamEvent[] = [];
  /** Every connection accepted, with what it asked for. */
  readonly connects: JetstreamConnect[] = [];
  #subscribers = new Set<Subscriber>();
  #server = new WebSocketServer({ noServer: true });
  #lastUs: number;
  #silent = false;
  #refusals = 0;
  readonly #nowUs: () => number;

  constructor(now: () => number) {
    this.#nowUs = () => Math.floor(now() * 1000);
    this.#lastUs = this.#nowUs();
  }

  /** Open connections. */
  get clients(): number {
    return this.#subscribers.size;
  }

  /** Takes an HTTP upgrade to `/subscribe`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#refusals > 0) {
      this.#refusals--;
      socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cursorText = url.searchParams.get('cursor');
    const connect: JetstreamConnect = {
      cursor: cursorText === null ? undefined : Number(cursorText),
      wantedCollections: url.searchParams.getAll('wantedCollections'),
      wantedDids: url.searchParams.getAll('wantedDids'),
    };
    this.connects.push(connect);
    this.#server.handleUpgrade(req, socket, head, (ws) => {
      const subscriber = {
        socket: ws,
        collections: new Set(connect.wantedCollections),
        dids: new Set(connect.wantedDids),
      };
      this.#subscribers.add(subscriber);
      ws.on('close', () => this.#subscribers.delete(subscriber));
      ws.on('error', () => this.#subscribers.delete(subscriber));
      if (connect.cursor !== undefined) {
        for (const event of this.events) if (event.time_us >= connect.cursor) this.#send(subscriber, event);
      }
    });
  }

  #wants(subscriber: Subscriber, event: JetstreamEvent): boolean {
    if (subscriber.dids.size > 0 && !subscriber.dids.has(event.did)) return false;
    if (event.kind !== 'commit' || subscriber.collections.size === 0) return true;
    return subscriber.collections.has(event.commit?.collection ?? '');
  }

  #send(subscriber: Subscriber, event: JetstreamEvent): void {
    if (!this.#silent && this.#wants(subscriber, event)) subscriber.socket.send(JSON.stringify(event));
  }

  /** Publishes an event (its `time_us` is given here) to every subscriber that wants it. */
  publish(event: Omit<JetstreamEvent, 'time_us'>): JetstreamEvent {
    this.#lastUs = Math.max(this.#lastUs + 1, this.#nowUs());
    const full = { ...event, time_us: this.#lastUs } as JetstreamEvent;
    this.events.push(full);
    for (const subscriber of this.#subscribers) this.#send(subscriber, full);
    return full;
  }

  /** A post created, as Jetstream shows it. */
  create(did: string, rkey: string, record: BskyPostRecord, operation: 'create' | 'update' = 'create'): JetstreamEvent {
    const commit = { rev: rkey, operation, collection: 'app.bsky.feed.post', rkey, record, cid: `bafyrei${rkey}` };
    return this.publish({ did, kind: 'commit', commit });
  }

  delete(did: string, rkey: string): JetstreamEvent {
    return this.publish({
      did,
      kind: 'commit',
      commit: { rev: rkey, operation: 'delete', collection: 'app.bsky.feed.post', rkey },
    });
  }

  /**
   * `count` events of the firehose that match nothing a feed follows: posts by strangers on other
   * subjects (some with hashtags), likes, identity and account events.
   */
  noise(count: number): void {
    for (let i = 0; i < count; i++) {
      const did = `did:plc:noise${(i % 97).toString().padStart(19, '0')}`;
      const rkey = `3noise${i.toString(36).padStart(7, '0')}`;
      if (i % 10 === 7) this.publish({ did, kind: 'identity' });
      else if (i % 10 === 8)
        this.publish({
          did,
          kind: 'commit',
          commit: {
            operation: 'create',
            collection: 'app.bsky.feed.like',
            rkey,
            record: { $type: 'app.bsky.feed.like' },
          },
        });
      else if (i % 10 === 9) this.delete(did, rkey);
      else {
        const text =
          i % 3 === 0
            ? `Bonjour #Marseille #livre${i} ${'x'.repeat(i % 200)}`
            : `good morning, post ${i} about fete du livre`;
        this.create(did, rkey, {
          $type: 'app.bsky.feed.post',
          text,
          createdAt: new Date().toISOString(),
          langs: ['en'],
        });
      }
    }
  }

  /** Sends a frame that is not a Jetstream event to every subscriber. */
  sendRaw(data: string | Buffer): void {
    for (const subscriber of this.#subscribers) subscriber.socket.send(data);
  }

  /** Cuts every connection abruptly (no close frame). */
  drop(): void {
    for (const subscriber of this.#subscribers) subscriber.socket.terminate();
  }

  /** Stops sending and stops reading (so pings get no pong), without closing. */
  goSilent(): void {
    this.#silent = true;
    for (const subscriber of this.#subscribers) (subscriber.socket as unknown as { _socket?: Duplex })._socket?.pause();
  }

  /** New connections are served again after `goSilent` (silent ones stay as they are until dropped). */
  speak(): void {
    this.#silent = false;
  }

  /** Refuses the next `times` connection attempts with HTTP 503. */
  refuse(times: number): void {
    this.#refusals += times;
  }

  close(): void {
    for (const subscriber of this.#subscribers) subscriber.socket.terminate();
    this.#server.close();
  }
}

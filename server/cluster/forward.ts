/**
 * Organisers' writes reach the one instance that writes. An instance that does not lead hands
 * each write request (any method but GET, HEAD and OPTIONS under /api/) to the leader through a
 * Redis list; the leader runs it through its own app, exactly as if it had come to it, commits
 * what it wrote, and answers on the asking instance's channel with the log id of that commit.
 * The asking instance waits until it has applied that id itself before it answers, so the
 * organiser reads what they just wrote on whichever instance the next request lands. The leader
 * runs the writes that come to it the same way: nobody is told a write succeeded before Redis
 * holds it, and one Redis refused (the lease had changed hands) or could not take in time is
 * answered 503, to be made again.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { KEYS, type Redis } from './redis.js';

/** A request on its way to the leader. */
interface Forwarded {
  id: string;
  /** The asking instance. */
  from: string;
  /** Epoch ms after which the asking instance has given up: the leader skips it. */
  deadline: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The client's address as the asking instance saw it (for per-address limits). */
  peer: string | undefined;
  body: string;
}

interface Answer {
  id: string;
  status: number;
  headers: [string, string][];
  body: string;
  /** The log id holding what the request wrote. */
  at: string;
}

/** How long an instance waits for the leader's answer (ms). */
export const FORWARD_TIMEOUT_MS = 10_000;
/** How long a write waits for Redis to hold it before it is answered 503 (ms). */
const COMMIT_TIMEOUT_MS = 5_000;
/** Largest request body forwarded (the admin API's bodies are a few KiB). */
const MAX_BODY = 1024 * 1024;

const WRITES = (req: IncomingMessage) =>
  req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && (req.url ?? '').startsWith('/api/');

function errorHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra };
}

function jsonError(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, errorHeaders(extra));
  res.end(JSON.stringify({ error: { status, message } }));
}

/** What runs a write on the leader: its app, and the commit of what the app wrote. */
interface WriteRunner {
  /** Runs a request through this instance's app (with the client's address). */
  handle(request: Request, peer: string | undefined): Promise<Response>;
  /** Commits what was written; resolves with the log id holding it, rejects when Redis did not take it. */
  commit(): Promise<string>;
}

/** Runs a write request on the leader and commits it: its answer once Redis holds it, else a 503. */
async function runWrite(o: WriteRunner, request: Forwarded): Promise<Omit<Answer, 'id'>> {
  const host = request.headers.host ?? 'localhost';
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const response = await o.handle(
    new Request(`http://${host}${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: hasBody ? Buffer.from(request.body, 'base64') : undefined,
    }),
    request.peer,
  );
  const body = Buffer.from(await response.arrayBuffer());
  let timer: NodeJS.Timeout | undefined;
  try {
    const at = await Promise.race([
      o.commit(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), COMMIT_TIMEOUT_MS))),
    ]);
    return { status: response.status, headers: [...response.headers.entries()], body: body.toString('base64'), at };
  } catch {
    const status = 503;
    const message = 'the change could not be saved where every instance reads it; try again';
    return {
      status,
      headers: Object.entries(errorHeaders({ 'retry-after': '5' })),
      body: Buffer.from(JSON.stringify({ error: { status, message } })).toString('base64'),
      at: '0-0',
    };
  } finally {
    clearTimeout(timer);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface ForwarderOptions extends WriteRunner {
  redis: Redis;
  /** A connection of its own for the answers (a subscribed connection does nothing else). */
  subscriber: Redis;
  instance: string;
  log: Logger;
  /** Whether this instance leads now (then it answers itself). */
  leads(): boolean;
  /** Resolves once this instance has applied the log up to `id` (or after `timeoutMs`). */
  applied(id: string, timeoutMs: number): Promise<void>;
}

export class Forwarder {
  readonly #o: ForwarderOptions;
  readonly #waiting = new Map<string, (answer: Answer) => void>();

  constructor(options: ForwarderOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    await this.#o.subscriber.subscribe(KEYS.replies(this.#o.instance), (message: string) => {
      const answer = JSON.parse(message) as Answer;
      this.#waiting.get(answer.id)?.(answer);
    });
  }

  /**
   * Hands write requests to the leader while this instance does not lead, and runs them itself
   * (answering once committed) while it does; the rest goes to `next`.
   */
  listener(next: RequestListener): RequestListener {
    return (req, res) => {
      if (!WRITES(req)) next(req, res);
      else void this.#write(req, res, this.#o.leads());
    };
  }

  async #write(req: IncomingMessage, res: ServerResponse, here: boolean): Promise<void> {
    const body = await readBody(req).catch(() => undefined);
    if (!body) return jsonError(res, 413, 'the request body is too large');
    const request = this.#request(req, body);
    const answer = here ? await runWrite(this.#o, request) : await this.#forward(request, res);
    if (!answer) return;
    if (answer.status < 500) await this.#o.applied(answer.at, 2_000);
    if (res.destroyed) return;
    res.writeHead(answer.status, answer.headers.flat());
    res.end(Buffer.from(answer.body, 'base64'));
  }

  #request(req: IncomingMessage, body: Buffer): Forwarded {
    const id = randomBytes(12).toString('hex');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      id,
      from: this.#o.instance,
      deadline: Date.now() + FORWARD_TIMEOUT_MS,
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      headers,
      peer: req.socket.remoteAddress,
      body: body.toString('base64'),
    };
  }

  /** Hands the request to the leader; its answer, or undefined once `res` was answered with an error. */
  async #forward(request: Forwarded, res: ServerResponse): Promise<Omit<Answer, 'id'> | undefined> {
    const { id } = request;
    const answered = new Promise<Answer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), FORWARD_TIMEOUT_MS);
      this.#waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
    try {
      await this.#o.redis.sendCommand(['LPUSH', KEYS.requests, JSON.stringify(request)]);
    } catch {
      this.#waiting.delete(id);
      jsonError(res, 503, 'the instances cannot reach each other now; try again', { 'retry-after': '5' });
      return undefined;
    }
    const answer = await answered;
    this.#waiting.delete(id);
    if (!answer)
      jsonError(res, 503, 'the instance that writes did not answer in time; try again', { 'retry-after': '5' });
    return answer;
  }
}

export interface ServeOptions extends WriteRunner {
  redis: Redis;
  log: Logger;
}

/**
 * The leader's loop: takes forwarded requests one at a time (in order) until `stop()`. Uses a
 * connection of its own, since it blocks on the list.
 */
export class ForwardedRequests {
  #stopped = false;
  #loop: Promise<void> | undefined;
  readonly #o: ServeOptions;

  constructor(options: ServeOptions) {
    this.#o = options;
  }

  start(): void {
    this.#stopped = false;
    this.#loop ??= this.#run().finally(() => (this.#loop = undefined));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let popped: unknown;
      try {
        popped = await this.#o.redis.sendCommand(['BRPOP', KEYS.requests, '1']);
      } catch {
        if (this.#stopped) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (!popped) continue;
      const message = Array.isArray(popped) ? String(popped[1]) : String(Object.values(popped as object)[0]);
      const request = JSON.parse(message) as Forwarded;
      if (Date.now() > request.deadline) continue;
      await this.#serve(request).catch((err: Error) =>
        this.#o.log.warn('cluster.forward_failed', { error: err.message, method: request.method }),
      );
    }
  }

  async #serve(request: Forwarded): Promise<void> {
    const answer: Answer = { id: request.id, ...(await runWrite(this.#o, request)) };
    await this.#o.redis.sendCommand(['PUBLISH', KEYS.replies(request.from), JSON.stringify(answer)]);
  }
}

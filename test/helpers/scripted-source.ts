/** Sources tests drive by hand: each poll takes the next scripted answer (or failure); a streaming one pushes on cue. */
import type { PollResult, PushSink, Source } from '../../server/sources/source.js';
import type { Post } from '../../server/contract.js';

export type ScriptedAnswer = Partial<PollResult> | Error;

export class ScriptedSource implements Source {
  readonly kind = 'demo' as const;
  readonly answers: ScriptedAnswer[] = [];
  readonly cursorsSeen: (string | null)[] = [];
  polls = 0;
  /** When set, polls wait for this promise (to stop a poll mid-way). */
  gate: Promise<void> | undefined;

  push(...answers: ScriptedAnswer[]): this {
    this.answers.push(...answers);
    return this;
  }

  posts(posts: Post[], cursor: string | null = null): this {
    return this.push({ posts, cursor });
  }

  async poll(cursor: string | null): Promise<PollResult> {
    this.polls++;
    this.cursorsSeen.push(cursor);
    if (this.gate) await this.gate;
    const answer = this.answers.shift() ?? {};
    if (answer instanceof Error) throw answer;
    return { posts: [], removals: [], cursor, ...answer };
  }
}

/**
 * A scripted source that streams, with no network: the engine runs its `stream`; the test says
 * when it is live or dropped (as a real stream reports its reconnections), pushes posts through
 * it, or ends it (a stream that gives up: the engine calls it again).
 */
export class StreamingSource extends ScriptedSource {
  /** How many times the engine started the stream. */
  streams = 0;
  #sink: PushSink | undefined;
  #signal: AbortSignal | undefined;
  #end: ((err?: Error) => void) | undefined;

  stream(sink: PushSink, signal: AbortSignal): Promise<void> {
    this.streams++;
    this.#sink = sink;
    this.#signal = signal;
    return new Promise((resolve, reject) => {
      this.#end = (err) => (err ? reject(err) : resolve());
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** The sink the engine gave the last stream (still callable after the engine stopped it). */
  get sink(): PushSink | undefined {
    return this.#sink;
  }

  /** Whether a stream runs now (started and not aborted by the engine). */
  get streaming(): boolean {
    return this.#signal !== undefined && !this.#signal.aborted;
  }

  #open(): PushSink {
    if (!this.#sink || !this.streaming) throw new Error('no stream is running');
    return this.#sink;
  }

  /** The stream is connected (or reconnected). */
  connect(): this {
    this.#open().live(true);
    return this;
  }

  /** The connection dropped (the stream will reconnect by itself). */
  drop(): this {
    this.#open().live(false);
    return this;
  }

  /** Posts arrive on the stream. */
  pushPosts(posts: Post[], removals: string[] = [], cursor?: string | null): this {
    this.#open().posts(posts, removals, cursor);
    return this;
  }

  /** The stream gives up (returns, or throws `err`). */
  end(err?: Error): void {
    const end = this.#end;
    this.#signal = undefined;
    end?.(err);
  }
}

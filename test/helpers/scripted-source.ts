/** A source tests drive by hand: each poll takes the next scripted answer (or failure). */
import type { PollResult, Source } from '../../server/sources/source.js';
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
    return { posts: [], removals: [], cursor, nextPollInMs: 5_000, ...answer };
  }
}

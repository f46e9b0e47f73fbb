/**
 * Lit's keyed `repeat`, without its leak. Since lit-html 3.3.1, each item
 * `repeat` removes leaves its end marker (an empty comment) behind
 * (lit/lit#5298): a wall that runs for days, one post every few seconds,
 * would gather tens of thousands of them. This is Lit's own directive, which
 * then takes out the end markers of the items it removed; once Lit removes
 * them itself, there is nothing left to take out.
 */
import { nothing } from 'lit';
import type { ChildPart } from 'lit';
import { directive } from 'lit/directive.js';
import { getCommittedValue, getDirectiveClass } from 'lit/directive-helpers.js';
import { repeat as litRepeat } from 'lit/directives/repeat.js';
import type { ItemTemplate, KeyFn, RepeatDirective, RepeatDirectiveFn } from 'lit/directives/repeat.js';

const LitRepeat = getDirectiveClass(litRepeat([], () => nothing)) as unknown as typeof RepeatDirective;

class LeakFreeRepeat extends LitRepeat {
  override update<T>(
    part: ChildPart,
    args: [Iterable<T>, KeyFn<T> | ItemTemplate<T>, ItemTemplate<T>],
  ): ReturnType<RepeatDirective['update']> {
    // The item parts before; Lit nulls the ones it moves, and keeps the others in place.
    const before = getCommittedValue(part);
    const result = super.update(part, args);
    if (Array.isArray(before)) {
      const kept = new Set(getCommittedValue(part) as unknown[]);
      for (const old of before as Array<ChildPart | null>) {
        if (old && !kept.has(old)) (old.endNode as ChildNode | null)?.remove();
      }
    }
    return result;
  }
}

/** Keyed by `keyFn`: items keep their DOM nodes as they move, new ones get new nodes. */
export const repeat = directive(LeakFreeRepeat) as RepeatDirectiveFn;

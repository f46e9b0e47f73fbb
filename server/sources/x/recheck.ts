/**
 * The compliance re-check: X's terms ask that deleted posts, protected or suspended authors and
 * withheld posts leave the wall "as soon as reasonably possible, or within 24 hours". The ids on
 * display are looked up again (100 at a time, no expansion: no user read billed) every
 * `recheckHours`, and the source asks to be polled by the time the next one is due.
 */
import type { Logger } from '../../log.js';
import type { SourceState } from '../source.js';
import type { XTweetsPayload } from './api-types.js';
import { XApiError, type XClient } from './client.js';
import type { ReadLedger } from './ledger.js';
import type { XRateLimits } from './limits.js';
import { countReads, idsToRemove } from './normalize.js';

/** Ids per look-up: X's maximum. */
const LOOKUP_BATCH = 100;
/** An overdue re-check (its look-up failed or was rate-limited) is tried again at least this often. */
const OVERDUE_RETRY_MS = 15 * 60_000;

/**
 * How early a re-check may run: a hundredth of the interval, at most a minute, so that a timer
 * firing a little late still keeps the gap between two re-checks within `recheckMs`.
 */
function marginMs(recheckMs: number): number {
  return Math.min(60_000, recheckMs / 100);
}

/** When the next re-check is due (ms since the epoch): at once when none was made yet. */
export function recheckDueAt(lastAt: number | undefined, recheckMs: number): number {
  return lastAt === undefined ? -Infinity : lastAt + recheckMs - marginMs(recheckMs);
}

/** When the source must be polled again for its re-check: when it is due, or soon when it is overdue. */
export function recheckPollBy(lastAt: number | undefined, recheckMs: number, now: number): number {
  const due = recheckDueAt(lastAt, recheckMs);
  return due > now ? due : now + Math.min(recheckMs, OVERDUE_RETRY_MS);
}

export interface RecheckOptions {
  client: XClient;
  limits: XRateLimits;
  ledger: ReadLedger;
  /** This feed's state: when the last re-check was made (key `lastRecheckAt`). */
  state: SourceState;
  log: Logger;
  /** Ids of the posts the feed shows. */
  displayedIds(): string[];
  /** Interval between two re-checks (ms). */
  recheckMs: number;
}

export class ComplianceRecheck {
  readonly #o: RecheckOptions;

  constructor(options: RecheckOptions) {
    this.#o = options;
  }

  get lastAt(): number | undefined {
    return this.#o.state.get<number>('lastRecheckAt');
  }

  /** When the source must be polled again so that the next re-check is not late. */
  pollBy(now: number): number {
    return recheckPollBy(this.lastAt, this.#o.recheckMs, now);
  }

  /**
   * Removals when a re-check is due and runs (undefined when none is due or none could start). A
   * failed batch is reported in `failures` and the re-check is tried again at the next poll; what
   * the batches before it found is still removed.
   */
  async run(now: number, signal: AbortSignal, failures: XApiError[]): Promise<string[] | undefined> {
    const { client, limits, ledger, state, log, recheckMs } = this.#o;
    if (now < recheckDueAt(this.lastAt, recheckMs) || limits.blockedUntil('lookup', now) !== undefined) return;
    const ids = [...new Set(this.#o.displayedIds())];
    const removals: string[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      const batch = ids.slice(i, i + LOOKUP_BATCH);
      if (limits.blockedUntil('lookup', now) !== undefined) return removals.length ? removals : undefined;
      let body: XTweetsPayload;
      try {
        body = await limits.call('lookup', signal, () => client.lookupTweets(batch));
      } catch (err) {
        if (!(err instanceof XApiError)) throw err;
        failures.push(err);
        return removals;
      }
      const reads = countReads(body);
      ledger.count(reads.posts, reads.users);
      removals.push(...idsToRemove(batch, body));
    }
    state.set('lastRecheckAt', now);
    if (removals.length) log.info('x.recheck.removed', { count: removals.length, checked: ids.length });
    return removals;
  }
}

/**
 * What a month of X may cost: the commune's monthly post budget (reads left, page sizes that fit,
 * the pace that spreads what is left), and X's own usage cap, which pauses every X feed of the
 * server until the next month or an operator's "resume". Pure, apart from the pause kept in shared state.
 */
import type { SourceState } from '../source.js';

/** Smallest `max_results` X accepts per endpoint. */
export const MIN_RESULTS = { search: 10, timeline: 5 } as const;

/** The first instant of the next UTC month: when X's monthly cap and the budget reset. */
export function startOfNextUtcMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Post reads left this month (Infinity without a budget). */
export function budgetLeft(budget: number | undefined, used: number): number {
  return budget === undefined ? Infinity : Math.max(0, budget - used);
}

/** Whether the budget leaves too little for even the smallest page. */
export function budgetExhausted(left: number): boolean {
  return left < 2 * MIN_RESULTS.timeline;
}

/** The `max_results` to ask for: each post may bring its referenced post, so at most half of what is left. */
export function pageSizeWithin(wanted: number, left: number): number {
  return Math.min(wanted, left === Infinity ? wanted : Math.floor(left / 2));
}

/**
 * The budget pace: past half the budget, polls slow down (×2 at 75 % used, ×5 at 90 %, up to ×10),
 * so that what is left lasts longer.
 */
export function budgetSlowdown(budget: number | undefined, used: number): number {
  if (budget === undefined || budget <= 0) return 1;
  const share = Math.min(1, used / budget);
  return share > 0.5 ? Math.min(10, 1 / (2 * Math.max(0.05, 1 - share))) : 1;
}

/** X's usage-cap pause, shared by every X feed of the server (key `pause` of the shared state). */
export class UsageCapPause {
  readonly #shared: SourceState;

  constructor(shared: SourceState) {
    this.#shared = shared;
  }

  /** The pause in force at `now` (one that ran out is no pause). */
  current(now: number): { until: number } | undefined {
    const pause = this.#shared.get<{ until: number } | null>('pause') ?? undefined;
    return pause && now < pause.until ? pause : undefined;
  }

  /** Pauses until `until`; false when that pause was already in force (said once). */
  start(until: number): boolean {
    if (this.#shared.get<{ until: number } | null>('pause')?.until === until) return false;
    this.#shared.set('pause', { until, reason: 'usage-capped' });
    return true;
  }

  lift(): void {
    this.#shared.set('pause', null);
  }
}

/**
 * Jitter, defined once: waits that many clients (walls, feeds, instances) compute alike are spread
 * in time, so that they do not all act in the same second.
 */

/** Randomness in [0, 1); injected in tests. */
export type Random = () => number;

/**
 * "Equal jitter": half of `ms` fixed, half random, over [ms / 2, ms]. Never shorter than half the
 * wait (nothing retries at once), never longer than the wait itself.
 */
export function equalJitter(ms: number, random: Random = Math.random): number {
  return Math.round(ms / 2 + (random() * ms) / 2);
}

/** `ms` spread evenly over [ms × (1 − spread), ms × (1 + spread)], e.g. `spread` 0.1 for ±10 %. */
export function spreadJitter(ms: number, spread: number, random: Random = Math.random): number {
  return Math.round(ms * (1 - spread + 2 * spread * random()));
}

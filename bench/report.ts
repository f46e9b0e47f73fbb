/** What each benchmark hands back to run.ts: its figures and one PASS/FAIL line per target. */
export interface TargetResult {
  /** What is measured, e.g. "snapshot 200 identity: real / node:http req/s". */
  name: string;
  value: number;
  unit: string;
  /** e.g. ">= 0.85" */
  target: string;
  pass: boolean;
}

export interface BenchOutcome {
  name: string;
  figures: Record<string, unknown>;
  targets: TargetResult[];
  seconds?: number;
}

export function atLeast(name: string, value: number, min: number, unit = ''): TargetResult {
  return {
    name,
    value,
    unit,
    target: `>= ${min}${unit ? ' ' + unit : ''}`,
    pass: Number.isFinite(value) && value >= min,
  };
}

export function atMost(name: string, value: number, max: number, unit = ''): TargetResult {
  return {
    name,
    value,
    unit,
    target: `<= ${max}${unit ? ' ' + unit : ''}`,
    pass: Number.isFinite(value) && value <= max,
  };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const KiB = 1024;
export const MiB = 1024 * 1024;

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

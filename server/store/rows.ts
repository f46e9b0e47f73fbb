/** Reading stored JSON: a row that cannot be read is skipped (logged once and counted), never fatal. */
import type { Logger } from '../log.js';

export class RowReader {
  /** Rows skipped as unreadable, by table and key: each is logged once. */
  readonly #skipped = new Set<string>();
  readonly #log: Logger | undefined;

  constructor(log?: Logger) {
    this.#log = log;
  }

  get skippedCount(): number {
    return this.#skipped.size;
  }

  /** Parses a stored JSON value; on failure, skips the row (logged once) and returns undefined. */
  read(json: string, where: Record<string, string>): unknown {
    try {
      return JSON.parse(json);
    } catch (err) {
      this.skip(where, (err as Error).message);
      return undefined;
    }
  }

  skip(where: Record<string, string>, reason: string): void {
    const key = JSON.stringify(where);
    if (this.#skipped.has(key)) return;
    this.#skipped.add(key);
    this.#log?.warn('store.row_skipped', { ...where, reason });
  }
}

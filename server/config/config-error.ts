/** The error of a wrong setting, naming its key and the reason, and the list that collects them. */

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`configuration error: ${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/**
 * The errors found while reading the configuration: a reader goes on past a wrong key with its
 * fallback, so that an operator sees every wrong key at once (`commune-feed check-config`).
 */
export class ConfigErrors {
  readonly list: ConfigError[] = [];

  /** The value `get` reads, or `fallback` when it throws a ConfigError (kept in the list). */
  read<T>(fallback: T, get: () => T): T {
    try {
      return get();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.list.push(err);
      return fallback;
    }
  }

  add(error: ConfigError): void {
    this.list.push(error);
  }

  /** Whether a key already has an error (not to name it twice). */
  has(key: string): boolean {
    return this.list.some((e) => e.key === key);
  }
}

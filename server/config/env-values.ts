/** Values of environment variables: whole numbers, bearer tokens, URLs; an error names the variable. */
import { ConfigError } from './config-error.js';

export function intFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  // Plain decimal digits only: Number() would also read "0x50" as 80, "1e3" as 1000 and " 8" as 8.
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(key, `must be a whole number from ${min} to ${max} in decimal digits, got "${raw}"`);
  }
  return n;
}

/**
 * Shortest bearer token accepted. X's are over 100 characters: a short one is a mistake, and
 * hiding it in every message (redaction) would mangle them.
 */
export const MIN_TOKEN_LENGTH = 20;

/** A bearer token from the environment; surrounding spaces and line breaks are dropped. Never echoed. */
export function tokenFromEnv(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const raw = env[key]?.trim();
  if (!raw) return undefined;
  if (/\s/.test(raw)) throw new ConfigError(key, 'must not contain spaces or line breaks (a copy-paste mistake?)');
  if (raw.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      key,
      `is too short for a bearer token: ${raw.length} characters, at least ${MIN_TOKEN_LENGTH} expected (X's are over 100)`,
    );
  }
  return raw;
}

export function urlFromEnv(env: NodeJS.ProcessEnv, key: string, protocols = ['http:', 'https:']): string | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(key, `must be an absolute URL, got "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(key, `must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`);
  }
  return raw.replace(/\/+$/, '');
}

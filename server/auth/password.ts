/**
 * Password hashes: scrypt (N=2^15, r=8, p=1, 16-byte salt, 64-byte key), stored
 * as `scrypt$N$r$p$salt$hash` (base64), compared in constant time. Checking a
 * password for an unknown user costs the same as for a known one.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted: scrypt's cost does not depend on it, but the request size does. */
export const MAX_PASSWORD_LENGTH = 1024;

const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 64;
/** Largest N accepted from a stored hash, so that a damaged row cannot make a check take minutes. */
const MAX_N = 2 ** 20;

/**
 * A well-formed hash no password matches in practice, checked when the user is
 * unknown so that the answer takes as long as for a known user.
 */
const UNKNOWN_USER_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${Buffer.alloc(SALT_BYTES, 0x5a).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;

interface ParsedHash {
  cost: { N: number; r: number; p: number };
  salt: Buffer;
  key: Buffer;
}

function derive(password: string, salt: Buffer, cost: ParsedHash['cost']): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that for N=2^15, r=8.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function parse(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  const isPowerOfTwo = Number.isInteger(N) && N > 1 && N <= MAX_N && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) {
    return undefined;
  }
  if (salt.length < SALT_BYTES || key.length !== KEY_BYTES) return undefined;
  return { cost: { N, r, p }, salt, key };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * True when `password` matches `stored`. With `stored` undefined (unknown user)
 * or unreadable, a dummy hash is checked instead and the answer is false.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parsed = (stored !== undefined && parse(stored)) || undefined;
  const target = parsed ?? parse(UNKNOWN_USER_HASH)!;
  const key = await derive(password, target.salt, target.cost);
  return timingSafeEqual(key, target.key) && parsed !== undefined;
}

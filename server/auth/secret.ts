/** Secrets compared in constant time, and random tokens with only their digest kept. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a string, hex-encoded: what the store keeps of a session id. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Compares two secrets in constant time. Both sides are hashed first, so the
 * time taken says nothing about the expected secret's length either.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** A random token of `bytes` bytes, base64url-encoded (32 bytes → 43 characters). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

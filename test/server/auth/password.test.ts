import { describe, expect, it, vi } from 'vitest';

// Records the cost parameters of every scrypt call, so the tests can see what a check costs.
const costs = vi.hoisted(() => [] as { N?: number; r?: number; p?: number }[]);
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return {
    ...crypto,
    scrypt: (...args: Parameters<typeof crypto.scrypt>) => {
      costs.push(args[3] as { N?: number; r?: number; p?: number });
      return (crypto.scrypt as (...a: unknown[]) => void)(...args);
    },
  };
});

const { hashPassword, verifyPassword } = await import('../../../server/auth/password.js');

describe('password hashes', () => {
  it('are stored as scrypt$N$r$p$salt$hash with N=2^15, r=8, p=1, a 16-byte salt and a 64-byte key', async () => {
    const stored = await hashPassword('un mot de passe solide');
    const [scheme, N, r, p, salt, key] = stored.split('$');
    expect([scheme, N, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(64);
  });

  it('are salted: the same password gives two different hashes', async () => {
    expect(await hashPassword('un mot de passe solide')).not.toBe(await hashPassword('un mot de passe solide'));
  });

  it('match their password only', async () => {
    const stored = await hashPassword('un mot de passe solide');
    expect(await verifyPassword('un mot de passe solide', stored)).toBe(true);
    expect(await verifyPassword('un mot de passe solidE', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('match the same password typed in another Unicode normal form', async () => {
    const stored = await hashPassword('Fête du livre 2026');
    expect(await verifyPassword('Fe\u0302te du livre 2026', stored)).toBe(true);
  });

  it('cost the same for an unknown user or an unreadable hash as for a known user', async () => {
    const stored = await hashPassword('un mot de passe solide');
    costs.length = 0;
    expect(await verifyPassword('un mot de passe solide', stored)).toBe(true);
    expect(await verifyPassword('un mot de passe solide', undefined)).toBe(false);
    expect(await verifyPassword('un mot de passe solide', 'scrypt$2$1$1$abc$def')).toBe(false);
    expect(await verifyPassword('un mot de passe solide', 'plain text')).toBe(false);
    expect(costs.map(({ N, r, p }) => ({ N, r, p }))).toEqual(Array(4).fill({ N: 32768, r: 8, p: 1 }));
  });
});

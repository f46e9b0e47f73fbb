/**
 * Organisers' accounts: the rules every way in (admin API, CLI) goes through.
 * Names are unique without regard to case; the last enabled admin cannot be
 * removed, demoted or disabled; disabling a user or changing its password ends
 * its sessions; a password check costs the same for unknown users.
 */
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { AccountStore, type UserRow } from './account-store.js';
import { RESERVED_USERNAMES, ROLES, type Role } from './actor.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from './password.js';

export const usernameSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/,
    'must be 1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  )
  .refine((name) => !RESERVED_USERNAMES.includes(name.toLowerCase()), 'is reserved');

export const passwordSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

export const displayNameSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

export const roleSchema = z.enum(ROLES as [Role, ...Role[]], {
  error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${ROLES.join(', ')}`),
});

/** An account as the API and the CLI show it: never its password hash. */
export interface User {
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
  /** When the account was disabled; null while it is enabled. */
  disabledAt: string | null;
}

export interface NewUser {
  username: string;
  displayName?: string;
  role: Role;
  password: string;
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  password?: string;
  disabled?: boolean;
}

export type AccountProblem = 'exists' | 'not-found' | 'last-admin' | 'setup-done';

/** A change the account rules refuse; `problem` says which rule. */
export class AccountError extends Error {
  constructor(
    readonly problem: AccountProblem,
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

export function toUser(row: UserRow): User {
  return {
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    createdAt: new Date(row.createdMs).toISOString(),
    disabledAt: row.disabledMs === null ? null : new Date(row.disabledMs).toISOString(),
  };
}

export class Accounts {
  readonly store: AccountStore;
  readonly #clock: Clock;

  constructor(store: AccountStore, clock: Clock) {
    this.store = store;
    this.#clock = clock;
  }

  hasUsers(): boolean {
    return this.store.hasUsers();
  }

  list(): User[] {
    return this.store.users().map(toUser);
  }

  get(username: string): User | undefined {
    const row = this.store.user(username);
    return row && toUser(row);
  }

  /** Creates an account; `onlyIfNone` refuses when any account exists (the first admin from ADMIN_TOKEN). */
  async add(input: NewUser, options: { onlyIfNone?: boolean } = {}): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    const row = {
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: input.role,
      passwordHash,
      createdMs: this.#clock.now(),
    };
    return this.store.transaction(() => {
      if (options.onlyIfNone && this.store.hasUsers()) {
        throw new AccountError('setup-done', 'an account already exists: sign in, or ask an administrator');
      }
      if (!this.store.insertUser(row)) throw new AccountError('exists', `user "${input.username}" already exists`);
      return toUser({ ...row, disabledMs: null });
    });
  }

  /**
   * The enabled user whose password this is, or undefined. Unknown and disabled
   * users take as long to refuse as a wrong password.
   */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const row = this.store.user(username);
    const matches = await verifyPassword(password, row?.passwordHash);
    // Read again: the account may have been disabled or removed while the hash was computed.
    const now = matches ? this.store.user(username) : undefined;
    return now && now.disabledMs === null && now.passwordHash === row?.passwordHash ? toUser(now) : undefined;
  }

  /**
   * Changes an account. Disabling it or changing its password ends its
   * sessions, except `keepSession` (the id hash of the session making the change).
   */
  async update(username: string, changes: UserChanges, options: { keepSession?: string } = {}): Promise<User> {
    const passwordHash = changes.password === undefined ? undefined : await hashPassword(changes.password);
    return this.store.transaction(() => {
      const row = this.#existing(username);
      const disabledMs =
        changes.disabled === undefined
          ? row.disabledMs
          : changes.disabled
            ? (row.disabledMs ?? this.#clock.now())
            : null;
      const next: UserRow = {
        ...row,
        displayName: changes.displayName ?? row.displayName,
        role: changes.role ?? row.role,
        passwordHash: passwordHash ?? row.passwordHash,
        disabledMs,
      };
      const stopsBeingAdmin = next.role !== 'admin' || next.disabledMs !== null;
      if (row.role === 'admin' && row.disabledMs === null && stopsBeingAdmin) this.#keepOneAdmin(row.username);
      this.store.updateUser(next);
      if (passwordHash !== undefined || (disabledMs !== null && row.disabledMs === null)) {
        this.store.deleteSessionsOf(row.username, disabledMs === null ? options.keepSession : undefined);
      }
      return toUser(next);
    });
  }

  /** Removes an account and its sessions. */
  remove(username: string): void {
    this.store.transaction(() => {
      const row = this.#existing(username);
      if (row.role === 'admin' && row.disabledMs === null) this.#keepOneAdmin(row.username);
      this.store.deleteUser(row.username);
    });
  }

  #existing(username: string): UserRow {
    const row = this.store.user(username);
    if (!row) throw new AccountError('not-found', `no user "${username}"`);
    return row;
  }

  #keepOneAdmin(username: string): void {
    if (this.store.enabledAdminsBesides(username) === 0) {
      throw new AccountError(
        'last-admin',
        `"${username}" is the last enabled administrator: make another account admin first`,
      );
    }
  }
}

/** The SQL of organisers' accounts and sessions, on the server's better-sqlite3 database (tables from migration 2). */
import type Database from 'better-sqlite3';
import type { Role } from './actor.js';

export interface UserRow {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  createdMs: number;
  disabledMs: number | null;
}

export interface SessionRow {
  idHash: string;
  username: string;
  createdMs: number;
  expiresMs: number;
  lastSeenMs: number;
}

/** A session joined with its user, as the middleware needs it. */
export interface SessionWithUser extends SessionRow {
  user: UserRow;
}

const USER_COLUMNS = `username, display_name AS displayName, role, password_hash AS passwordHash,
  created_ms AS createdMs, disabled_ms AS disabledMs`;

export class AccountStore {
  readonly db: Database.Database;
  readonly #stmt;

  constructor(db: Database.Database) {
    this.db = db;
    this.#stmt = {
      user: db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`),
      users: db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`),
      anyUser: db.prepare('SELECT 1 FROM users LIMIT 1').pluck(),
      enabledAdmins: db
        .prepare(`SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_ms IS NULL AND username != ?`)
        .pluck(),
      insertUser: db.prepare(
        `INSERT INTO users (username, display_name, role, password_hash, created_ms)
         VALUES (@username, @displayName, @role, @passwordHash, @createdMs)`,
      ),
      updateUser: db.prepare(
        `UPDATE users SET display_name = @displayName, role = @role, password_hash = @passwordHash,
           disabled_ms = @disabledMs WHERE username = @username`,
      ),
      deleteUser: db.prepare('DELETE FROM users WHERE username = ?'),
      session: db.prepare(
        `SELECT id_hash AS idHash, username, created_ms AS createdMs, expires_ms AS expiresMs,
           last_seen_ms AS lastSeenMs FROM sessions WHERE id_hash = ?`,
      ),
      insertSession: db.prepare(
        `INSERT INTO sessions (id_hash, username, created_ms, expires_ms, last_seen_ms, user_agent)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      touchSession: db.prepare('UPDATE sessions SET last_seen_ms = ? WHERE id_hash = ?'),
      deleteSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
      deleteSessionsOf: db.prepare('DELETE FROM sessions WHERE username = ? AND id_hash != ?'),
      deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_ms <= ? OR last_seen_ms <= ?'),
      trimSessionsOf: db.prepare(
        `DELETE FROM sessions WHERE username = ? AND id_hash NOT IN
           (SELECT id_hash FROM sessions WHERE username = ? ORDER BY created_ms DESC LIMIT ?)`,
      ),
    };
  }

  /** Runs `fn` in one transaction (checks and writes see the same state). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  user(username: string): UserRow | undefined {
    return this.#stmt.user.get(username) as UserRow | undefined;
  }

  users(): UserRow[] {
    return this.#stmt.users.all() as UserRow[];
  }

  hasUsers(): boolean {
    return this.#stmt.anyUser.get() !== undefined;
  }

  /** Enabled admins other than `except`. */
  enabledAdminsBesides(except: string): number {
    return this.#stmt.enabledAdmins.get(except) as number;
  }

  /** Inserts a user; false when the name is taken (names are compared without case). */
  insertUser(user: Omit<UserRow, 'disabledMs'>): boolean {
    try {
      this.#stmt.insertUser.run(user);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
      throw err;
    }
  }

  updateUser(user: UserRow): void {
    this.#stmt.updateUser.run(user);
  }

  deleteUser(username: string): boolean {
    this.#stmt.deleteSessionsOf.run(username, '');
    return this.#stmt.deleteUser.run(username).changes > 0;
  }

  /** A session and its user; undefined when either is gone. */
  session(idHash: string): SessionWithUser | undefined {
    const session = this.#stmt.session.get(idHash) as SessionRow | undefined;
    const user = session && this.user(session.username);
    return session && user ? { ...session, user } : undefined;
  }

  insertSession(session: SessionRow, userAgent: string | null): void {
    this.#stmt.insertSession.run(
      session.idHash,
      session.username,
      session.createdMs,
      session.expiresMs,
      session.lastSeenMs,
      userAgent,
    );
  }

  touchSession(idHash: string, nowMs: number): void {
    this.#stmt.touchSession.run(nowMs, idHash);
  }

  deleteSession(idHash: string): void {
    this.#stmt.deleteSession.run(idHash);
  }

  /** Ends every session of a user, except `keep` (the id hash of the session making the change). */
  deleteSessionsOf(username: string, keep = ''): number {
    return this.#stmt.deleteSessionsOf.run(username, keep).changes;
  }

  /** Deletes sessions past their end, and a user's oldest beyond `perUser`. */
  prune(username: string, expiredBeforeMs: number, idleBeforeMs: number, perUser: number): void {
    this.#stmt.deleteExpired.run(expiredBeforeMs, idleBeforeMs);
    this.#stmt.trimSessionsOf.run(username, username, perUser);
  }
}

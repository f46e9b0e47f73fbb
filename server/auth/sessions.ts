/**
 * Organisers' sessions: a random 32-byte id in the `cf_session` cookie, only
 * its SHA-256 stored. A session ends after 12 hours without a request, 7 days
 * after it began, at logout, or when its user is disabled or changes password.
 */
import type { Clock } from '../clock.js';
import { isBusy } from '../store/open-database.js';
import type { AccountStore } from './account-store.js';
import { toUser, type User } from './accounts.js';
import { randomToken, sha256 } from './secret.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'cf_session';
/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** A session ends this long after it began, however active. */
export const SESSION_MAX_MS = 7 * 86_400_000;
/** Sessions kept per user; logging in again beyond that ends the oldest. */
export const SESSIONS_PER_USER = 20;
/** Last-seen times are written at most this often per session (one write per minute, not per request). */
const TOUCH_EVERY_MS = 60_000;
/** What a cookie made by `randomToken(32)` looks like; anything else is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface Session {
  /** SHA-256 of the cookie value: what the store keys the session by. */
  idHash: string;
  user: User;
  expiresAt: string;
}

export interface NewSession extends Session {
  /** The cookie value, given to the browser once. */
  cookie: string;
  /** Seconds until the session's absolute end (the cookie's Max-Age). */
  maxAgeSeconds: number;
}

export class Sessions {
  readonly #store: AccountStore;
  readonly #clock: Clock;

  constructor(store: AccountStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Opens a session for a user who just proved who they are. */
  create(user: User, userAgent?: string): NewSession {
    const now = this.#clock.now();
    const cookie = randomToken(32);
    const idHash = sha256(cookie);
    const expiresMs = now + SESSION_MAX_MS;
    this.#store.transaction(() => {
      this.#store.prune(user.username, now, now - SESSION_IDLE_MS, SESSIONS_PER_USER - 1);
      this.#store.insertSession(
        { idHash, username: user.username, createdMs: now, expiresMs, lastSeenMs: now },
        userAgent?.slice(0, 300) ?? null,
      );
    });
    return { cookie, idHash, user, expiresAt: new Date(expiresMs).toISOString(), maxAgeSeconds: SESSION_MAX_MS / 1000 };
  }

  /**
   * The live session a cookie value stands for, its last-seen time moved on;
   * undefined when it is unknown, expired, or its user is disabled or gone.
   */
  resolve(cookie: string | undefined): Session | undefined {
    if (!cookie || !SESSION_ID.test(cookie)) return undefined;
    const idHash = sha256(cookie);
    const found = this.#store.session(idHash);
    if (!found) return undefined;
    const now = this.#clock.now();
    if (now >= found.expiresMs || now - found.lastSeenMs >= SESSION_IDLE_MS) {
      this.#store.deleteSession(idHash);
      return undefined;
    }
    if (found.user.disabledMs !== null) return undefined;
    if (now - found.lastSeenMs >= TOUCH_EVERY_MS) this.#touch(idHash, now);
    return { idHash, user: toUser(found.user), expiresAt: new Date(found.expiresMs).toISOString() };
  }

  /**
   * Moves the last-seen time on. Only a hint (a later request writes it again), so a database that
   * another process holds busy does not turn an organiser's read into an error.
   */
  #touch(idHash: string, now: number): void {
    try {
      this.#store.touchSession(idHash, now);
    } catch (err) {
      if (!isBusy(err)) throw err;
    }
  }

  /** Ends one session (logout). */
  end(idHash: string): void {
    this.#store.deleteSession(idHash);
  }
}

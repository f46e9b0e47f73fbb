/**
 * Admin API test helpers: organisers with a session for a given role, and
 * requests that carry what the console sends (Origin, JSON content type).
 */
import type { AdminAuth } from '../../server/auth/admin-auth.js';
import type { User } from '../../server/auth/accounts.js';
import type { Role } from '../../server/auth/actor.js';
import { SESSION_COOKIE } from '../../server/auth/sessions.js';
import type { Config } from '../../server/config.js';
import { memoryLogger } from '../../server/log.js';
import { createServices, type ServerDeps } from '../../server/services.js';
import { testConfig } from './config.js';
import { FakeClock } from './fake-clock.js';
import { ScriptedSource } from './scripted-source.js';

/** The password of every test organiser (at least 12 characters). */
export const TEST_PASSWORD = 'mot de passe de test';
/** The origin `app.request('/…')` answers as: send it as `Origin` to pass the cross-site check. */
export const TEST_ORIGIN = 'http://localhost';

/** Anything with Hono's `request()`: the app, or an admin sub-app mounted at `/api/admin`. */
export interface RequestTarget {
  request(input: string, init?: RequestInit, env?: unknown): Response | Promise<Response>;
}

export interface Organiser {
  user: User;
  /** The `Cookie` header value of a fresh session: `cf_session=…`. */
  cookie: string;
}

export interface AdminRequestInit {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** A `Cookie` header (from `signedInAs` or `sessionCookie`). */
  cookie?: string;
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  /** `Origin` header; default TEST_ORIGIN on state-changing requests; null leaves it out. */
  origin?: string | null;
  /** Default `application/json` on state-changing requests; null leaves it out. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Hono bindings, e.g. `{ incoming: { socket: { remoteAddress: '203.0.113.7' } } }` for the client's address. */
  env?: unknown;
}

/** The ADMIN_TOKEN of `adminServices()`. */
export const TEST_ADMIN_TOKEN = 'jeton-operateur-de-test-0123456789';

/**
 * The server's services (no socket) for admin API tests: a fake clock, a
 * scripted source, ADMIN_TOKEN set (unless `adminToken: null`). Call `close()` after the test.
 */
export function adminServices(
  options: { config?: Partial<Config>; adminToken?: string | null; deps?: Partial<ServerDeps> } = {},
) {
  const clock = new FakeClock();
  const log = memoryLogger();
  const services = createServices(testConfig(options.config), {
    clock,
    log,
    sourceFor: () => new ScriptedSource(),
    adminToken: options.adminToken === null ? '' : (options.adminToken ?? TEST_ADMIN_TOKEN),
    ...options.deps,
  });
  const close = () => {
    services.moderation.stop();
    services.delivery.close();
    services.store.close();
  };
  return { ...services, clock, log, close };
}

/** A client address for `app.request()`, which has no socket: the bindings `socketAddress()` reads. */
export function fromAddress(remoteAddress: string) {
  return { incoming: { socket: { remoteAddress } } };
}

/** A request to the admin API as the console would send it. */
export function adminRequest(app: RequestTarget, path: string, init: AdminRequestInit = {}): Promise<Response> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  const changing = method !== 'GET' && method !== 'HEAD';
  const headers: Record<string, string> = { ...init.headers };
  const origin = init.origin === undefined ? (changing ? TEST_ORIGIN : null) : init.origin;
  const contentType = init.contentType === undefined ? (changing ? 'application/json' : null) : init.contentType;
  if (origin !== null) headers.origin = origin;
  if (contentType !== null) headers['content-type'] = contentType;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const body =
    init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  return Promise.resolve(
    app.request(path.startsWith('/') ? path : `/api/admin/${path}`, { method, headers, body }, init.env),
  );
}

/** Creates an organiser account with TEST_PASSWORD. */
export function addOrganiser(auth: AdminAuth, role: Role, username: string = role): Promise<User> {
  return auth.accounts.add({ username, role, password: TEST_PASSWORD, displayName: `Test ${role}` });
}

/** A `Cookie` header for a new session of an existing user (as a successful login would give). */
export function sessionCookie(auth: AdminAuth, user: User): string {
  return `${SESSION_COOKIE}=${auth.sessions.create(user).cookie}`;
}

/** Creates an organiser of this role and opens a session for them. */
export async function signedInAs(auth: AdminAuth, role: Role, username: string = role): Promise<Organiser> {
  const user = await addOrganiser(auth, role, username);
  return { user, cookie: sessionCookie(auth, user) };
}

/** The `cf_session=…` pair of a response's Set-Cookie, ready to send back as `Cookie`. */
export function cookieFrom(res: Response): string {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!header) throw new Error(`no ${SESSION_COOKIE} cookie in the answer (status ${res.status})`);
  return header.split(';')[0]!;
}

/**
 * Signing in and out: `POST /login`, `GET|POST /setup` (the first admin, with
 * ADMIN_TOKEN) are public; `GET /session` and `POST /logout` need a session.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { displayNameSchema, passwordSchema, usernameSchema, type User } from '../../auth/accounts.js';
import type { Actor } from '../../auth/actor.js';
import type { AdminAuth } from '../../auth/admin-auth.js';
import { clearSessionCookie, setSessionCookie, tooManyAttempts, type AdminEnv } from '../../auth/middleware.js';
import { MAX_PASSWORD_LENGTH } from '../../auth/password.js';
import { sameSecret } from '../../auth/secret.js';
import { jsonError } from '../errors.js';
import { validate } from '../validate.js';

/** The one answer to a wrong username or password, whichever it was. */
export const LOGIN_FAILED_MESSAGE = "nom d'utilisateur ou mot de passe incorrect";

/** The user as the console shows who is signed in. */
export interface SignedInUser {
  username: string;
  displayName: string;
  role: Actor['role'];
}

/** `GET /setup`: whether the console offers to create the first admin. */
export interface SetupStatus {
  needsFirstAdmin: boolean;
  tokenConfigured: boolean;
}

function signedIn(user: User): SignedInUser {
  return { username: user.username, displayName: user.displayName, role: user.role };
}

const loginBody = z
  .object({
    // Any name is tried (and fails like a wrong password): its format says nothing here.
    username: z.string({ error: 'is required' }).min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
    password: z
      .string({ error: 'is required' })
      .min(1, 'must not be empty')
      .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
  })
  .strict();

const setupBody = z
  .object({
    token: z.string({ error: 'is required' }).min(1, 'must not be empty').max(1024),
    username: usernameSchema,
    displayName: displayNameSchema.optional(),
    password: passwordSchema,
  })
  .strict();

/** Public routes: login and the first admin. */
export function createSignInRoutes(auth: AdminAuth) {
  const routes = new Hono<AdminEnv>();
  // What was typed as a username is logged only when it names an account: an organiser who types
  // their password in the wrong field must not find it in the log.
  const loggedName = (username: string) => auth.accounts.get(username)?.username ?? '(no such account)';

  routes.post('/login', validate('json', loginBody), async (c) => {
    const { username, password } = c.req.valid('json');
    const address = auth.clientAddress(c);
    const attempt = auth.throttle.attempt({ account: username, address });
    if (!attempt.allowed) {
      auth.log.warn('admin.login_throttled', { user: loggedName(username), address });
      return tooManyAttempts(c, attempt.retryAfterMs);
    }
    const user = await auth.accounts.authenticate(username, password);
    if (!user) {
      auth.log.warn('admin.login_failed', { user: loggedName(username), address });
      return jsonError(c, 401, LOGIN_FAILED_MESSAGE);
    }
    attempt.succeeded();
    setSessionCookie(c, auth, auth.sessions.create(user, c.req.header('user-agent')));
    auth.log.info('admin.login', { user: user.username, address });
    return c.json({ user: signedIn(user) });
  });

  routes.get('/setup', (c) =>
    c.json<SetupStatus>({ needsFirstAdmin: !auth.accounts.hasUsers(), tokenConfigured: auth.adminToken !== undefined }),
  );

  routes.post('/setup', validate('json', setupBody), async (c) => {
    const { token, ...account } = c.req.valid('json');
    if (!auth.adminToken) return jsonError(c, 403, "ADMIN_TOKEN n'est pas défini sur le serveur");
    const attempt = auth.throttle.attempt({ address: auth.clientAddress(c) });
    if (!attempt.allowed) return tooManyAttempts(c, attempt.retryAfterMs);
    if (!sameSecret(token, auth.adminToken)) return jsonError(c, 403, "jeton d'administration incorrect");
    attempt.succeeded();
    const user = await auth.accounts.add({ ...account, role: 'admin' }, { onlyIfNone: true });
    setSessionCookie(c, auth, auth.sessions.create(user, c.req.header('user-agent')));
    auth.log.info('admin.first_admin_created', { user: user.username });
    return c.json({ user: signedIn(user) }, 201);
  });

  return routes;
}

/** Routes behind `requireSession`: who is signed in, and logout. */
export function createSessionRoutes(auth: AdminAuth) {
  const routes = new Hono<AdminEnv>();

  routes.get('/session', (c) => {
    const session = c.get('session');
    const actor = c.get('actor');
    const user: SignedInUser = session
      ? signedIn(session.user)
      : { username: actor.username, displayName: 'ADMIN_TOKEN', role: actor.role };
    return c.json({ user });
  });

  routes.post('/logout', (c) => {
    const session = c.get('session');
    if (session) auth.sessions.end(session.idHash);
    clearSessionCookie(c, auth);
    return c.body(null, 204);
  });

  return routes;
}

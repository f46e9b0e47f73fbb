/**
 * Hono middleware of the admin API: the cross-site check on state-changing
 * requests, the session (cookie, or the operator's bearer token) and the role
 * (its headers come from `http/headers.ts`). Routes read `c.get('actor')`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { NodeBindings } from '../http/api.js';
import { jsonError } from '../http/errors.js';
import { retryAfterHeaders } from '../http/headers.js';
import { ADMIN_TOKEN_ACTOR, type Actor, type Role } from './actor.js';
import type { AdminAuth } from './admin-auth.js';
import { ownOrigin, requestIsHttps } from './request-origin.js';
import { sameSecret } from './secret.js';
import { SESSION_COOKIE, type NewSession, type Session } from './sessions.js';

export interface AdminVariables {
  /** Who is asking: an organiser, or `admin-token`. */
  actor: Actor;
  /** The organiser's session; undefined for the bearer token. */
  session: Session | undefined;
}

/** The Hono environment of admin routes. */
export type AdminEnv = { Bindings: NodeBindings; Variables: AdminVariables };

/** The answer to every request without a valid session: it says nothing else. */
export const UNAUTHENTICATED_MESSAGE = 'authentication required';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The Retry-After answer of a throttled attempt. */
export function tooManyAttempts(c: Context, retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return jsonError(c, 429, `trop de tentatives : réessayez dans ${seconds} s`, retryAfterHeaders(seconds));
}

/** The operator token of an `Authorization: Bearer …` header, compared in constant time. */
function bearer(c: Context, auth: AdminAuth): 'absent' | 'valid' | 'invalid' {
  const header = c.req.header('authorization');
  if (header === undefined) return 'absent';
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  return match && auth.adminToken && sameSecret(match[1]!, auth.adminToken) ? 'valid' : 'invalid';
}

/**
 * Refuses a state-changing request (POST, PUT, PATCH, DELETE) unless its
 * `Origin` is this server's own and its body is JSON: a form or a script on
 * another site cannot send both. The operator's bearer token is exempt: no
 * browser adds it by itself, so another site cannot forge it.
 */
export function sameOrigin(auth: AdminAuth): MiddlewareHandler<AdminEnv> {
  return async function sameOrigin(c, next) {
    if (!STATE_CHANGING.has(c.req.method) || bearer(c, auth) === 'valid') return next();
    const expected = ownOrigin(c, auth);
    if (c.req.header('origin') !== expected) {
      return jsonError(c, 403, `cross-site request refused: the Origin header must be ${expected}`);
    }
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return jsonError(c, 403, 'cross-site request refused: the content type must be application/json');
    }
    return next();
  };
}

/**
 * Lets the request on only with a live organiser session (the `cf_session`
 * cookie) or the operator's `Authorization: Bearer <ADMIN_TOKEN>`; else 401.
 * Wrong tokens count as failed logins of the client's address.
 */
export function requireSession(auth: AdminAuth): MiddlewareHandler<AdminEnv> {
  return async function requireSession(c, next) {
    const token = bearer(c, auth);
    if (token !== 'absent') {
      const attempt = auth.throttle.attempt({ address: auth.clientAddress(c) });
      if (!attempt.allowed) return tooManyAttempts(c, attempt.retryAfterMs);
      if (token === 'invalid') return jsonError(c, 401, UNAUTHENTICATED_MESSAGE);
      attempt.succeeded();
      c.set('actor', ADMIN_TOKEN_ACTOR);
      c.set('session', undefined);
      return next();
    }
    const session = auth.sessions.resolve(getCookie(c, SESSION_COOKIE));
    if (!session) return jsonError(c, 401, UNAUTHENTICATED_MESSAGE);
    c.set('actor', { username: session.user.username, role: session.user.role });
    c.set('session', session);
    return next();
  };
}

/** Lets the request on only when the actor has this role (after `requireSession`); else 403. */
export function requireRole(role: Role): MiddlewareHandler<AdminEnv> {
  return async function requireRole(c, next) {
    if (c.get('actor').role !== role) return jsonError(c, 403, `this action needs the ${role} role`);
    return next();
  };
}

function cookieOptions(c: Context, auth: AdminAuth) {
  return { httpOnly: true, sameSite: 'Strict', path: '/', secure: requestIsHttps(c, auth) } as const;
}

/** Gives the browser its session cookie: HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS. */
export function setSessionCookie(c: Context, auth: AdminAuth, session: NewSession): void {
  setCookie(c, SESSION_COOKIE, session.cookie, { ...cookieOptions(c, auth), maxAge: session.maxAgeSeconds });
}

export function clearSessionCookie(c: Context, auth: AdminAuth): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c, auth));
}

/**
 * The fake PDS's sessions, as Bluesky's behave: `createSession` with a handle and an app password,
 * access tokens that expire (400 `ExpiredToken`), refresh tokens used once (`refreshSession`
 * revokes the one it was given), and the XRPC errors of a missing or unknown token.
 */
import { randomBytes } from 'node:crypto';
import type { Answer } from './appview.js';

export interface FakeAccount {
  did: string;
  handle: string;
  appPassword: string;
}

interface Token {
  did: string;
  kind: 'access' | 'refresh';
  expiresAt: number;
  revoked: boolean;
}

export interface PdsState {
  accounts: FakeAccount[];
  tokens: Map<string, Token>;
  /** Access token lifetime (Bluesky: about 2 hours). */
  accessTtlMs: number;
  refreshTtlMs: number;
}

/** A token shaped like a JWT (three base64url parts), unique. */
function fakeJwt(kind: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'ES256K' })}.${part({ scope: kind, jti: randomBytes(8).toString('hex') })}.${randomBytes(24).toString('base64url')}`;
}

function issue(state: PdsState, account: FakeAccount, now: number): Answer {
  const accessJwt = fakeJwt('com.atproto.appPass');
  const refreshJwt = fakeJwt('com.atproto.refresh');
  state.tokens.set(accessJwt, { did: account.did, kind: 'access', expiresAt: now + state.accessTtlMs, revoked: false });
  state.tokens.set(refreshJwt, {
    did: account.did,
    kind: 'refresh',
    expiresAt: now + state.refreshTtlMs,
    revoked: false,
  });
  const body = {
    did: account.did,
    handle: account.handle,
    accessJwt,
    refreshJwt,
    active: true,
    email: 'mairie@example.fr',
  };
  return { status: 200, body };
}

function bearer(authorization: string | undefined): string | undefined {
  const m = /^Bearer (\S+)$/.exec(authorization ?? '');
  return m?.[1];
}

export function createSession(state: PdsState, body: unknown, now: number): Answer {
  const { identifier, password } = (body ?? {}) as { identifier?: unknown; password?: unknown };
  if (typeof identifier !== 'string' || typeof password !== 'string') {
    return { status: 400, body: { error: 'InvalidRequest', message: 'Input must have the property "identifier"' } };
  }
  const account = state.accounts.find((a) => a.handle === identifier.toLowerCase() || a.did === identifier);
  if (!account || account.appPassword !== password) {
    return { status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } };
  }
  return issue(state, account, now);
}

/** Checks a bearer token of the expected kind: the token's record, or the XRPC error to answer. */
export function checkToken(
  state: PdsState,
  authorization: string | undefined,
  kind: Token['kind'],
  now: number,
): { token: Token; jwt: string } | Answer {
  const jwt = bearer(authorization);
  if (!jwt) return { status: 401, body: { error: 'AuthMissing', message: 'Authentication Required' } };
  const token = state.tokens.get(jwt);
  if (!token || token.kind !== kind)
    return { status: 400, body: { error: 'InvalidToken', message: 'Token could not be verified' } };
  if (token.revoked) return { status: 400, body: { error: 'ExpiredToken', message: 'Token has been revoked' } };
  if (token.expiresAt <= now) return { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } };
  return { token, jwt };
}

export function refreshSession(state: PdsState, authorization: string | undefined, now: number): Answer {
  const checked = checkToken(state, authorization, 'refresh', now);
  if ('status' in checked) return checked;
  checked.token.revoked = true;
  const account = state.accounts.find((a) => a.did === checked.token.did)!;
  return issue(state, account, now);
}

/** Makes every access token expire now (refresh tokens too when `refresh`). */
export function expireTokens(state: PdsState, now: number, refresh = false): void {
  for (const token of state.tokens.values()) if (token.kind === 'access' || refresh) token.expiresAt = now;
}

/**
 * A logged-in session of the town's Bluesky account, for what Bluesky no longer serves to logged-out
 * callers (post search, since 2025): created on the account's PDS with an app password, refreshed
 * when the access token expires, and used to call the AppView through the PDS.
 */
import { redactor, type Redact } from '../../redact.js';
import type { BskySession } from './lexicon.js';
import { BlueskyApiError, xrpc, type BlueskyAnswer, type BlueskyEndpoint, type XrpcRequest } from './xrpc.js';

export interface BlueskyCredentials {
  /** The account's handle (or did, or e-mail). */
  identifier: string;
  /** An app password (`xxxx-xxxx-xxxx-xxxx`), never the account's main password. */
  appPassword: string;
}

/** What `/api/health` and the logs say when hashtag search is asked for without an account. */
export const CREDENTIALS_MISSING = 'hashtag search on Bluesky needs BLUESKY_HANDLE and BLUESKY_APP_PASSWORD';

/** After the PDS refused the app password, how long before trying to log in again (a refused login counts against the account). */
export const LOGIN_RETRY_MS = 5 * 60_000;

/** Tokens remembered for redaction: the current pair and the ones before, which upstream may still echo. */
const REMEMBERED_TOKENS = 6;

export interface SessionOptions {
  pdsUrl: string;
  credentials?: BlueskyCredentials;
  /** Everything an XRPC request needs besides the call itself. */
  request: Pick<XrpcRequest, 'timeoutMs' | 'now' | 'fetch'>;
}

type Call = Pick<XrpcRequest, 'nsid' | 'endpoint' | 'query' | 'signal'>;

function isSession(body: unknown): body is BskySession {
  const s = body as Partial<BskySession> | undefined;
  return typeof s?.accessJwt === 'string' && typeof s.refreshJwt === 'string' && typeof s.did === 'string';
}

/** A session that can no longer be used as it is: the access token expired, or was revoked. */
function isStale(err: unknown): boolean {
  return err instanceof BlueskyApiError && (err.code === 'ExpiredToken' || err.code === 'InvalidToken');
}

export class BlueskySession {
  readonly #options: SessionOptions;
  #session: BskySession | undefined;
  /** The login or refresh under way, shared by every call that needs it. */
  #renewing: Promise<BskySession> | undefined;
  /** A refused login, answered from memory until `untilMs`. */
  #refused: { error: BlueskyApiError; untilMs: number } | undefined;
  #tokens: string[] = [];
  #redact: Redact;

  constructor(options: SessionOptions) {
    this.#options = options;
    this.#redact = redactor([options.credentials?.appPassword]);
  }

  /** True when an account is configured. */
  get configured(): boolean {
    return this.#options.credentials !== undefined;
  }

  /** Hides the app password and every token of this session, in any letter case. */
  redact(text: string): string {
    return this.#redact(text);
  }

  /**
   * Calls `nsid` on the PDS as the logged-in account (the PDS forwards `app.bsky.*` to the AppView).
   * Logs in first if needed; when the access token has expired, refreshes it (or logs in again)
   * and retries once.
   */
  async get<T>(call: Call): Promise<BlueskyAnswer<T>> {
    if (!this.#options.credentials)
      throw new BlueskyApiError('credentials-missing', CREDENTIALS_MISSING, call.endpoint);
    const session = this.#session ?? (await this.#renew(undefined, call));
    try {
      return await this.#call<T>(call, session.accessJwt);
    } catch (err) {
      if (!isStale(err)) throw err;
      return this.#call<T>(call, (await this.#renew(session, call)).accessJwt);
    }
  }

  #call<T>(call: Call, token: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<BlueskyAnswer<T>> {
    const redact: Redact = (text) => this.#redact(text);
    const request: XrpcRequest = {
      ...this.#options.request,
      ...call,
      baseUrl: this.#options.pdsUrl,
      method,
      token,
      redact,
    };
    return xrpc<T>(body === undefined ? request : { ...request, body });
  }

  /** A fresh session in place of `stale` (undefined: none yet), one renewal at a time. */
  #renew(stale: BskySession | undefined, call: Call): Promise<BskySession> {
    if (this.#session !== stale && this.#session) return Promise.resolve(this.#session);
    this.#renewing ??= (async () => {
      try {
        const renewed = (stale && (await this.#refresh(stale, call.signal))) || (await this.#login(call.signal));
        this.#remember(renewed);
        return renewed;
      } finally {
        this.#renewing = undefined;
      }
    })();
    return this.#renewing;
  }

  /** The refreshed session, or undefined when the refresh token is no longer taken (log in again then). */
  async #refresh(stale: BskySession, signal: AbortSignal | undefined): Promise<BskySession | undefined> {
    const refresh = {
      nsid: 'com.atproto.server.refreshSession',
      endpoint: 'refreshSession' as BlueskyEndpoint,
      signal,
    };
    try {
      const { body } = await this.#call<unknown>(refresh, stale.refreshJwt, 'POST');
      if (!isSession(body))
        throw new BlueskyApiError('unavailable', 'Bluesky sent an unreadable session', 'refreshSession');
      return body;
    } catch (err) {
      if (err instanceof BlueskyApiError && (err.kind === 'auth' || isStale(err))) return undefined;
      throw err;
    }
  }

  async #login(signal: AbortSignal | undefined): Promise<BskySession> {
    const refused = this.#refused;
    if (refused && refused.untilMs > this.#options.request.now()) throw refused.error;
    const { identifier, appPassword } = this.#options.credentials!;
    const login = { nsid: 'com.atproto.server.createSession', endpoint: 'createSession' as BlueskyEndpoint, signal };
    try {
      const { body } = await this.#call<unknown>(login, '', 'POST', { identifier, password: appPassword });
      if (!isSession(body))
        throw new BlueskyApiError('unavailable', 'Bluesky sent an unreadable session', 'createSession');
      this.#refused = undefined;
      return body;
    } catch (err) {
      if (err instanceof BlueskyApiError && err.kind === 'auth') {
        const error = new BlueskyApiError(
          'auth',
          `Bluesky refused the app password of ${identifier}: ${err.message} (check BLUESKY_HANDLE and BLUESKY_APP_PASSWORD)`,
          'createSession',
          err.status,
          err.code,
          err.rateLimit,
        );
        this.#refused = { error, untilMs: this.#options.request.now() + LOGIN_RETRY_MS };
        throw error;
      }
      throw err;
    }
  }

  #remember(session: BskySession): void {
    this.#session = session;
    this.#tokens = [session.accessJwt, session.refreshJwt, ...this.#tokens].slice(0, REMEMBERED_TOKENS);
    this.#redact = redactor([this.#options.credentials?.appPassword, ...this.#tokens]);
  }
}

/**
 * Where a request came from, as the admin API needs it: over HTTPS or not (for
 * the cookie's Secure flag), this server's own origin (for the Origin check),
 * and the client's address (for login throttling).
 */
import type { Context } from 'hono';
import type { NodeBindings } from '../http/api.js';

export interface RequestOriginOptions {
  /** `PUBLIC_URL`: when set, the origin visitors and organisers use. */
  publicUrl?: string;
  /**
   * `TRUST_PROXY`: how many reverse proxies stand in front of this server
   * (0: none, so `X-Forwarded-*` headers are the client's and are ignored).
   */
  trustProxy?: number;
}

/**
 * The value a header list got from the proxy `trustProxy` hops away: each
 * proxy appends, so the entries on the right are the trusted ones.
 */
function forwardedValue(header: string | undefined, trustProxy: number): string | undefined {
  if (!header || trustProxy < 1) return undefined;
  const values = header.split(',').map((v) => v.trim());
  return values[Math.max(0, values.length - trustProxy)];
}

/** True when the browser reached us over HTTPS: TLS here, an https `PUBLIC_URL`, or a trusted proxy saying so. */
export function requestIsHttps(c: Context, options: RequestOriginOptions): boolean {
  if (options.publicUrl?.startsWith('https:')) return true;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return forwardedValue(c.req.header('x-forwarded-proto'), options.trustProxy ?? 0)?.toLowerCase() === 'https';
}

/** This server's origin as browsers see it: `PUBLIC_URL`'s, else the scheme and host of the request. */
export function ownOrigin(c: Context, options: RequestOriginOptions): string {
  if (options.publicUrl) return new URL(options.publicUrl).origin;
  const url = new URL(c.req.url);
  return `${requestIsHttps(c, options) ? 'https' : 'http'}://${url.host}`;
}

/**
 * The address of the socket the request came on. Behind a reverse proxy this
 * is the proxy's: the server's TRUST_PROXY-aware client address replaces it.
 */
export function socketAddress(c: Context): string {
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
}

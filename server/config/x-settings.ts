/** X's settings from the environment: the bearer token and the API's address; a feed on X needs the token. */
import { ConfigError, type ConfigErrors } from './config-error.js';
import type { FeedConfig } from './config-file.js';
import { tokenFromEnv, urlFromEnv } from './env-values.js';

/** `X_BEARER_TOKEN` (never echoed) and `X_API_BASE_URL` (a fake X in tests). */
export function xFromEnv(env: NodeJS.ProcessEnv, errors: ConfigErrors): { bearerToken?: string; baseUrl?: string } {
  const bearerToken = errors.read(undefined, () => tokenFromEnv(env, 'X_BEARER_TOKEN'));
  const baseUrl = errors.read(undefined, () => urlFromEnv(env, 'X_API_BASE_URL'));
  return { bearerToken, baseUrl };
}

/** A feed that reads X without a token is an error (unless the token itself was already wrong). */
export function checkXToken(feeds: readonly FeedConfig[], bearerToken: string | undefined, errors: ConfigErrors): void {
  if (bearerToken || errors.has('X_BEARER_TOKEN')) return;
  const xFeed = feeds.find((f) => f.sources.some((s) => s.network === 'x'));
  if (xFeed) errors.add(new ConfigError('X_BEARER_TOKEN', `is not set, but feed "${xFeed.id}" reads X`));
}

/** Mastodon's and Bluesky's settings from the environment: both are read without a login unless one is given. */
import type { Config } from '../config.js';
import { blueskyAccountFromEnv } from '../sources/bluesky/credentials.js';
import { mastodonTokensFromEnv } from '../sources/mastodon/tokens.js';
import { urlFromEnv } from './env-values.js';

/** `MASTODON_TOKENS`: the tokens of the instances that ask for a login. */
export function mastodonFromEnv(env: NodeJS.ProcessEnv): NonNullable<Config['mastodon']> {
  return { tokens: mastodonTokensFromEnv(env) };
}

/** Bluesky's account and addresses (all optional: its public AppView needs no login). */
export function blueskyFromEnv(env: NodeJS.ProcessEnv): NonNullable<Config['bluesky']> {
  const account = blueskyAccountFromEnv(env);
  const appViewUrl = urlFromEnv(env, 'BLUESKY_APPVIEW_URL');
  const jetstreamUrl = urlFromEnv(env, 'BLUESKY_JETSTREAM_URL', ['wss:', 'ws:']);
  return {
    ...(account ? { account } : {}),
    ...(appViewUrl ? { appViewUrl } : {}),
    ...(jetstreamUrl ? { jetstreamUrl } : {}),
  };
}

/**
 * The town's Bluesky account, from the environment: `BLUESKY_HANDLE` and `BLUESKY_APP_PASSWORD`
 * (hashtag search needs a logged-in session since 2025), and `BLUESKY_PDS_URL` when the account
 * is not hosted by Bluesky. Refused with the key and the reason when they cannot work.
 */
import { ConfigError } from '../../config/config-error.js';
import type { BlueskyCredentials } from './session.js';

export interface BlueskyAccount {
  credentials: BlueskyCredentials;
  /** The account's PDS, when set (the client's default is https://bsky.social). */
  pdsUrl?: string;
}

/** An app password as Bluesky's settings create it: four groups of four letters or digits. */
const APP_PASSWORD = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/i;
const HANDLE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

/** The account in `env`, or undefined when none is configured (Bluesky is then read without search). */
export function blueskyAccountFromEnv(env: NodeJS.ProcessEnv): BlueskyAccount | undefined {
  const handle = env.BLUESKY_HANDLE?.trim().replace(/^@/, '') ?? '';
  const password = env.BLUESKY_APP_PASSWORD?.trim() ?? '';
  if (!handle && !password) return undefined;
  if (!handle) throw new ConfigError('BLUESKY_HANDLE', 'is not set, but BLUESKY_APP_PASSWORD is: set both, or neither');
  if (!password)
    throw new ConfigError('BLUESKY_APP_PASSWORD', 'is not set, but BLUESKY_HANDLE is: set both, or neither');
  if (!HANDLE.test(handle) && !/^did:[a-z]+:[A-Za-z0-9._:%-]+$/.test(handle)) {
    throw new ConfigError('BLUESKY_HANDLE', `must be a handle like ville.bsky.social or a did, got "${handle}"`);
  }
  if (!APP_PASSWORD.test(password)) {
    throw new ConfigError(
      'BLUESKY_APP_PASSWORD',
      'must be an app password (xxxx-xxxx-xxxx-xxxx), created in Bluesky under Settings, Privacy and security, App passwords; never the account’s own password',
    );
  }
  const account: BlueskyAccount = { credentials: { identifier: handle.toLowerCase(), appPassword: password } };
  const pds = env.BLUESKY_PDS_URL?.trim();
  if (pds) {
    let url: URL;
    try {
      url = new URL(pds);
    } catch {
      throw new ConfigError('BLUESKY_PDS_URL', `must be an absolute URL, got "${pds}"`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError('BLUESKY_PDS_URL', 'must be an https:// URL (http:// only for a local test server)');
    }
    account.pdsUrl = pds.replace(/\/+$/, '');
  }
  return account;
}

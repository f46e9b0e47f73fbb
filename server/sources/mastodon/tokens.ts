/**
 * Mastodon access tokens from the environment: `MASTODON_TOKENS`, one `host=token` per instance
 * that needs a login, separated by commas (`mastodon.social=abc…,piaille.fr=def…`). Tokens never
 * go in the feeds file; an error names the key and the entry, never the token.
 */
import { ConfigError } from '../../config/config-error.js';

/** The environment variable that holds them, named in errors and in /api/health. */
export const MASTODON_TOKENS = 'MASTODON_TOKENS';

/** Shortest token accepted: Mastodon's are 43 characters; a short one is a copy-paste mistake. */
const MIN_LENGTH = 20;

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/;

/** The tokens by instance host (lower case, with its port if any); empty when the variable is not set. */
export function mastodonTokensFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const raw = env[MASTODON_TOKENS]?.trim();
  const tokens: Record<string, string> = {};
  if (!raw) return tokens;
  raw.split(',').forEach((part, i) => {
    const entry = part.trim();
    if (entry === '') return;
    const at = entry.indexOf('=');
    const where = `entry ${i + 1}`;
    if (at <= 0) throw new ConfigError(MASTODON_TOKENS, `${where} must be host=token, like mastodon.social=…`);
    const host = entry
      .slice(0, at)
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '');
    const token = entry.slice(at + 1).trim();
    if (!HOST.test(host))
      throw new ConfigError(MASTODON_TOKENS, `${where} must start with a host name like mastodon.social`);
    if (/\s/.test(token) || token.length < MIN_LENGTH) {
      throw new ConfigError(
        MASTODON_TOKENS,
        `the token of ${host} must be at least ${MIN_LENGTH} characters without spaces (a copy-paste mistake?)`,
      );
    }
    if (tokens[host] !== undefined) throw new ConfigError(MASTODON_TOKENS, `${host} is listed twice`);
    tokens[host] = token;
  });
  return tokens;
}

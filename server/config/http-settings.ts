/** The HTTP settings: where the server listens, its public URL, and how many viewers and connections it takes. */
import type { Config } from '../config.js';
import { ConfigError, type ConfigErrors } from './config-error.js';
import { intFromEnv, urlFromEnv } from './env-values.js';

/**
 * Live viewers allowed from one address by default: a hall's Wi-Fi or a
 * mobile carrier's NAT puts hundreds of phones behind one public address, and
 * they must all get the live wall; one client holding more is abuse.
 */
export const DEFAULT_MAX_VIEWERS_PER_ADDRESS = 1000;

/** The most reverse proxies `TRUST_PROXY` may declare; real set-ups have one or two. */
const MAX_TRUSTED_PROXIES = 10;

type HttpSettings = Pick<
  Config,
  'port' | 'host' | 'publicUrl' | 'maxViewers' | 'maxViewersPerAddress' | 'maxConnections' | 'trustProxy'
>;

/** `PORT`, `HOST`, `PUBLIC_URL`, `MAX_VIEWERS`, `MAX_CONNECTIONS`, `MAX_VIEWERS_PER_ADDRESS`, `TRUST_PROXY`. */
export function httpFromEnv(env: NodeJS.ProcessEnv, errors: ConfigErrors): HttpSettings {
  const port = errors.read(3000, () => intFromEnv(env, 'PORT', 3000, 0, 65535));
  const host = env.HOST || '0.0.0.0';
  const publicUrl = errors.read(undefined, () => urlFromEnv(env, 'PUBLIC_URL'));
  const maxViewers = errors.read(10_000, () => intFromEnv(env, 'MAX_VIEWERS', 10_000, 1, 1_000_000));
  const maxConnections = errors.read(2 * maxViewers + 1, () =>
    intFromEnv(env, 'MAX_CONNECTIONS', 2 * maxViewers, 2, 10_000_000),
  );
  if (maxConnections <= maxViewers) {
    errors.add(
      new ConfigError(
        'MAX_CONNECTIONS',
        `must be more than MAX_VIEWERS (${maxViewers}): live viewers would leave no connection for anything else`,
      ),
    );
  }
  const maxViewersPerAddress = errors.read(DEFAULT_MAX_VIEWERS_PER_ADDRESS, () =>
    intFromEnv(env, 'MAX_VIEWERS_PER_ADDRESS', DEFAULT_MAX_VIEWERS_PER_ADDRESS, 1, 1_000_000),
  );
  const trustProxy = errors.read(0, () => intFromEnv(env, 'TRUST_PROXY', 0, 0, MAX_TRUSTED_PROXIES));
  return { port, host, publicUrl, maxViewers, maxViewersPerAddress, maxConnections, trustProxy };
}

/**
 * One entry of a feed's `sources`, by network: the networks a feed can read, each one's accounts
 * and own fields (a Mastodon instance and its media host), and what tells two entries apart.
 */
import { z } from 'zod';
import { SETTINGS_LIMITS } from './settings-limits.js';

/** Networks a feed can read. */
export const NETWORKS = ['x', 'demo', 'mastodon', 'bluesky'] as const;
export type Network = (typeof NETWORKS)[number];

/**
 * Whether a network searches by hashtag. Posts of a network that does not (the demo replay) are
 * never out of a feed's scope: the source only brings what belongs to the feed.
 */
export const SEARCHES: Record<Network, boolean> = { x: true, demo: false, mastodon: true, bluesky: true };

/** Each network's name in messages. */
export const NETWORK_NAMES: Record<Network, string> = {
  x: 'X',
  demo: 'demo',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
};

const X_HANDLE = /^@?[A-Za-z0-9_]{1,15}$/;
/** `user@domain` (a leading `@` allowed): a Mastodon account anywhere in the fediverse. */
const MASTODON_HANDLE =
  /^@?[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** A Bluesky handle (a domain name, like `ville.bsky.social`) or a did. */
const BLUESKY_HANDLE =
  /^@?(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]|did:[a-z]+:[A-Za-z0-9._:%-]{1,2048})$/;

const stripAt = (s: string) => s.replace(/^@/, '');

/** An X username. */
export const handle = z
  .string()
  .regex(X_HANDLE, 'must be an X username: 1 to 15 letters, digits or _')
  .transform(stripAt);

const mastodonHandle = z
  .string()
  .regex(MASTODON_HANDLE, 'must be a Mastodon account with its server, like "ville@mastodon.social"')
  .transform((s) => stripAt(s).toLowerCase());

const blueskyHandle = z
  .string()
  .regex(BLUESKY_HANDLE, 'must be a Bluesky handle like "ville.bsky.social", or a did')
  .transform((s) => stripAt(s).toLowerCase());

/** An account of any network, in the moderation lists: X, Mastodon (`user@domain`) or Bluesky. */
const anyHandle = z
  .string()
  .refine(
    (s) => X_HANDLE.test(s) || MASTODON_HANDLE.test(s) || BLUESKY_HANDLE.test(s),
    'must be an account: an X username, a Mastodon "user@server" or a Bluesky handle',
  )
  .transform(stripAt);

/** Whether a host is this machine (an http:// instance is allowed there only: a local test server). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** A Mastodon instance's address, kept as its origin (`https://mastodon.social`). */
const instanceUrl = z
  .string({ error: 'must be the address of a Mastodon server, like "https://mastodon.social"' })
  .transform((s, ctx) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be the address of a Mastodon server, like "https://mastodon.social"',
      });
      return z.NEVER;
    }
    if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)))) {
      ctx.addIssue({ code: 'custom', message: 'must be an https:// address (http:// only for a local test server)' });
      return z.NEVER;
    }
    if (url.pathname !== '/' || url.search || url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must be the server\'s address alone, like "https://mastodon.social"' });
      return z.NEVER;
    }
    return url.origin;
  });

/** A host name (with its port, if any), like `files.mastodon.social`. */
const hostName = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?::\d{1,5})?$/,
    'must be a host name like "files.mastodon.social"',
  )
  .transform((s) => s.toLowerCase());

/** A list of accounts, at most `max`. */
export const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item).max(max, `must list at most ${max} accounts`);
/** A moderation list of accounts of any network, at most `max`. */
export const accounts = (max: number) => listOf(anyHandle, max);
const sourceAccounts = <T extends z.ZodType>(item: T) => listOf(item, SETTINGS_LIMITS.accountsPerSource).default([]);

/**
 * One entry of a feed's `sources`, by network. A network with fields of its own (a Mastodon
 * instance, a token's name) gets its own object here; `sourceKeyOf` then tells its entries apart.
 */
export const sourceSchema = z.discriminatedUnion('network', [
  z.object({ network: z.literal('x'), accounts: sourceAccounts(handle) }).strict(),
  z.object({ network: z.literal('demo'), accounts: sourceAccounts(handle) }).strict(),
  z
    .object({
      network: z.literal('mastodon'),
      /** The instance read, e.g. `https://mastodon.social`; its token, if any, comes from MASTODON_TOKENS. */
      instance: instanceUrl,
      accounts: sourceAccounts(mastodonHandle),
      /** Where the instance keeps its media, when not on its own host (e.g. `files.mastodon.social`). */
      mediaHost: hostName.optional(),
    })
    .strict(),
  z.object({ network: z.literal('bluesky'), accounts: sourceAccounts(blueskyHandle) }).strict(),
]);

/**
 * What tells a feed's sources apart, and names their stored cursor (`<feedId>:<sourceKey>`) and
 * the state shared by every feed reading the same upstream (`<sourceKey>`): the network, plus what
 * picks an upstream within it (a Mastodon instance will). Never the accounts or hashtags, which
 * change without losing the cursor.
 */
export function sourceKeyOf(source: { network: Network; instance?: string }): string {
  if (source.network === 'mastodon' && source.instance) return `mastodon:${new URL(source.instance).host}`;
  return source.network;
}

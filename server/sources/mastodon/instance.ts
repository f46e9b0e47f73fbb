/** Pure reading of `GET /api/v2/instance`: where the instance streams, and who may read its hashtag timelines. */
import type { MastodonInstance, MastodonTimelineAccess } from './api-types.js';

export interface MastodonInstanceInfo {
  /** The domain of the instance's own accounts (`acct` without a domain belongs to it). */
  domain: string;
  version: string;
  /** The streaming API's origin (`wss://…`): `configuration.urls.streaming`, else the instance's own. */
  streamingUrl: string;
  /** Who may read hashtag timelines (4.5+); absent when the instance does not say. */
  hashtagFeeds?: { local: MastodonTimelineAccess; remote: MastodonTimelineAccess };
}

/** Which posts a hashtag timeline is asked for: `local` and `remote` are Mastodon's `local=true` and `remote=true`. */
export type TimelineScope = 'all' | 'local' | 'remote';

/** How a hashtag timeline can be read with or without a token, as the instance announces it. */
export interface HashtagAccess {
  /** False when nothing can be read: disabled, or a login is needed and there is no token. */
  readable: boolean;
  /** What to ask for: without a login, an instance may serve only its own accounts' posts, or only the others'. */
  scope: TimelineScope;
  /** What is missing, in words for the logs and /api/health. */
  problem?: string;
}

const ACCESS = new Set<string>(['public', 'authenticated', 'disabled']);

function access(value: unknown): MastodonTimelineAccess | undefined {
  return typeof value === 'string' && ACCESS.has(value) ? (value as MastodonTimelineAccess) : undefined;
}

/** The WebSocket origin for an http(s) or ws(s) address; undefined for anything else. */
export function webSocketOrigin(address: string | null | undefined): string | undefined {
  if (!address) return undefined;
  try {
    const url = new URL(address);
    const protocol = { 'https:': 'wss:', 'http:': 'ws:', 'wss:': 'wss:', 'ws:': 'ws:' }[url.protocol];
    return protocol ? `${protocol}//${url.host}` : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of an instance description we use, or undefined when `body` is not one. */
export function readInstance(body: unknown, baseUrl: string): MastodonInstanceInfo | undefined {
  const instance = body as MastodonInstance | null;
  if (typeof instance !== 'object' || instance === null || typeof instance.domain !== 'string') return undefined;
  const info: MastodonInstanceInfo = {
    domain: instance.domain,
    version: typeof instance.version === 'string' ? instance.version : '',
    streamingUrl: webSocketOrigin(instance.configuration?.urls?.streaming) ?? webSocketOrigin(baseUrl)!,
  };
  const feeds = instance.configuration?.timelines_access?.hashtag_feeds;
  const local = access(feeds?.local);
  const remote = access(feeds?.remote);
  if (local && remote) info.hashtagFeeds = { local, remote };
  return info;
}

/**
 * Whether hashtag timelines can be read, given what the instance announces and whether we hold a
 * token. An instance that announces nothing (before 4.5) is tried as readable: its answer decides.
 */
export function hashtagAccess(info: MastodonInstanceInfo, hasToken: boolean): HashtagAccess {
  const feeds = info.hashtagFeeds;
  if (!feeds) return { readable: true, scope: 'all' };
  const open = (a: MastodonTimelineAccess) => a === 'public' || (a === 'authenticated' && hasToken);
  /** Why one half is closed. */
  const why = (a: MastodonTimelineAccess, what: string) =>
    a === 'disabled'
      ? `${info.domain} has disabled ${what} in hashtag timelines`
      : `${info.domain} shows ${what} in hashtag timelines to logged-in users only: set an access token for ${info.domain}`;
  const local = open(feeds.local);
  const remote = open(feeds.remote);
  if (local && remote) return { readable: true, scope: 'all' };
  if (local) return { readable: true, scope: 'local', problem: why(feeds.remote, "other servers' posts") };
  if (remote) return { readable: true, scope: 'remote', problem: why(feeds.local, "its own accounts' posts") };
  const needsLogin = feeds.local === 'authenticated' || feeds.remote === 'authenticated';
  return { readable: false, scope: 'all', problem: why(needsLogin ? 'authenticated' : 'disabled', 'posts') };
}

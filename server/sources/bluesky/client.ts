/**
 * A thin client of the Bluesky calls we make, on plain `fetch`: an account's posts, posts by
 * at-uri and handle resolution from the public AppView (no login), and post search through the
 * town's account on its PDS (Bluesky refuses logged-out searches since 2025).
 */
import type { BskyAuthorFeed, BskyPosts, BskySearchPosts } from './lexicon.js';
import { BlueskySession, type BlueskyCredentials } from './session.js';
import { BlueskyApiError, xrpc, type BlueskyAnswer, type BlueskyEndpoint, type XrpcQuery } from './xrpc.js';

export interface BlueskyClientOptions {
  /** The public AppView (default https://public.api.bsky.app); a local fake in tests. */
  appViewUrl?: string;
  /** The PDS of the town's account, for search (default https://bsky.social). */
  pdsUrl?: string;
  /** The town's account, for search; without it, `searchPosts` fails with `credentials-missing`. */
  credentials?: BlueskyCredentials;
  /** Longest wait for one answer, in ms (default 15 000). */
  requestTimeoutMs?: number;
  /** The clock, for rate-limit resets and login retries (default Date.now). */
  now?: () => number;
  fetch?: typeof fetch;
}

/** `app.bsky.feed.searchPosts` parameters we use. */
export interface BlueskySearch {
  /** The query (required by Bluesky), e.g. `#FeteDuLivre`. */
  q: string;
  /** Posts with all these hashtags (facets or outline tags), without `#`. */
  tag?: readonly string[];
  sort?: 'latest' | 'top';
  /** ISO 8601: posts sorted at or after this time. */
  since?: string;
  cursor?: string;
  /** 1 to 100 (default 25). */
  limit?: number;
}

/** What the sources need from Bluesky; tests may replace it. */
export interface BlueskyClient {
  /** An account's posts and reposts, newest first, without its replies. `actor` is a handle or a did. */
  getAuthorFeed(
    actor: string,
    page?: { cursor?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<BlueskyAnswer<BskyAuthorFeed>>;
  /** Post search, as the town's account; `credentials-missing` without one. */
  searchPosts(search: BlueskySearch, signal?: AbortSignal): Promise<BlueskyAnswer<BskySearchPosts>>;
  /** Posts by at-uri (any number; asked 25 at a time), found ones only, in the order asked. */
  getPosts(uris: readonly string[], signal?: AbortSignal): Promise<BlueskyAnswer<BskyPosts>>;
  /** The did of a handle. */
  resolveHandle(handle: string, signal?: AbortSignal): Promise<string>;
  /** True when an account is configured, so that search can work. */
  readonly canSearch: boolean;
  /** Hides the app password and session tokens in a text (for logs). */
  redact(text: string): string;
}

export const PUBLIC_APPVIEW = 'https://public.api.bsky.app';
export const DEFAULT_PDS = 'https://bsky.social';
/** `getPosts` takes at most 25 uris. */
export const GET_POSTS_MAX = 25;

function requireArray<T>(body: T, field: keyof T & string, endpoint: BlueskyEndpoint): T {
  if (!Array.isArray(body[field])) {
    throw new BlueskyApiError('unavailable', `Bluesky sent an answer to ${endpoint} without "${field}"`, endpoint, 200);
  }
  return body;
}

function optionalCursor<T extends { cursor?: unknown }>(body: T): T {
  if (body.cursor !== undefined && typeof body.cursor !== 'string') delete body.cursor;
  return body;
}

export function createBlueskyClient(options: BlueskyClientOptions = {}): BlueskyClient {
  const appViewUrl = (options.appViewUrl ?? PUBLIC_APPVIEW).replace(/\/+$/, '');
  const request = {
    timeoutMs: options.requestTimeoutMs ?? 15_000,
    now: options.now ?? Date.now,
    fetch: options.fetch ?? fetch,
  };
  const session = new BlueskySession({
    pdsUrl: (options.pdsUrl ?? DEFAULT_PDS).replace(/\/+$/, ''),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    request,
  });
  const redact = (text: string) => session.redact(text);

  const publicGet = <T>(nsid: string, endpoint: BlueskyEndpoint, query: XrpcQuery, signal?: AbortSignal) =>
    xrpc<T>({ ...request, baseUrl: appViewUrl, nsid, endpoint, query, redact, ...(signal ? { signal } : {}) });

  return {
    async getAuthorFeed(actor, page = {}, signal) {
      const query = {
        actor: actor.replace(/^@/, ''),
        filter: 'posts_no_replies',
        limit: page.limit,
        cursor: page.cursor,
      };
      const answer = await publicGet<BskyAuthorFeed>('app.bsky.feed.getAuthorFeed', 'getAuthorFeed', query, signal);
      return { ...answer, body: optionalCursor(requireArray(answer.body, 'feed', 'getAuthorFeed')) };
    },

    async searchPosts(search, signal) {
      const query: XrpcQuery = { ...search, sort: search.sort ?? 'latest' };
      const call = { nsid: 'app.bsky.feed.searchPosts', endpoint: 'searchPosts' as const, query };
      const answer = await session.get<BskySearchPosts>(signal ? { ...call, signal } : call);
      return { ...answer, body: optionalCursor(requireArray(answer.body, 'posts', 'searchPosts')) };
    },

    async getPosts(uris, signal) {
      const posts: BskyPosts['posts'] = [];
      let rateLimit;
      for (let i = 0; i < uris.length; i += GET_POSTS_MAX) {
        const query = { uris: uris.slice(i, i + GET_POSTS_MAX) };
        const answer = await publicGet<BskyPosts>('app.bsky.feed.getPosts', 'getPosts', query, signal);
        posts.push(...requireArray(answer.body, 'posts', 'getPosts').posts);
        rateLimit = answer.rateLimit ?? rateLimit;
      }
      return rateLimit ? { body: { posts }, rateLimit } : { body: { posts } };
    },

    async resolveHandle(handle, signal) {
      const query = { handle: handle.replace(/^@/, '').toLowerCase() };
      const { body } = await publicGet<{ did?: unknown }>(
        'com.atproto.identity.resolveHandle',
        'resolveHandle',
        query,
        signal,
      );
      if (typeof body.did !== 'string' || !body.did.startsWith('did:')) {
        throw new BlueskyApiError(
          'unavailable',
          'Bluesky sent an answer to resolveHandle without a did',
          'resolveHandle',
          200,
        );
      }
      return body.did;
    },

    canSearch: session.configured,
    redact,
  };
}

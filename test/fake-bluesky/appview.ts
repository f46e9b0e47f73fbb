/**
 * The fake AppView's answers, as Bluesky's documents them: an account's feed (`getAuthorFeed`,
 * time cursors, `posts_no_replies`), posts by uri (`getPosts`, at most 25, missing ones left out,
 * fresh posts not indexed yet), handle resolution and post search (hashtags in `q` or `tag`,
 * `since`/`until`, `sort=latest`). Each returns `{ status, body }`.
 */
import type { BskyFeedViewPost, BskyPostView, BskyProfile } from '../../server/sources/bluesky/lexicon.js';

export interface FakeRepost {
  uri: string;
  by: BskyProfile;
  subject: string;
  indexedAt: string;
}

export interface AppViewState {
  actors: Map<string, BskyProfile>;
  posts: Map<string, BskyPostView>;
  reposts: FakeRepost[];
  deleted: Set<string>;
  /** Uris `getPosts` and search leave out for this many more calls (the AppView lags behind Jetstream). */
  unindexed: Map<string, number>;
  /** Search as full text does: `#tag` in `q` also finds the word without `#`, accents folded. */
  looseSearch: boolean;
}

export interface Answer {
  status: number;
  body: unknown;
}

export type Query = URLSearchParams;

function invalid(message: string): Answer {
  return { status: 400, body: { error: 'InvalidRequest', message } };
}

function earliest(a: string | undefined, b: string | undefined): string {
  const times = [a, b]
    .filter((t): t is string => Boolean(t) && Number.isFinite(Date.parse(t!)))
    .map((t) => Date.parse(t));
  return new Date(Math.min(...times)).toISOString();
}

/** When a post sits in feeds and search (its `sortAt`). */
export function postSortAt(post: BskyPostView): string {
  return earliest(post.record.createdAt, post.indexedAt);
}

function limitOf(query: Query, fallback: number): number | undefined {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : undefined;
}

function findActor(state: AppViewState, actor: string): BskyProfile | undefined {
  if (actor.startsWith('did:')) return state.actors.get(actor);
  return [...state.actors.values()].find((a) => a.handle === actor.toLowerCase());
}

function visible(state: AppViewState, uri: string): BskyPostView | undefined {
  return state.deleted.has(uri) || (state.unindexed.get(uri) ?? 0) > 0 ? undefined : state.posts.get(uri);
}

/** Items newest first, paged by a time cursor `<sortAt>::<key>` (what comes strictly after it). */
function page<T>(items: { at: string; key: string; item: T }[], query: Query, limit: number) {
  const sorted = items.sort((a, b) => (a.at === b.at ? b.key.localeCompare(a.key) : b.at.localeCompare(a.at)));
  const cursor = query.get('cursor');
  let from = 0;
  if (cursor) {
    const [at, key] = cursor.split('::');
    from = sorted.findIndex((i) => i.at < at! || (i.at === at && i.key < key!));
    if (from < 0) from = sorted.length;
  }
  const slice = sorted.slice(from, from + limit);
  const last = slice[slice.length - 1];
  const next = from + limit < sorted.length && last ? `${last.at}::${last.key}` : undefined;
  return { items: slice.map((i) => i.item), ...(next ? { cursor: next } : {}) };
}

export function getAuthorFeed(state: AppViewState, query: Query): Answer {
  const actor = query.get('actor');
  if (!actor) return invalid('Error: Params must have the property "actor"');
  const limit = limitOf(query, 50);
  if (limit === undefined) return invalid('Error: limit must be between 1 and 100');
  const profile = findActor(state, actor);
  if (!profile) return invalid('Profile not found');
  const noReplies = query.get('filter') === 'posts_no_replies';
  const items: { at: string; key: string; item: BskyFeedViewPost }[] = [];
  for (const post of state.posts.values()) {
    if (post.author.did !== profile.did || !visible(state, post.uri)) continue;
    if (noReplies && post.record.reply) continue;
    items.push({ at: postSortAt(post), key: post.uri, item: { post } });
  }
  for (const repost of state.reposts) {
    const post = visible(state, repost.subject);
    if (repost.by.did !== profile.did || !post || state.deleted.has(repost.uri)) continue;
    const reason = {
      $type: 'app.bsky.feed.defs#reasonRepost',
      by: repost.by,
      uri: repost.uri,
      indexedAt: repost.indexedAt,
    };
    items.push({ at: new Date(repost.indexedAt).toISOString(), key: repost.uri, item: { post, reason } });
  }
  const { items: feed, cursor } = page(items, query, limit);
  return { status: 200, body: { feed, ...(cursor ? { cursor } : {}) } };
}

export function getPosts(state: AppViewState, query: Query): Answer {
  const uris = query.getAll('uris');
  if (uris.length === 0) return invalid('Error: Params must have the property "uris"');
  if (uris.length > 25) return invalid('Error: uris must not have more than 25 elements');
  const posts = uris.map((uri) => visible(state, uri)).filter((p): p is BskyPostView => p !== undefined);
  for (const uri of uris) {
    const left = state.unindexed.get(uri);
    if (left !== undefined) left <= 1 ? state.unindexed.delete(uri) : state.unindexed.set(uri, left - 1);
  }
  return { status: 200, body: { posts } };
}

export function resolveHandle(state: AppViewState, query: Query): Answer {
  const handle = query.get('handle');
  if (!handle) return invalid('Error: Params must have the property "handle"');
  const actor = findActor(state, handle);
  return actor ? { status: 200, body: { did: actor.did } } : invalid('Unable to resolve handle');
}

/** The hashtags a post carries, lower-cased: tag facets, outline tags and `#words` of the text. */
function tagsOf(post: BskyPostView): Set<string> {
  const tags = new Set<string>();
  for (const facet of post.record.facets ?? [])
    for (const f of facet.features) if (f.tag) tags.add(f.tag.toLowerCase());
  for (const tag of post.record.tags ?? []) tags.add(tag.toLowerCase());
  for (const m of (post.record.text ?? '').matchAll(/(?<=^|\s)#([^\s#]+)/gu))
    tags.add(m[1]!.replace(/\p{P}+$/u, '').toLowerCase());
  return tags;
}

export function searchPosts(state: AppViewState, query: Query): Answer {
  const q = query.get('q');
  if (!q) return invalid('Error: Params must have the property "q"');
  const limit = limitOf(query, 25);
  if (limit === undefined) return invalid('Error: limit must be between 1 and 100');
  const since = query.get('since');
  const until = query.get('until');
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const wantedTags = [
    ...query.getAll('tag').map((t) => t.toLowerCase()),
    ...words.filter((w) => w.startsWith('#')).map((w) => w.slice(1)),
  ];
  const wantedWords = words.filter((w) => !w.startsWith('#'));
  const items: { at: string; key: string; item: BskyPostView }[] = [];
  for (const post of state.posts.values()) {
    if (!visible(state, post.uri)) continue;
    const at = postSortAt(post);
    if ((since && at < new Date(since).toISOString()) || (until && at >= new Date(until).toISOString())) continue;
    const tags = tagsOf(post);
    const text = (post.record.text ?? '').toLowerCase();
    const fold = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '');
    const hasTag = (t: string) => tags.has(t) || (state.looseSearch && fold(text).includes(fold(t)));
    if (!wantedTags.every(hasTag) || !wantedWords.every((w) => text.includes(w))) continue;
    items.push({ at, key: post.uri, item: post });
  }
  const total = items.length;
  const { items: posts, cursor } = page(items, query, limit);
  return { status: 200, body: { posts, hitsTotal: total, ...(cursor ? { cursor } : {}) } };
}

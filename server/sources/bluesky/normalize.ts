/**
 * Pure normalisation of Bluesky posts into the wire contract's `Post` (no I/O, clock or globals):
 * the AppView's feed items and post views, and raw `app.bsky.feed.post` records as Jetstream
 * carries them. A post that must never be shown comes back as an exclusion with its reason, never
 * as a `Post`, so no caller can show it by forgetting a check.
 */
import type { Author, Post } from '../../contract.js';
import { embedParts, recordEmbedParts, withCard, type EmbedParts } from './embeds.js';
import {
  POST_COLLECTION,
  REASON_REPOST,
  type BskyFeedViewPost,
  type BskyPostRecord,
  type BskyPostView,
  type BskyProfile,
  type BskyViewRecord,
} from './lexicon.js';
import { facetsToEntities, profileUrl } from './richtext.js';

export type ExclusionReason =
  /** The author, or the reposter, asked not to be shown to logged-out viewers (`!no-unauthenticated`). */
  | 'author-restricted'
  /** A moderation label hides the post or its author (`!hide`, `!takedown`). */
  | 'hidden-by-label'
  /** A raw record without its author's profile: who wrote it, and their labels, are unknown. */
  | 'author-unknown'
  /** Not a post we can read (no author, no time, not an `app.bsky.feed.post`). */
  | 'malformed';

/** A post to show, or why not. `id` lets the engine remove a post it showed before; `at` is when it sits in the feed. */
export type Normalized = { ok: true; post: Post } | { ok: false; reason: ExclusionReason; id?: string; at?: string };

/** Post ids are unique across networks: `bluesky:` and the post's at-uri. */
export const ID_PREFIX = 'bluesky:';

/** The label an account sets to stay out of logged-out views. */
export const NO_UNAUTHENTICATED = '!no-unauthenticated';
const HIDING_LABELS = new Set(['!hide', '!takedown']);
/** Labels whose media is hidden until the visitor asks (`gore` is the older name of `graphic-media`). */
const SENSITIVE_LABELS = new Set(['porn', 'sexual', 'nudity', 'graphic-media', 'gore', '!warn']);
/** The handle the AppView shows when an account's handle no longer checks out. */
const INVALID_HANDLE = 'handle.invalid';
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$/;

export function postUri(did: string, rkey: string): string {
  return `at://${did}/${POST_COLLECTION}/${rkey}`;
}

export function postId(atUri: string): string {
  return ID_PREFIX + atUri;
}

/** The at-uri of a post id made by `postId`, or undefined. */
export function postIdToUri(id: string): string | undefined {
  return id.startsWith(ID_PREFIX) && parseAtUri(id.slice(ID_PREFIX.length)) ? id.slice(ID_PREFIX.length) : undefined;
}

/** `at://<did>/<collection>/<rkey>` → its parts, or undefined when it is not one. */
export function parseAtUri(uri: unknown): { did: string; collection: string; rkey: string } | undefined {
  if (typeof uri !== 'string') return undefined;
  const m = /^at:\/\/(did:[a-z]+:[A-Za-z0-9._:%-]+)\/([A-Za-z0-9.-]+)\/([A-Za-z0-9._:~-]{1,512})$/.exec(uri);
  return m ? { did: m[1]!, collection: m[2]!, rkey: m[3]! } : undefined;
}

function iso(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * When a post sits in a feed, as Bluesky sorts it: its `createdAt`, unless that is later than
 * when the network saw it (a clock set in the future must not keep a post on top).
 */
export function sortAt(createdAt: unknown, indexedAt: unknown): string | undefined {
  const created = iso(createdAt);
  const indexed = iso(indexedAt);
  return created && indexed ? (created < indexed ? created : indexed) : (created ?? indexed);
}

/** The label values in force: a negation (`neg`) cancels the same label from the same labeller. */
function labelValues(labels: unknown, selfLabels?: BskyPostRecord['labels']): Set<string> {
  const active = new Map<string, string>();
  for (const label of Array.isArray(labels) ? labels : []) {
    if (typeof label?.val !== 'string') continue;
    const key = `${String(label.src)}\u0000${label.val}`;
    if (label.neg === true) active.delete(key);
    else active.set(key, label.val);
  }
  const values = new Set(active.values());
  for (const self of Array.isArray(selfLabels?.values) ? selfLabels.values : []) {
    if (typeof self?.val === 'string') values.add(self.val);
  }
  return values;
}

function hasAny(values: Set<string>, wanted: Set<string>): boolean {
  for (const v of values) if (wanted.has(v)) return true;
  return false;
}

function validHandle(profile: BskyProfile): string | undefined {
  return profile.handle && profile.handle !== INVALID_HANDLE ? profile.handle : undefined;
}

function toAuthor(profile: BskyProfile | undefined): Author | undefined {
  if (typeof profile?.did !== 'string' || typeof profile.handle !== 'string') return undefined;
  const handle = profile.handle;
  const author: Author = {
    name: (typeof profile.displayName === 'string' ? profile.displayName.trim() : '') || handle,
    handle,
    avatarUrl: typeof profile.avatar === 'string' && /^https?:\/\//.test(profile.avatar) ? profile.avatar : '',
    profileUrl: profileUrl(validHandle(profile) ?? profile.did),
  };
  const createdAt = iso(profile.createdAt);
  if (createdAt) author.createdAt = createdAt;
  return author;
}

/** Why a profile must not appear on a public wall, if it must not. */
function profileExclusion(profile: BskyProfile | undefined): ExclusionReason | undefined {
  const labels = labelValues(profile?.labels);
  if (labels.has(NO_UNAUTHENTICATED)) return 'author-restricted';
  return hasAny(labels, HIDING_LABELS) ? 'hidden-by-label' : undefined;
}

/** Everything a post is made of, whether it came as a view or as a raw record. */
interface PostParts {
  uri: string;
  author: BskyProfile;
  record: BskyPostRecord;
  labels: unknown;
  indexedAt: unknown;
  embed: EmbedParts;
}

function knownHandles(...profiles: (BskyProfile | undefined)[]): Map<string, string> {
  const handles = new Map<string, string>();
  for (const p of profiles) {
    const handle = p && validHandle(p);
    if (handle && typeof p.did === 'string') handles.set(p.did, handle);
  }
  return handles;
}

function build(parts: PostParts, handles: Map<string, string>, depth: number): Normalized {
  const where = parseAtUri(parts.uri);
  if (!where || where.collection !== POST_COLLECTION) return { ok: false, reason: 'malformed' };
  const id = postId(parts.uri);
  const record = parts.record;
  const at = sortAt(record?.createdAt, parts.indexedAt);
  const author = toAuthor(parts.author);
  if (!record || typeof record !== 'object' || (record.$type !== undefined && record.$type !== POST_COLLECTION))
    return { ok: false, reason: 'malformed', id };
  if (!author || parts.author.did !== where.did || !at) return { ok: false, reason: 'malformed', id };
  const excluded = profileExclusion(parts.author);
  if (excluded) return { ok: false, reason: excluded, id, at };
  const labels = labelValues(parts.labels, record.labels);
  if (hasAny(labels, HIDING_LABELS)) return { ok: false, reason: 'hidden-by-label', id, at };

  const written = typeof record.text === 'string' ? record.text : '';
  const shown = withCard(written, facetsToEntities(written, record.facets, handles), parts.embed.card);
  const post: Post = {
    id,
    source: 'bluesky',
    url: `${profileUrl(validHandle(parts.author) ?? where.did)}/post/${where.rkey}`,
    createdAt: at,
    author,
    text: shown.text,
    entities: shown.entities,
    media: parts.embed.media,
  };
  const lang = Array.isArray(record.langs) ? record.langs[0] : undefined;
  if (typeof lang === 'string' && LANGUAGE_TAG.test(lang)) post.lang = lang;
  if (record.reply && typeof record.reply === 'object') post.reply = true;
  if (hasAny(labels, SENSITIVE_LABELS) || hasAny(labelValues(parts.author.labels), SENSITIVE_LABELS))
    post.sensitive = true;
  const quoted = depth === 0 && parts.embed.quoted ? quotedPost(parts.embed.quoted, handles) : undefined;
  if (quoted) post.quoted = quoted;
  return { ok: true, post };
}

/** A quoted post, one level deep; none when its author or a label keeps it off the wall. */
function quotedPost(view: BskyViewRecord, handles: Map<string, string>): Post | undefined {
  const embed = embedParts(Array.isArray(view.embeds) ? view.embeds[0] : undefined);
  const parts = {
    uri: view.uri,
    author: view.author,
    record: view.value,
    labels: view.labels,
    indexedAt: view.indexedAt,
  };
  const result = build({ ...parts, embed }, new Map([...handles, ...knownHandles(view.author)]), 1);
  return result.ok ? result.post : undefined;
}

/** One post as the AppView shows it (`app.bsky.feed.defs#postView`: search results, `getPosts`). */
export function normalizePostView(view: BskyPostView, reposter?: BskyProfile): Normalized {
  if (!view || typeof view !== 'object') return { ok: false, reason: 'malformed' };
  const embed = embedParts(view.embed);
  const handles = knownHandles(view.author, reposter, embed.quoted?.author);
  const parts = {
    uri: view.uri,
    author: view.author,
    record: view.record,
    labels: view.labels,
    indexedAt: view.indexedAt,
  };
  return build({ ...parts, embed }, handles, 0);
}

/**
 * One item of a feed (`app.bsky.feed.defs#feedViewPost`, from `getAuthorFeed`). A repost becomes
 * the original post with `repostedBy`; it keeps the repost's id and time, so that it sits where it
 * reached the feed. A reposter who asked not to be shown to logged-out viewers keeps it off the wall.
 */
export function normalizeFeedItem(item: BskyFeedViewPost): Normalized {
  const reason = item?.reason;
  if (reason?.$type !== REASON_REPOST) return normalizePostView(item?.post);
  const repostUri = parseAtUri(reason.uri) ? (reason.uri as string) : undefined;
  const shown = normalizePostView(item.post, reason.by);
  const id = repostUri ? postId(repostUri) : shown.ok ? shown.post.id : shown.id;
  const at = iso(reason.indexedAt) ?? (shown.ok ? shown.post.createdAt : shown.at);
  const excluded = profileExclusion(reason.by);
  if (excluded) return { ok: false, reason: excluded, ...(id ? { id } : {}), ...(at ? { at } : {}) };
  if (!shown.ok) return { ...shown, ...(id ? { id } : {}), ...(at ? { at } : {}) };
  const repostedBy = toAuthor(reason.by);
  if (!repostedBy) return shown;
  return {
    ok: true,
    post: { ...shown.post, id: id ?? shown.post.id, createdAt: at ?? shown.post.createdAt, repostedBy },
  };
}

/**
 * A raw `app.bsky.feed.post` record (from Jetstream) with its author's did and record key. It can
 * only be shown with its author's profile (`author`), which carries the name, avatar and labels a
 * record lacks; without it, the result is the exclusion `author-unknown` (with the id, for a
 * removal). Images and videos point at Bluesky's CDN; a quote, a mere reference here, is left out.
 * `seenAt` (ISO 8601) is when the network saw the record, if known.
 */
export function normalizeRecord(
  did: string,
  rkey: string,
  record: BskyPostRecord,
  author?: BskyProfile,
  seenAt?: string,
): Normalized {
  const uri = postUri(did, rkey);
  if (!parseAtUri(uri)) return { ok: false, reason: 'malformed' };
  const at = sortAt(record?.createdAt, seenAt);
  if (!author) return { ok: false, reason: 'author-unknown', id: postId(uri), ...(at ? { at } : {}) };
  const embed = recordEmbedParts(did, record?.embed);
  return build({ uri, author, record, labels: undefined, indexedAt: seenAt, embed }, knownHandles(author), 0);
}

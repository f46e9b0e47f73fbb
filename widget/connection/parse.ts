/**
 * The wire contract as the widget reads it: the snapshot and the stream's
 * events, from untrusted JSON. Light validation: enough that a malformed post
 * cannot break rendering, not a second schema of the contract. Pure.
 */
import type {
  Alert,
  Author,
  Entities,
  FeedEventMap,
  FeedEventName,
  FeedInfo,
  FeedSnapshot,
  FeedStatus,
  Media,
  Post,
  SourceKind,
} from '../../server/contract.js';

/** The events of the stream that carry feed data (`closing` only ends the stream). */
export type StreamEventName = Exclude<FeedEventName, 'closing'>;

export const STREAM_EVENTS: readonly StreamEventName[] = ['post', 'remove', 'alert', 'feed', 'status', 'reset'];

const SOURCES = new Set<SourceKind>(['demo', 'x', 'mastodon', 'bluesky', 'organisers']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function text(value: unknown): string {
  return isString(value) ? value : '';
}

function parseAuthor(value: unknown): Author | undefined {
  if (!isRecord(value) || !isString(value.name) || !isString(value.handle)) return undefined;
  return {
    name: value.name,
    handle: value.handle,
    avatarUrl: text(value.avatarUrl),
    profileUrl: text(value.profileUrl),
  };
}

function isRange(value: unknown): value is Record<string, unknown> & { start: number; end: number } {
  return isRecord(value) && Number.isInteger(value.start) && Number.isInteger(value.end);
}

function rangesOf<T>(value: unknown, check: (item: Record<string, unknown>) => boolean): T[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item) => isRange(item) && check(item)) as T[];
}

function parseEntities(value: unknown): Entities {
  const entities = isRecord(value) ? value : {};
  return {
    hashtags: rangesOf(entities.hashtags, (item) => isString(item.tag) && isString(item.url)),
    mentions: rangesOf(entities.mentions, (item) => isString(item.handle) && isString(item.url)),
    links: rangesOf(entities.links, (item) => isString(item.href) && isString(item.display)),
  };
}

function parseMedia(value: unknown): Media[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => ({
    kind: item.kind === 'video' || item.kind === 'gif' ? item.kind : 'photo',
    url: text(item.url),
    previewUrl: text(item.previewUrl),
    alt: text(item.alt),
    width: Number(item.width) > 0 ? Number(item.width) : 0,
    height: Number(item.height) > 0 ? Number(item.height) : 0,
  }));
}

/** A Post from untrusted JSON, or undefined when its essentials are missing. */
export function parsePost(value: unknown, depth = 0): Post | undefined {
  if (!isRecord(value)) return undefined;
  const author = parseAuthor(value.author);
  if (!isString(value.id) || !value.id || !isString(value.createdAt) || !author) return undefined;
  const post: Post = {
    id: value.id,
    source: SOURCES.has(value.source as SourceKind) ? (value.source as SourceKind) : 'demo',
    url: text(value.url),
    createdAt: value.createdAt,
    author,
    text: text(value.text),
    entities: parseEntities(value.entities),
    media: parseMedia(value.media),
  };
  const repostedBy = parseAuthor(value.repostedBy);
  if (repostedBy) post.repostedBy = repostedBy;
  const quoted = depth === 0 ? parsePost(value.quoted, depth + 1) : undefined;
  if (quoted) post.quoted = quoted;
  if (isString(value.lang)) post.lang = value.lang;
  if (isString(value.contentWarning) && value.contentWarning.trim()) post.contentWarning = value.contentWarning;
  if (value.sensitive === true) post.sensitive = true;
  if (value.edited === true) post.edited = true;
  if (value.reply === true) post.reply = true;
  if (isString(value.pinnedAt)) post.pinnedAt = value.pinnedAt;
  if (isString(value.expiresAt)) post.expiresAt = value.expiresAt;
  if (post.source === 'organisers' && isString(value.html)) post.html = value.html;
  return post;
}

/** An Alert from untrusted JSON; null when there is none, undefined when malformed. */
function parseAlert(value: unknown): Alert | null | undefined {
  if (value === null || value === undefined) return null;
  if (!isRecord(value) || !isString(value.id) || !isString(value.text) || !isString(value.createdAt)) return undefined;
  const alert: Alert = { id: value.id, text: value.text, createdAt: value.createdAt };
  if (isString(value.expiresAt)) alert.expiresAt = value.expiresAt;
  if (isString(value.lang)) alert.lang = value.lang;
  return alert;
}

function parseStatus(value: unknown): FeedStatus | undefined {
  if (!isRecord(value) || typeof value.stale !== 'boolean' || !isString(value.updatedAt)) {
    return undefined;
  }
  return { stale: value.stale, updatedAt: value.updatedAt };
}

function parseFeedInfo(value: unknown): FeedInfo | undefined {
  if (!isRecord(value) || !isString(value.id)) return undefined;
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter(isString) : []);
  return {
    id: value.id,
    title: text(value.title),
    hashtags: strings(value.hashtags),
    accounts: strings(value.accounts),
  };
}

/** A FeedSnapshot from untrusted JSON; malformed posts are left out. */
export function parseSnapshot(value: unknown): FeedSnapshot | undefined {
  if (!isRecord(value) || !Array.isArray(value.posts)) return undefined;
  const feed = parseFeedInfo(value.feed);
  if (!feed) return undefined;
  const posts: Post[] = [];
  for (const item of value.posts) {
    const post = parsePost(item);
    if (post) posts.push(post);
  }
  return {
    feed,
    posts,
    updatedAt: text(value.updatedAt),
    stale: value.stale === true,
    alert: parseAlert(value.alert) ?? null,
    revision: Number.isSafeInteger(value.revision) ? Number(value.revision) : 0,
  };
}

/** How each stream event's data reads; undefined when it does not. */
const EVENT_READERS: { [K in StreamEventName]: (value: unknown) => FeedEventMap[K] | undefined } = {
  post: (value) => parsePost(value),
  remove: (value) => (isRecord(value) && typeof value.id === 'string' ? { id: value.id } : undefined),
  alert: (value) => {
    const alert = isRecord(value) && 'alert' in value ? parseAlert(value.alert) : undefined;
    return alert === undefined ? undefined : { alert };
  },
  feed: parseFeedInfo,
  status: parseStatus,
  reset: parseStatus,
};

/**
 * A stream event's data, from its JSON text: `unreadable` when that is not
 * JSON, undefined when it does not read as that event's.
 */
export function parseStreamEvent<K extends StreamEventName>(
  name: K,
  data: unknown,
): FeedEventMap[K] | undefined | 'unreadable' {
  let value: unknown;
  try {
    value = JSON.parse(String(data));
  } catch {
    return 'unreadable';
  }
  return EVENT_READERS[name](value);
}

/** The delay a `closing` event asks for, in milliseconds: any finite number, undefined when there is none. */
export function parseClosingDelay(data: unknown): number | undefined {
  let delay: unknown;
  try {
    delay = (JSON.parse(String(data)) as { reconnectInMs?: unknown }).reconnectInMs;
  } catch {
    delay = undefined;
  }
  return typeof delay === 'number' && Number.isFinite(delay) ? delay : undefined;
}

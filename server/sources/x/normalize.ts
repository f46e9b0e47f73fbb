/** Pure normalisation of X API v2 payloads into the wire contract's `Post` (no I/O, clock or globals). */
import type { Author, Media, Post } from '../../contract.js';
import type {
  XIncludes,
  XInlineError,
  XMedia,
  XMediaVariant,
  XTweet,
  XTweetsPayload,
  XUrlEntity,
  XUser,
} from './api-types.js';
import { convertText, postUrl, profileUrl } from './text.js';

/** What a page of posts normalises to. */
export interface NormalizedPage {
  /** Newest first, as X sent them; one per post (latest version of an edit). */
  posts: Post[];
  /** Earlier versions of edited posts: the engine must remove them. */
  removals: string[];
  /** Partial errors X reported (deleted referenced posts, protected authors...). */
  errors: XInlineError[];
}

// ---------------------------------------------------------------------------

/** Language codes X uses for "no linguistic content": not a language. */
const NON_LANGUAGES = new Set(['und', 'zxx', 'qme', 'qam', 'qct', 'qht', 'qst']);

/** `https://pbs.twimg.com/..._normal.jpg` → the 400×400 version of the same avatar. */
export function biggerAvatar(url: string | undefined): string {
  if (!url) return '';
  return url.replace(/_normal(\.[A-Za-z0-9]+)?$/, '_400x400$1');
}

function normalizeLang(lang: string | undefined): string | undefined {
  if (!lang || NON_LANGUAGES.has(lang)) return undefined;
  return lang;
}

function toAuthor(user: XUser | undefined): Author {
  if (!user) return { name: '', handle: '', avatarUrl: '', profileUrl: '' };
  const author: Author = {
    name: user.name,
    handle: user.username,
    avatarUrl: biggerAvatar(user.profile_image_url),
    profileUrl: profileUrl(user.username),
  };
  if (user.created_at && !Number.isNaN(Date.parse(user.created_at))) author.createdAt = user.created_at;
  return author;
}

/** The best playable MP4 of a video or GIF (highest bit rate), or "". */
function bestMp4(variants: XMediaVariant[] | undefined): string {
  let best: XMediaVariant | undefined;
  for (const v of variants ?? []) {
    if (v.content_type !== 'video/mp4') continue;
    if (!best || (v.bit_rate ?? 0) > (best.bit_rate ?? 0)) best = v;
  }
  return best?.url ?? '';
}

export function toMedia(media: XMedia): Media | undefined {
  const base = { alt: media.alt_text ?? '', width: media.width ?? 0, height: media.height ?? 0 };
  switch (media.type) {
    case 'photo': {
      const url = media.url ?? '';
      return { kind: 'photo', url, previewUrl: url, ...base };
    }
    case 'video':
    case 'animated_gif':
      return {
        kind: media.type === 'video' ? 'video' : 'gif',
        url: bestMp4(media.variants),
        previewUrl: media.preview_image_url ?? '',
        ...base,
      };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// Posts

interface Lookup {
  users: Map<string, XUser>;
  tweets: Map<string, XTweet>;
  media: Map<string, XMedia>;
}

function indexIncludes(includes: XIncludes | undefined): Lookup {
  return {
    users: new Map((includes?.users ?? []).map((u) => [u.id, u])),
    tweets: new Map((includes?.tweets ?? []).map((t) => [t.id, t])),
    media: new Map((includes?.media ?? []).map((m) => [m.media_key, m])),
  };
}

const STATUS_LINK =
  /^https?:\/\/(?:www\.|mobile\.)?(?:x|twitter)\.com\/(?:[A-Za-z0-9_]+|i(?:\/web)?)\/status\/(\d+)(\/(?:photo|video)\/\d+)?/;

function referenced(tweet: XTweet, type: string): string | undefined {
  return tweet.referenced_tweets?.find((r) => r.type === type)?.id;
}

/** The post's own content (text, entities, media, flags) without reposts. */
function content(tweet: XTweet, lookup: Lookup, quotedId: string | undefined) {
  const mediaKeys = new Set(tweet.attachments?.media_keys ?? []);
  const hide = (url: XUrlEntity): boolean => {
    if (url.media_key !== undefined) return mediaKeys.has(url.media_key);
    const match = STATUS_LINK.exec(url.expanded_url ?? '');
    if (!match) return false;
    if (match[2] !== undefined) return match[1] === tweet.id && mediaKeys.size > 0; // .../photo/1: the post's media
    return quotedId !== undefined && match[1] === quotedId; // the quoted post's link: shown as a card
  };
  const source = tweet.note_tweet?.text ? tweet.note_tweet : { text: tweet.text, entities: tweet.entities };
  const { text, entities } = convertText(source.text, source.entities, { hide });
  const media: Media[] = [];
  for (const key of tweet.attachments?.media_keys ?? []) {
    const m = lookup.media.get(key);
    const converted = m ? toMedia(m) : undefined;
    if (converted) media.push(converted);
  }
  return { text, entities, media };
}

function isEdited(tweet: XTweet): boolean {
  return (tweet.edit_history_tweet_ids?.length ?? 0) > 1;
}

/** One post as X shows it, without following reposts; `quoted` is resolved one level deep. */
function basePost(tweet: XTweet, lookup: Lookup, depth: number): Post {
  const author = lookup.users.get(tweet.author_id ?? '');
  const quotedId = referenced(tweet, 'quoted');
  const quotedTweet = quotedId !== undefined && depth === 0 ? lookup.tweets.get(quotedId) : undefined;
  const { text, entities, media } = content(tweet, lookup, quotedTweet ? quotedId : undefined);
  const post: Post = {
    id: tweet.id,
    source: 'x',
    url: postUrl(author?.username, tweet.id),
    createdAt: tweet.created_at ?? '',
    author: toAuthor(author),
    text,
    entities,
    media,
  };
  const lang = normalizeLang(tweet.lang);
  if (lang) post.lang = lang;
  if (tweet.possibly_sensitive) post.sensitive = true;
  if (isEdited(tweet)) post.edited = true;
  if (referenced(tweet, 'replied_to') !== undefined) post.reply = true;
  if (quotedTweet) post.quoted = basePost(quotedTweet, lookup, depth + 1);
  return post;
}

/**
 * One X post as the feed shows it. A repost becomes the original post (its
 * full text, entities, media and permalink) with `repostedBy`; it keeps the
 * repost's id and time so that it sits where it reached the feed and a
 * deleted repost can be found by the compliance re-check.
 */
export function normalizeTweet(tweet: XTweet, includes?: XIncludes): Post {
  return normalizeWith(tweet, indexIncludes(includes));
}

function normalizeWith(tweet: XTweet, lookup: Lookup): Post {
  const retweetedId = referenced(tweet, 'retweeted');
  const original = retweetedId !== undefined ? lookup.tweets.get(retweetedId) : undefined;
  if (!original) return basePost(tweet, lookup, 0);
  const shown = basePost(original, lookup, 0);
  const reposter = lookup.users.get(tweet.author_id ?? '');
  const post: Post = {
    ...shown,
    id: tweet.id,
    createdAt: tweet.created_at || shown.createdAt,
    repostedBy: toAuthor(reposter),
  };
  if (!reposter) delete post.repostedBy;
  return post;
}

/**
 * A page of posts (search, timeline or lookup answer). Partial errors never
 * drop the good posts; an empty page (no `data`) gives no posts.
 */
export function normalizePage(payload: XTweetsPayload): NormalizedPage {
  const lookup = indexIncludes(payload.includes);
  const posts: Post[] = [];
  const removals = new Set<string>();
  const seen = new Set<string>();
  for (const tweet of payload.data ?? []) {
    if (!tweet || typeof tweet.id !== 'string' || typeof tweet.text !== 'string') continue;
    if (seen.has(tweet.id)) continue;
    seen.add(tweet.id);
    posts.push(normalizeWith(tweet, lookup));
    for (const id of earlierVersions(tweet)) removals.add(id);
  }
  // An older version and its newer version in the same page: keep only the newer.
  const kept = posts.filter((p) => !removals.has(p.id));
  return { posts: kept, removals: [...removals], errors: payload.errors ?? [] };
}

/** Ids of the earlier versions of an edited post (its `edit_history_tweet_ids` except itself). */
export function earlierVersions(tweet: XTweet): string[] {
  const history = tweet.edit_history_tweet_ids ?? [];
  if (history.length <= 1) return [];
  return history.filter((id) => id !== tweet.id);
}

/**
 * The compliance re-check: of the ids asked through `GET /2/tweets?ids=`,
 * those that must leave the wall: reported in `errors` (deleted, protected or
 * suspended author), absent from `data`, or withheld.
 */
export function idsToRemove(requested: readonly string[], payload: XTweetsPayload): string[] {
  const visible = new Set<string>();
  for (const tweet of payload.data ?? []) {
    if (!tweet || typeof tweet.id !== 'string') continue;
    if (
      tweet.withheld &&
      (tweet.withheld.copyright || (tweet.withheld.country_codes?.length ?? 0) > 0 || tweet.withheld.scope)
    )
      continue;
    visible.add(tweet.id);
  }
  return requested.filter((id) => !visible.has(id));
}

/** The post and user objects an answer carries, as X counts them for billing (upper bound). */
export function countReads(payload: XTweetsPayload): { posts: number; users: number } {
  return {
    posts: (payload.data?.length ?? 0) + (payload.includes?.tweets?.length ?? 0),
    users: payload.includes?.users?.length ?? 0,
  };
}

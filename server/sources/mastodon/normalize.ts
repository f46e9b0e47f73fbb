/** Pure normalisation of Mastodon statuses into the wire contract's `Post` (no I/O, clock or globals). */
import type { Author, Media, Post } from '../../contract.js';
import type { MastodonAccount, MastodonMediaAttachment, MastodonStatus } from './api-types.js';
import { htmlToText, httpUrl } from './content.js';

/** Where a status was read, which decides what may be shown. */
export interface MastodonContext {
  /** Host of the instance the status was read from: status ids are unique there only. */
  instance: string;
  /** Domain of that instance's own accounts, whose `acct` has no domain (its `domain`; default `instance`). */
  localDomain?: string;
  /**
   * `account`: a town's own timeline, which shows its `unlisted` posts too; `hashtag`: a hashtag
   * timeline or stream, public posts only.
   */
  timeline: 'account' | 'hashtag';
}

/** Language codes that name no language. */
const NON_LANGUAGES = new Set(['und', 'zxx']);

/** A post's id in our store: `mastodon:<instance host>:<status id>`, unique across instances. */
export function postId(instance: string, statusId: string): string {
  return `mastodon:${instance}:${statusId}`;
}

/**
 * Orders status ids as servers mint them: Mastodon's are decimal numbers that outgrow a double,
 * other servers' (ULIDs, flake ids) are fixed-length strings; both sort by length, then by text.
 */
export function compareStatusIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a status may reach a public wall: never followers-only or direct, `unlisted` only from its author's own timeline. */
export function isShown(status: MastodonStatus, timeline: MastodonContext['timeline']): boolean {
  const visibility = status.visibility ?? 'public';
  if (visibility !== 'public' && !(visibility === 'unlisted' && timeline === 'account')) return false;
  if (status.account.suspended || status.account.limited) return false;
  // A keyword filter of the token's user (the town's account) that says "hide".
  return !(status.filtered ?? []).some((f) => f?.filter?.filter_action === 'hide');
}

/** An ISO 8601 time in UTC, or undefined when it cannot be read. */
function isoTime(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function isStatus(value: unknown): value is MastodonStatus {
  const s = value as MastodonStatus | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.id === 'string' &&
    s.id !== '' &&
    typeof s.content === 'string' &&
    typeof s.account === 'object' &&
    s.account !== null &&
    typeof s.account.username === 'string' &&
    typeof s.account.acct === 'string' &&
    isoTime(s.created_at) !== undefined
  );
}

/** `user@domain` for any account: a local `acct` gets the instance's domain. */
export function fullHandle(account: MastodonAccount, localDomain: string): string {
  return account.acct.includes('@') ? account.acct : `${account.acct}@${localDomain}`;
}

export function toAuthor(account: MastodonAccount, localDomain: string): Author {
  const author: Author = {
    name: account.display_name?.trim() || account.username,
    handle: fullHandle(account, localDomain),
    // The still image: an animated avatar would not rest on a wall.
    avatarUrl: httpUrl(account.avatar_static) ?? httpUrl(account.avatar) ?? '',
    profileUrl: httpUrl(account.url) ?? '',
  };
  const createdAt = isoTime(account.created_at);
  if (createdAt) author.createdAt = createdAt;
  return author;
}

function size(attachment: MastodonMediaAttachment): { width: number; height: number } {
  const meta = attachment.meta?.original ?? attachment.meta?.small;
  const dimension = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n) : 0);
  return { width: dimension(meta?.width), height: dimension(meta?.height) };
}

/**
 * One attachment as our media: images, GIFs (Mastodon's `gifv` is a looping MP4) and videos with
 * absolute URLs. Audio and `unknown` (remote media the instance did not cache) are left out: the
 * post's link leads to them.
 */
export function toMedia(attachment: MastodonMediaAttachment): Media | undefined {
  const kind = attachment.type === 'image' ? 'photo' : attachment.type === 'gifv' ? 'gif' : attachment.type;
  if (kind !== 'photo' && kind !== 'gif' && kind !== 'video') return undefined;
  const url = httpUrl(attachment.url);
  if (!url) return undefined;
  const preview = httpUrl(attachment.preview_url);
  return {
    kind,
    url,
    previewUrl: preview ?? (kind === 'photo' ? url : ''),
    alt: typeof attachment.description === 'string' ? attachment.description.trim() : '',
    ...size(attachment),
  };
}

/**
 * The quoted status to show: only an accepted quote, one level deep. Its author accepted to be
 * quoted, so an `unlisted` status shows inside the quote (as on Mastodon); followers-only never.
 */
function shownQuote(status: MastodonStatus): MastodonStatus | undefined {
  const quote = status.quote;
  if (!quote || quote.state !== 'accepted' || !isStatus(quote.quoted_status)) return undefined;
  return isShown(quote.quoted_status, 'account') ? quote.quoted_status : undefined;
}

/** One status as it reads, without following its reblog. */
function basePost(status: MastodonStatus, context: MastodonContext, depth: number): Post {
  const localDomain = context.localDomain ?? context.instance;
  const quoted = depth === 0 ? shownQuote(status) : undefined;
  const { text, entities } = htmlToText(status.content, {
    mentions: status.mentions ?? [],
    tags: status.tags ?? [],
    localDomain,
    dropQuoteFallback: quoted !== undefined,
  });
  const media: Media[] = [];
  for (const attachment of status.media_attachments ?? []) {
    const converted = attachment ? toMedia(attachment) : undefined;
    if (converted) media.push(converted);
  }
  const post: Post = {
    id: postId(context.instance, status.id),
    source: 'mastodon',
    url: httpUrl(status.url) ?? httpUrl(status.uri) ?? '',
    createdAt: isoTime(status.created_at)!,
    author: toAuthor(status.account, localDomain),
    text,
    entities,
    media,
  };
  const warning = status.spoiler_text?.trim();
  if (warning) post.contentWarning = warning;
  const lang = status.language?.trim();
  if (lang && !NON_LANGUAGES.has(lang)) post.lang = lang;
  // With an empty `spoiler_text`, `sensitive` covers the media only; with a warning, all is covered.
  if (status.sensitive === true) post.sensitive = true;
  if (status.edited_at) post.edited = true;
  if (status.in_reply_to_id) post.reply = true;
  if (quoted) post.quoted = basePost(quoted, context, depth + 1);
  return post;
}

/**
 * One status as the wall shows it, or undefined when it must not be shown (followers-only or
 * direct, `unlisted` outside its author's timeline, a hidden author) or cannot be read. A reblog
 * becomes the original status with `repostedBy`; it keeps the reblog's id and time, so that it
 * sits where it reached the feed and the reblog's `delete` removes it.
 */
export function normalizeStatus(status: unknown, context: MastodonContext): Post | undefined {
  if (!isStatus(status) || !isShown(status, context.timeline)) return undefined;
  if (status.reblog === undefined || status.reblog === null) return basePost(status, context, 0);
  const original = status.reblog;
  if (!isStatus(original) || !isShown(original, context.timeline)) return undefined;
  return {
    ...basePost(original, context, 0),
    id: postId(context.instance, status.id),
    createdAt: isoTime(status.created_at)!,
    repostedBy: toAuthor(status.account, context.localDomain ?? context.instance),
  };
}

/** A page of statuses, in order, without those that must not be shown; each post once. */
export function normalizeStatuses(statuses: readonly unknown[], context: MastodonContext): Post[] {
  const posts: Post[] = [];
  const seen = new Set<string>();
  for (const status of statuses) {
    const post = normalizeStatus(status, context);
    if (!post || seen.has(post.id)) continue;
    seen.add(post.id);
    posts.push(post);
  }
  return posts;
}

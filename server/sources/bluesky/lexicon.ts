/**
 * The Bluesky (AT Protocol) shapes we read: only the fields we use, all that a server may leave out
 * optional. Types only; everything arriving from the network is checked at run time where it is read.
 * Names follow the lexicons: `app.bsky.feed.defs`, `app.bsky.embed.*`, `app.bsky.richtext.facet`,
 * `com.atproto.label.defs`, and Jetstream's JSON events.
 */

/** `com.atproto.label.defs#label`: a label on an account or a record, by a labeller (`src`). */
export interface BskyLabel {
  src?: string;
  uri?: string;
  val: string;
  /** True when this label removes an earlier one with the same `src` and `val`. */
  neg?: boolean;
}

/** `com.atproto.label.defs#selfLabels`: labels the author put on their own record. */
export interface BskySelfLabels {
  $type?: string;
  values?: { val: string }[];
}

/** `app.bsky.actor.defs#profileViewBasic`. */
export interface BskyProfile {
  did: string;
  handle: string;
  displayName?: string;
  avatar?: string;
  labels?: BskyLabel[];
  /** When the account was created (ISO 8601). */
  createdAt?: string;
}

export const FACET_MENTION = 'app.bsky.richtext.facet#mention';
export const FACET_LINK = 'app.bsky.richtext.facet#link';
export const FACET_TAG = 'app.bsky.richtext.facet#tag';

/** `app.bsky.richtext.facet`: a range of the text, in UTF-8 bytes, and what it is. */
export interface BskyFacet {
  index: { byteStart: number; byteEnd: number };
  features: { $type: string; did?: string; uri?: string; tag?: string }[];
}

/** `com.atproto.repo.strongRef`. */
export interface BskyStrongRef {
  uri: string;
  cid?: string;
}

/** `app.bsky.feed.post`: the record as the author's client wrote it. */
export interface BskyPostRecord {
  $type?: string;
  text?: string;
  facets?: BskyFacet[];
  langs?: string[];
  reply?: { root?: BskyStrongRef; parent?: BskyStrongRef };
  embed?: { $type?: string; [key: string]: unknown };
  labels?: BskySelfLabels;
  /** "Outline" tags: hashtags that are not in the text. */
  tags?: string[];
  createdAt?: string;
}

export const POST_COLLECTION = 'app.bsky.feed.post';

export interface BskyAspectRatio {
  width: number;
  height: number;
}

export const EMBED_IMAGES = 'app.bsky.embed.images#view';
export const EMBED_VIDEO = 'app.bsky.embed.video#view';
export const EMBED_EXTERNAL = 'app.bsky.embed.external#view';
export const EMBED_RECORD = 'app.bsky.embed.record#view';
export const EMBED_RECORD_WITH_MEDIA = 'app.bsky.embed.recordWithMedia#view';
export const VIEW_RECORD = 'app.bsky.embed.record#viewRecord';

export interface BskyImagesView {
  $type: typeof EMBED_IMAGES;
  images: { thumb: string; fullsize: string; alt: string; aspectRatio?: BskyAspectRatio }[];
}

export interface BskyVideoView {
  $type: typeof EMBED_VIDEO;
  cid?: string;
  playlist: string;
  thumbnail?: string;
  alt?: string;
  aspectRatio?: BskyAspectRatio;
}

export interface BskyExternalView {
  $type: typeof EMBED_EXTERNAL;
  external: { uri: string; title?: string; description?: string; thumb?: string };
}

/** `app.bsky.embed.record#viewRecord`: a quoted post as the AppView shows it. */
export interface BskyViewRecord {
  $type: typeof VIEW_RECORD;
  uri: string;
  cid?: string;
  author: BskyProfile;
  value: BskyPostRecord;
  labels?: BskyLabel[];
  embeds?: BskyEmbedView[];
  indexedAt?: string;
}

/**
 * `app.bsky.embed.record#view`. Besides `#viewRecord`, the quoted record may be `#viewNotFound`,
 * `#viewBlocked`, `#viewDetached` (the quoted author detached it) or a feed, list, labeller or
 * starter pack: none of these is a post to show.
 */
export interface BskyRecordView {
  $type: typeof EMBED_RECORD;
  record: BskyViewRecord | { $type: string; uri?: string };
}

export interface BskyRecordWithMediaView {
  $type: typeof EMBED_RECORD_WITH_MEDIA;
  record: BskyRecordView;
  media: BskyImagesView | BskyVideoView | BskyExternalView;
}

export type BskyEmbedView =
  BskyImagesView | BskyVideoView | BskyExternalView | BskyRecordView | BskyRecordWithMediaView;

/** `app.bsky.feed.defs#postView`. */
export interface BskyPostView {
  uri: string;
  cid?: string;
  author: BskyProfile;
  record: BskyPostRecord;
  embed?: BskyEmbedView;
  labels?: BskyLabel[];
  indexedAt?: string;
}

export const REASON_REPOST = 'app.bsky.feed.defs#reasonRepost';

/** `app.bsky.feed.defs#feedViewPost`: a post in a feed, with why it is there. */
export interface BskyFeedViewPost {
  post: BskyPostView;
  /** `#reasonRepost` (`by`, the repost record's `uri`, `indexedAt`) or `#reasonPin`. */
  reason?: { $type: string; by?: BskyProfile; uri?: string; indexedAt?: string };
}

/** `app.bsky.feed.getAuthorFeed` output. */
export interface BskyAuthorFeed {
  feed: BskyFeedViewPost[];
  cursor?: string;
}

/** `app.bsky.feed.searchPosts` output. */
export interface BskySearchPosts {
  posts: BskyPostView[];
  cursor?: string;
  hitsTotal?: number;
}

/** `app.bsky.feed.getPosts` output: the posts found, in the order asked; missing ones are left out. */
export interface BskyPosts {
  posts: BskyPostView[];
}

/** `com.atproto.server.createSession` and `refreshSession` output. */
export interface BskySession {
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
  active?: boolean;
  status?: string;
}

/** A Jetstream event (JSON over WebSocket). `time_us` is the resume cursor (Unix microseconds). */
export interface JetstreamEvent {
  did: string;
  time_us: number;
  kind: 'commit' | 'identity' | 'account' | string;
  commit?: {
    rev?: string;
    operation: 'create' | 'update' | 'delete' | string;
    collection: string;
    rkey: string;
    record?: BskyPostRecord;
    cid?: string;
  };
}

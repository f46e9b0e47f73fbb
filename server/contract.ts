/**
 * The wire contract: what travels between the server and the widget.
 *
 * The server builds these shapes; the widget imports this module type-only, so
 * no server code reaches the browser bundle. Every source (demo, X, later
 * Mastodon and Bluesky) normalises into `Post`.
 */

/** Where a post comes from. */
export type SourceKind = 'demo' | 'x' | 'mastodon' | 'bluesky';

/** Someone who writes or reposts. */
export interface Author {
  /** Display name, plain text. */
  name: string;
  /** Handle without the leading "@". */
  handle: string;
  /** Absolute URL of the avatar image ("" when none). */
  avatarUrl: string;
  /** Absolute URL of the profile on the source network. */
  profileUrl: string;
}

/**
 * Entity offsets are JavaScript string indices (UTF-16 code units) into
 * `Post.text`: `text.slice(start, end)` is exactly the entity as shown.
 * `end` is exclusive.
 */
export interface TextRange {
  start: number;
  end: number;
}

export interface HashtagEntity extends TextRange {
  /** The tag without "#". */
  tag: string;
  /** Where the hashtag links to (search on the source network). */
  url: string;
}

export interface MentionEntity extends TextRange {
  /** The handle without "@". */
  handle: string;
  /** The mentioned profile. */
  url: string;
}

export interface LinkEntity extends TextRange {
  /** Where the link points (for X: the t.co URL, as X's display rules ask). */
  href: string;
  /** What to show in place of the URL (for X: `display_url`). */
  display: string;
  /** The full destination when known (for a title attribute). */
  expandedUrl?: string;
}

export interface Entities {
  hashtags: HashtagEntity[];
  mentions: MentionEntity[];
  links: LinkEntity[];
}

export type MediaKind = 'photo' | 'video' | 'gif';

export interface Media {
  kind: MediaKind;
  /** The full-size image, or for video/gif the best playable variant ("" when none). */
  url: string;
  /** A still image to show first (for a photo, usually the same as `url`). */
  previewUrl: string;
  /** Alternative text written by the author ("" when none was given). */
  alt: string;
  width: number;
  height: number;
}

export interface Post {
  /** Unique within a feed; for X, the post id. */
  id: string;
  source: SourceKind;
  /** Permalink on the source network. */
  url: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  author: Author;
  /** Plain text, already unescaped, full length. */
  text: string;
  entities: Entities;
  media: Media[];
  /** Set when the post reached the feed as a repost: who reposted it. */
  repostedBy?: Author;
  /** The quoted post, if any. */
  quoted?: Post;
  /** BCP 47 language tag of the text, when known. */
  lang?: string;
  /** Media that should be hidden until the visitor asks to see it. */
  sensitive?: boolean;
  /** True when this is a later version of an edited post. */
  edited?: boolean;
}

export interface FeedInfo {
  id: string;
  title: string;
  hashtags: string[];
  accounts: string[];
}

export interface FeedSnapshot {
  feed: FeedInfo;
  /** Newest first. */
  posts: Post[];
  /** ISO 8601: when the feed's content last changed or was last refreshed. */
  updatedAt: string;
  /** True when the source could not be refreshed recently. */
  stale: boolean;
  /**
   * The feed's revision this snapshot shows. Open the event stream with
   * `?since=<revision>` so that nothing published in between is missed.
   */
  revision: number;
}

/** `GET /api/feeds` */
export interface FeedList {
  feeds: FeedInfo[];
}

/** Data of the SSE `status` event. */
export interface FeedStatus {
  stale: boolean;
  updatedAt: string;
}

/** Data of the SSE `remove` event. */
export interface PostRemoval {
  id: string;
}

/**
 * The Server-Sent Events of `GET /api/feeds/:id/events`, by event name.
 * `reset` tells the client that it missed more than the server can replay and
 * must fetch the snapshot again.
 */
export interface FeedEventMap {
  post: Post;
  remove: PostRemoval;
  status: FeedStatus;
  reset: FeedStatus;
}

export type FeedEventName = keyof FeedEventMap;

/** Body of every HTTP error answer. */
export interface ApiError {
  error: {
    status: number;
    message: string;
  };
}

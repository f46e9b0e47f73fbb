/**
 * The wire contract: what travels between the server and the widget.
 *
 * The server builds these shapes; the widget imports this module type-only, so
 * no server code reaches the browser bundle. Every source (demo, X, later
 * Mastodon and Bluesky) normalises into `Post`.
 */

/** Where a post comes from: a network, the demo replay, or the feed's organisers (announcements). */
export type SourceKind = 'demo' | 'x' | 'mastodon' | 'bluesky' | 'organisers';

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
  /** ISO 8601: when the account was created, when the network tells (moderation may hold posts of young accounts). */
  createdAt?: string;
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
  /** A content warning: the post's text and media are covered until the visitor opens them. */
  contentWarning?: string;
  /** Media that should be hidden until the visitor asks to see it. */
  sensitive?: boolean;
  /** True when this is a later version of an edited post. */
  edited?: boolean;
  /** True when the post answers another post. */
  reply?: boolean;
  /**
   * ISO 8601: set while the organisers pin the post. Pinned posts come first,
   * the most recently pinned first (see `server/post-order.ts`).
   */
  pinnedAt?: string;
  /**
   * Organisers' announcements only (`source: "organisers"`): limited rich text
   * (bold, italic, links, line breaks), already sanitised on the server with an
   * allow-list; clients sanitise it again before rendering. `text` holds its
   * plain-text form.
   */
  html?: string;
  /** ISO 8601: announcements only, when the post leaves the wall by itself. */
  expiresAt?: string;
}

/**
 * An urgent alert from the organisers ("Orage : le site est évacué…"): shown
 * above every mode, announced assertively, even while the visitor has paused,
 * until it expires or is withdrawn. Plain text.
 */
export interface Alert {
  id: string;
  text: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: when it disappears by itself, if ever. */
  expiresAt?: string;
  /** BCP 47 language of the text (the feed's language by default). */
  lang?: string;
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
  /** The urgent alert in force, or null (absent from servers that predate alerts). */
  alert?: Alert | null;
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

/** Data of the SSE `alert` event: the alert now in force, or null when it was withdrawn or expired. */
export interface AlertChange {
  alert: Alert | null;
}

/**
 * The Server-Sent Events of `GET /api/feeds/:id/events`, by event name.
 * `reset` tells the client that it missed more than the server can replay and
 * must fetch the snapshot again.
 */
export interface FeedEventMap {
  post: Post;
  remove: PostRemoval;
  alert: AlertChange;
  /** The feed's title or hashtags changed (organisers' console). */
  feed: FeedInfo;
  status: FeedStatus;
  reset: FeedStatus;
  /** The server is stopping: the stream ends after this event. */
  closing: StreamClosing;
}

/**
 * The last event of a live stream whose server stops: reconnect after `reconnectInMs`, to another
 * instance behind the same address or to this one restarted. The frame's `retry:` line says the same
 * to a bare EventSource; the delay is drawn per viewer, so that they do not all come back at once.
 */
export interface StreamClosing {
  reconnectInMs: number;
}

export type FeedEventName = keyof FeedEventMap;

/** Body of every HTTP error answer. */
export interface ApiError {
  error: {
    status: number;
    message: string;
  };
}

/**
 * The Mastodon REST and streaming shapes we read (docs.joinmastodon.org/entities), only the fields we
 * use. Everything a server may leave out or send as null is optional: statuses come from many
 * servers (Mastodon, GoToSocial, Akkoma…) through the one we ask.
 */

/** A custom emoji: `:shortcode:` in text, an image on the web. */
export interface MastodonEmoji {
  shortcode: string;
  url: string;
  static_url?: string;
}

export interface MastodonAccount {
  id: string;
  /** Username only. */
  username: string;
  /** `user` for an account of the instance asked, `user@domain` for any other. */
  acct: string;
  /** Plain text; may hold `:shortcode:` custom emoji and be empty. */
  display_name?: string | null;
  /** The profile page. */
  url?: string | null;
  avatar?: string | null;
  avatar_static?: string | null;
  /** ISO 8601, usually midnight of the day of creation. */
  created_at?: string | null;
  emojis?: MastodonEmoji[] | null;
  bot?: boolean;
  /** Suspended by its server's moderators. */
  suspended?: boolean;
  /** Hidden ("limited") by the asked instance's moderators. */
  limited?: boolean;
}

export interface MastodonMention {
  id: string;
  username: string;
  /** `user` (local) or `user@domain`. */
  acct: string;
  url: string;
}

export interface MastodonTag {
  /** Normalised on most servers (lower case), sometimes as first seen: not necessarily as displayed. */
  name: string;
  url?: string;
}

export type MastodonMediaType = 'image' | 'gifv' | 'video' | 'audio' | 'unknown';

interface MastodonMediaSize {
  width?: number;
  height?: number;
}

export interface MastodonMediaAttachment {
  id: string;
  type: MastodonMediaType | string;
  /** Null for `unknown` (remote media not cached). */
  url?: string | null;
  preview_url?: string | null;
  remote_url?: string | null;
  /** The alt text; null when the author wrote none. */
  description?: string | null;
  meta?: { original?: MastodonMediaSize; small?: MastodonMediaSize } | null;
}

/** A quote (4.4+): only `accepted` may be shown; other states carry no status, or one not to show. */
export interface MastodonQuote {
  state: string;
  quoted_status?: MastodonStatus | null;
  /** The "shallow" form, in a quote nested inside a quote. */
  quoted_status_id?: string | null;
}

export type MastodonVisibility = 'public' | 'unlisted' | 'private' | 'direct';

/** A keyword filter of the token's user that matched the status. */
export interface MastodonFilterResult {
  filter?: { filter_action?: string };
}

export interface MastodonStatus {
  id: string;
  created_at: string;
  /** The status's page on its own server; null for a reblog wrapper. */
  url?: string | null;
  /** The ActivityPub id. */
  uri?: string;
  account: MastodonAccount;
  /** HTML. */
  content: string;
  /** The content warning, plain text ("" when none). */
  spoiler_text?: string;
  /** Media to hide until asked (also set with a content warning). */
  sensitive?: boolean;
  visibility?: MastodonVisibility | string;
  language?: string | null;
  in_reply_to_id?: string | null;
  in_reply_to_account_id?: string | null;
  reblog?: MastodonStatus | null;
  quote?: MastodonQuote | null;
  media_attachments?: MastodonMediaAttachment[];
  mentions?: MastodonMention[];
  tags?: MastodonTag[];
  emojis?: MastodonEmoji[];
  edited_at?: string | null;
  filtered?: MastodonFilterResult[];
}

/** Who may read a kind of timeline on an instance (4.5+). */
export type MastodonTimelineAccess = 'public' | 'authenticated' | 'disabled';

/** `GET /api/v2/instance` (the parts we read). */
export interface MastodonInstance {
  domain: string;
  title?: string;
  version?: string;
  configuration?: {
    urls?: { streaming?: string | null };
    timelines_access?: {
      live_feeds?: { local?: string; remote?: string };
      hashtag_feeds?: { local?: string; remote?: string };
      trending_link_feeds?: { local?: string; remote?: string };
    };
  };
}

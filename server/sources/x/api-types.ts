/** The X API v2 shapes we read: only the fields we use, everything optional that X may leave out. */

export interface XUrlEntity {
  start: number;
  end: number;
  url: string;
  expanded_url?: string;
  display_url?: string;
  unwound_url?: string;
  media_key?: string;
}

export interface XTagEntity {
  start: number;
  end: number;
  tag: string;
}

export interface XMentionEntity {
  start: number;
  end: number;
  username: string;
  id?: string;
}

export interface XEntities {
  urls?: XUrlEntity[];
  hashtags?: XTagEntity[];
  mentions?: XMentionEntity[];
  cashtags?: XTagEntity[];
}

export interface XReferencedTweet {
  type: 'retweeted' | 'quoted' | 'replied_to' | string;
  id: string;
}

export interface XTweet {
  id: string;
  text: string;
  author_id?: string;
  created_at?: string;
  lang?: string;
  possibly_sensitive?: boolean;
  entities?: XEntities;
  attachments?: { media_keys?: string[] };
  referenced_tweets?: XReferencedTweet[];
  note_tweet?: { text: string; entities?: XEntities };
  edit_history_tweet_ids?: string[];
  conversation_id?: string;
  withheld?: { copyright?: boolean; country_codes?: string[]; scope?: string };
}

export interface XUser {
  id: string;
  name: string;
  username: string;
  profile_image_url?: string;
  protected?: boolean;
  verified?: boolean;
  verified_type?: string;
  /** When the account was created (ISO 8601), with `user.fields=created_at`. */
  created_at?: string;
}

export interface XMediaVariant {
  url: string;
  content_type?: string;
  bit_rate?: number;
}

export interface XMedia {
  media_key: string;
  type: 'photo' | 'video' | 'animated_gif' | string;
  url?: string;
  preview_image_url?: string;
  alt_text?: string;
  width?: number;
  height?: number;
  variants?: XMediaVariant[];
}

/** An error inside a 200 answer ("partial error"). */
export interface XInlineError {
  title?: string;
  detail?: string;
  type?: string;
  value?: string;
  resource_type?: string;
  resource_id?: string;
  parameter?: string;
}

export interface XIncludes {
  users?: XUser[];
  tweets?: XTweet[];
  media?: XMedia[];
}

export interface XMeta {
  result_count?: number;
  newest_id?: string;
  oldest_id?: string;
  next_token?: string;
}

/** The body of `search/recent`, `users/:id/tweets` and `tweets?ids=`. */
export interface XTweetsPayload {
  data?: XTweet[];
  includes?: XIncludes;
  errors?: XInlineError[];
  meta?: XMeta;
}

/**
 * Bluesky embeds, pure: the AppView's embed views (images, video, link card, quote, quote with
 * media) and a raw record's own embed (blob references, as Jetstream carries them) become our media,
 * and a link card becomes a link at the end of the text when the text does not already show it.
 */
import type { Entities, LinkEntity, Media } from '../../contract.js';
import {
  EMBED_EXTERNAL,
  EMBED_IMAGES,
  EMBED_RECORD,
  EMBED_RECORD_WITH_MEDIA,
  EMBED_VIDEO,
  VIEW_RECORD,
  type BskyAspectRatio,
  type BskyEmbedView,
  type BskyViewRecord,
} from './lexicon.js';

/** Where Bluesky serves images and videos by blob (the AppView's own URL scheme). */
const IMAGE_CDN = 'https://cdn.bsky.app/img';
const VIDEO_CDN = 'https://video.bsky.app/watch';

/** Hosts of the media URLs this module produces, for the media proxy's allow-list. */
export const BLUESKY_MEDIA_HOSTS: readonly string[] = ['cdn.bsky.app', 'video.bsky.app'];

/** The longest a link card's URL is shown before it is shortened with "…". */
const SHORT_URL_LENGTH = 32;

/** What the post's own embed shows: media, a quoted post (still a view), a link card. */
export interface EmbedParts {
  media: Media[];
  quoted?: BskyViewRecord;
  /** The link card's destination (http or https only). */
  card?: string;
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function size(ratio: unknown): { width: number; height: number } {
  const r = object(ratio) as Partial<BskyAspectRatio> | undefined;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;
  return ok(r?.width) && ok(r?.height) ? { width: r.width, height: r.height } : { width: 0, height: 0 };
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : undefined;
  } catch {
    return undefined;
  }
}

function imagesMedia(images: unknown): Media[] {
  const out: Media[] = [];
  for (const image of Array.isArray(images) ? images : []) {
    const i = object(image);
    const url = httpUrl(i?.fullsize);
    if (!i || !url) continue;
    out.push({ kind: 'photo', url, previewUrl: httpUrl(i.thumb) ?? url, alt: text(i.alt), ...size(i.aspectRatio) });
  }
  return out;
}

function videoMedia(video: Record<string, unknown>): Media[] {
  const url = httpUrl(video.playlist);
  if (!url) return [];
  return [
    {
      kind: 'video',
      url,
      previewUrl: httpUrl(video.thumbnail) ?? '',
      alt: text(video.alt),
      ...size(video.aspectRatio),
    },
  ];
}

/** Media and link card of an images, video or external view. */
function mediaView(view: Record<string, unknown> | undefined): EmbedParts {
  switch (view?.$type) {
    case EMBED_IMAGES:
      return { media: imagesMedia(view.images) };
    case EMBED_VIDEO:
      return { media: videoMedia(view) };
    case EMBED_EXTERNAL: {
      const card = httpUrl(object(view.external)?.uri);
      return card ? { media: [], card } : { media: [] };
    }
    default:
      return { media: [] };
  }
}

/** The quoted post of a record view, when it is a post the AppView could show (not missing, blocked or detached). */
function quotedView(view: unknown): BskyViewRecord | undefined {
  const record = object(object(view)?.record);
  if (record?.$type !== VIEW_RECORD || typeof record.uri !== 'string' || !object(record.author)) return undefined;
  return object(record.value) ? (record as unknown as BskyViewRecord) : undefined;
}

/** What an embed view (a post's `embed`, or one of a quoted post's `embeds`) shows. */
export function embedParts(embed: BskyEmbedView | undefined): EmbedParts {
  const view = object(embed);
  if (view?.$type === EMBED_RECORD) {
    const quoted = quotedView(view);
    return quoted ? { media: [], quoted } : { media: [] };
  }
  if (view?.$type === EMBED_RECORD_WITH_MEDIA) {
    const parts = mediaView(object(view.media));
    const quoted = quotedView(view.record);
    return quoted ? { ...parts, quoted } : parts;
  }
  return mediaView(view);
}

// ---------------------------------------------------------------------------
// A raw record's embed (blob references), as Jetstream carries it

/** The CID of a blob, in its current (`ref.$link`) or legacy (`cid`) form. */
function blobCid(blob: unknown): string | undefined {
  const b = object(blob);
  const cid = object(b?.ref)?.$link ?? b?.cid;
  return typeof cid === 'string' && /^[a-z0-9]+$/i.test(cid) ? cid : undefined;
}

/** Bluesky's image CDN writes the did as it is in its paths (its video host encodes it). */
function imageUrl(kind: 'feed_fullsize' | 'feed_thumbnail', did: string, cid: string): string {
  return `${IMAGE_CDN}/${kind}/plain/${did}/${cid}@jpeg`;
}

/** Media of a record's own `app.bsky.embed.images`, `video` or `external` embed (or its `media` part). */
function recordMedia(did: string, embed: Record<string, unknown> | undefined): EmbedParts {
  switch (embed?.$type) {
    case 'app.bsky.embed.images': {
      const media: Media[] = [];
      for (const image of Array.isArray(embed.images) ? embed.images : []) {
        const i = object(image);
        const cid = blobCid(i?.image);
        if (!i || !cid) continue;
        const url = imageUrl('feed_fullsize', did, cid);
        media.push({
          kind: 'photo',
          url,
          previewUrl: imageUrl('feed_thumbnail', did, cid),
          alt: text(i.alt),
          ...size(i.aspectRatio),
        });
      }
      return { media };
    }
    case 'app.bsky.embed.video': {
      const cid = blobCid(embed.video);
      if (!cid) return { media: [] };
      const base = `${VIDEO_CDN}/${encodeURIComponent(did)}/${cid}`;
      const url = `${base}/playlist.m3u8`;
      return {
        media: [
          { kind: 'video', url, previewUrl: `${base}/thumbnail.jpg`, alt: text(embed.alt), ...size(embed.aspectRatio) },
        ],
      };
    }
    case 'app.bsky.embed.external': {
      const card = httpUrl(object(embed.external)?.uri);
      return card ? { media: [], card } : { media: [] };
    }
    default:
      return { media: [] };
  }
}

/**
 * What a raw record's embed shows without the AppView: images, a video, a link card. A quote is
 * only a reference there: it needs the AppView's view to be shown, so it is left out.
 */
export function recordEmbedParts(did: string, embed: unknown): EmbedParts {
  if (!/^did:[a-z]+:[A-Za-z0-9._:%-]+$/.test(did)) return { media: [] };
  const e = object(embed);
  if (e?.$type === 'app.bsky.embed.recordWithMedia') return recordMedia(did, object(e.media));
  return recordMedia(did, e);
}

// ---------------------------------------------------------------------------
// Link cards

/** `https://www.ville.fr/agenda/fete-du-livre-2026` → `ville.fr/agenda/fete-du-livre…`, as Bluesky shows links. */
export function shortUrl(url: string): string {
  let shown: string;
  try {
    const u = new URL(url);
    shown = u.host.replace(/^www\./, '') + (u.pathname === '/' ? '' : u.pathname) + u.search + u.hash;
  } catch {
    shown = url;
  }
  return shown.length > SHORT_URL_LENGTH ? `${shown.slice(0, SHORT_URL_LENGTH - 1)}…` : shown;
}

/** A URL compared loosely: no scheme, no `www.`, no trailing slash, host in lower case. */
function sameTarget(a: string, b: string): boolean {
  const loose = (url: string) => {
    try {
      const u = new URL(url);
      return `${u.host.replace(/^www\./, '').toLowerCase()}${u.pathname.replace(/\/+$/, '')}${u.search}`;
    } catch {
      return url;
    }
  };
  return loose(a) === loose(b);
}

/**
 * The text and entities with the link card's URL at the end, as a link entity, unless the text
 * already shows that link: the widget has no card, and the link is what the card leads to. The
 * card's title and image are left out: they are written by the poster's client, not checked, and
 * a title could pass for another site.
 */
export function withCard(
  textIn: string,
  entities: Entities,
  card: string | undefined,
): { text: string; entities: Entities } {
  if (!card) return { text: textIn, entities };
  if (entities.links.some((l) => sameTarget(l.href, card)) || textIn.includes(card)) return { text: textIn, entities };
  const display = shortUrl(card);
  // Trailing spaces go, unless an entity covers them (its range must stay as it is).
  const lastEnd = Math.max(0, ...[...entities.hashtags, ...entities.mentions, ...entities.links].map((e) => e.end));
  const prefix = textIn.slice(0, Math.max(lastEnd, textIn.trimEnd().length));
  const joined = prefix ? `${prefix}\n\n` : '';
  const link: LinkEntity = {
    start: joined.length,
    end: joined.length + display.length,
    href: card,
    display,
    expandedUrl: card,
  };
  return { text: joined + display, entities: { ...entities, links: [...entities.links, link] } };
}

/** X's text and entities, and its web addresses: escaped code-point text to plain text with UTF-16 entities. Pure. */
import type { Entities, HashtagEntity, LinkEntity, MentionEntity } from '../../contract.js';
import type { XEntities, XUrlEntity } from './api-types.js';

/** Where hashtags, profiles and posts live on X. */
const X_WEB = 'https://x.com';

const HTML_ESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** Undoes X's HTML escaping, exactly once (`&amp;lt;` becomes `&lt;`). */
export function unescapeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (m) => HTML_ESCAPES[m] ?? m);
}

export function profileUrl(username: string): string {
  return `${X_WEB}/${username}`;
}

export function postUrl(username: string | undefined, id: string): string {
  return `${X_WEB}/${username || 'i'}/status/${id}`;
}

export function hashtagUrl(tag: string): string {
  return `${X_WEB}/hashtag/${encodeURIComponent(tag)}`;
}

type AnyEntity =
  | { kind: 'hashtag'; start: number; end: number; tag: string }
  | { kind: 'mention'; start: number; end: number; username: string }
  | { kind: 'url'; start: number; end: number; entity: XUrlEntity };

export interface TextOptions {
  /** URL entities to drop from the text (the post's own media link, the quoted post's link). */
  hide?: (url: XUrlEntity) => boolean;
}

/**
 * Turns X's escaped text and its code-point entities into plain text with
 * JavaScript-index entities. Links show their `display_url`; hidden links
 * (media, quoted post) are removed together with the space before them.
 */
export function convertText(
  escaped: string,
  entities: XEntities | undefined,
  options: TextOptions = {},
): { text: string; entities: Entities } {
  const points = Array.from(escaped);
  const all: AnyEntity[] = [
    ...(entities?.hashtags ?? []).map((e) => ({ kind: 'hashtag' as const, start: e.start, end: e.end, tag: e.tag })),
    ...(entities?.mentions ?? []).map((e) => ({
      kind: 'mention' as const,
      start: e.start,
      end: e.end,
      username: e.username,
    })),
    ...(entities?.urls ?? []).map((e) => ({ kind: 'url' as const, start: e.start, end: e.end, entity: e })),
  ]
    .filter(
      (e) =>
        Number.isInteger(e.start) &&
        Number.isInteger(e.end) &&
        e.start >= 0 &&
        e.end > e.start &&
        e.end <= points.length,
    )
    .sort((a, b) => a.start - b.start);

  const out: Entities = { hashtags: [], mentions: [], links: [] };
  let text = '';
  let cursor = 0;
  const plain = (from: number, to: number): string => unescapeHtml(points.slice(from, to).join(''));

  for (const e of all) {
    if (e.start < cursor) continue; // overlapping entity: keep the first
    text += plain(cursor, e.start);
    const raw = points.slice(e.start, e.end).join('');
    if (e.kind === 'url' && options.hide?.(e.entity)) {
      text = text.replace(/\s+$/u, '');
      cursor = e.end;
      continue;
    }
    const start = text.length;
    if (e.kind === 'url') {
      const display = e.entity.display_url || e.entity.expanded_url || e.entity.url;
      text += display;
      const link: LinkEntity = { start, end: text.length, href: e.entity.url, display };
      const expanded = e.entity.unwound_url || e.entity.expanded_url;
      if (expanded) link.expandedUrl = expanded;
      out.links.push(link);
    } else if (e.kind === 'hashtag') {
      text += unescapeHtml(raw);
      const h: HashtagEntity = { start, end: text.length, tag: e.tag, url: hashtagUrl(e.tag) };
      out.hashtags.push(h);
    } else {
      text += unescapeHtml(raw);
      const m: MentionEntity = { start, end: text.length, handle: e.username, url: profileUrl(e.username) };
      out.mentions.push(m);
    }
    cursor = e.end;
  }
  text += plain(cursor, points.length);
  // A hidden trailing link leaves nothing behind; a hidden link mid-text may leave a double space.
  return { text: text.replace(/\s+$/u, ''), entities: out };
}

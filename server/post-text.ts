/**
 * The rules that keep a post's text and URLs safe, wherever a post is rendered (the widget in the
 * browser, the server's HTML pages): only http(s) URLs become links or images, a language tag is
 * used only when it names a real language, and entities become links only where their offsets
 * fall inside the text without overlapping.
 *
 * Pure and dependency-free: the widget imports it as it is.
 */
import type { Entities, Media } from './contract.js';

/** A piece of post text: plain text, or a link made from an entity. */
export type TextSegment =
  { kind: 'text'; text: string } | { kind: 'hashtag' | 'mention' | 'link'; text: string; href: string; title?: string };

/**
 * Only http(s) URLs become links or images: a `javascript:` or `data:` URL in
 * a post must never reach an attribute. A relative URL is resolved against
 * the feed server (`base`), not against the page that shows it.
 */
export function safeUrl(value: string | undefined, base?: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Language tags that say "no language" (X's und, zxx, qme, qht, qam…). */
const NO_LANGUAGE = /^(und|zxx|q[a-t][a-z])$/i;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i;

/** The post's BCP 47 tag when it names a real language. */
export function postLanguage(lang: string | undefined): string | undefined {
  if (!lang || !LANGUAGE_TAG.test(lang) || NO_LANGUAGE.test(lang)) return undefined;
  return lang;
}

/**
 * Splits post text at its entities. Offsets are JavaScript string indices,
 * so `text.slice(start, end)` is the entity even after an emoji. Entities that
 * overlap, fall outside the text or carry an unsafe URL stay plain text.
 */
export function segmentText(text: string, entities: Entities, base?: string): TextSegment[] {
  type Candidate = { start: number; end: number; segment: TextSegment };
  const candidates: Candidate[] = [];
  const tagged = [
    ['hashtag', entities.hashtags],
    ['mention', entities.mentions],
  ] as const;
  for (const [kind, list] of tagged) {
    for (const { start, end, url } of list) {
      const href = safeUrl(url, base);
      if (href) candidates.push({ start, end, segment: { kind, text: text.slice(start, end), href } });
    }
  }
  for (const link of entities.links) {
    const href = safeUrl(link.href, base);
    if (href) {
      const segment: TextSegment = {
        kind: 'link',
        text: link.display || text.slice(link.start, link.end),
        href,
      };
      if (link.expandedUrl) segment.title = link.expandedUrl;
      candidates.push({ start: link.start, end: link.end, segment });
    }
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);

  const segments: TextSegment[] = [];
  let cursor = 0;
  for (const { start, end, segment } of candidates) {
    if (start < cursor || end <= start || end > text.length) continue;
    if (start > cursor) segments.push({ kind: 'text', text: text.slice(cursor, start) });
    segments.push(segment);
    cursor = end;
  }
  if (cursor < text.length) segments.push({ kind: 'text', text: text.slice(cursor) });
  return segments;
}

/**
 * What an image says to those who cannot see it: the author's alt text, or what it is when the
 * author wrote none ("Vidéo", "Image sans description"), in the words of the page.
 */
export function mediaAlt(media: Media, words: { video: string; gif: string; imageWithoutDescription: string }): string {
  const alt = media.alt.trim();
  if (alt) return alt;
  if (media.kind === 'video') return words.video;
  if (media.kind === 'gif') return words.gif;
  return words.imageWithoutDescription;
}

/**
 * Bluesky rich text, pure: facets (ranges of UTF-8 bytes) become our entities (ranges of UTF-16
 * code units, `text.slice(start, end)` being the entity as shown), and hashtags written without a
 * facet are found by Bluesky's own rules.
 */
import type { Entities, HashtagEntity, LinkEntity, MentionEntity, TextRange } from '../../contract.js';
import { FACET_LINK, FACET_MENTION, FACET_TAG, type BskyFacet, type BskyPostRecord } from './lexicon.js';

/** Where profiles, posts and hashtags live on the web. */
export const BSKY_WEB = 'https://bsky.app';

/** Hashtag limits of the `app.bsky.richtext.facet#tag` lexicon. */
const MAX_TAG_GRAPHEMES = 64;
const MAX_TAG_BYTES = 640;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Handles and dids are made of URL-safe characters; anything else is encoded. */
function pathSegment(value: string): string {
  return /^[A-Za-z0-9._:%-]+$/.test(value) ? value : encodeURIComponent(value);
}

export function profileUrl(handleOrDid: string): string {
  return `${BSKY_WEB}/profile/${pathSegment(handleOrDid)}`;
}

export function hashtagUrl(tag: string): string {
  return `${BSKY_WEB}/hashtag/${encodeURIComponent(tag)}`;
}

/** Bytes of one code point in UTF-8 (a lone surrogate is sent as U+FFFD: 3 bytes). */
function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** Bytes of a string in UTF-8. */
export function utf8Size(text: string): number {
  let bytes = 0;
  for (const ch of text) bytes += utf8Length(ch.codePointAt(0)!);
  return bytes;
}

/**
 * The UTF-16 index of each UTF-8 byte offset that falls between two characters as a reader sees
 * them (grapheme clusters: an accented letter, an emoji with its skin tone or ZWJ sequence), and of
 * the end of the text. Offsets inside a character are absent: a range there would cut it in two.
 */
function boundaries(text: string): (byte: number) => number | undefined {
  // ASCII: one byte per code unit, every offset is a boundary.
  if (!/[^\x00-\x7f]/.test(text)) return (byte) => (byte <= text.length ? byte : undefined);
  const at = new Map<number, number>();
  let byte = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    at.set(byte, index);
    byte += utf8Size(segment);
  }
  at.set(byte, text.length);
  return (b) => at.get(b);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const HANDLE = /^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9.-]*[A-Za-z0-9]$/;

type Found =
  ({ kind: 'mention' } & MentionEntity) | ({ kind: 'link' } & LinkEntity) | ({ kind: 'hashtag' } & HashtagEntity);

/** The first feature of a facet we know how to show, over the text it covers. */
function feature(
  facet: BskyFacet,
  range: TextRange,
  written: string,
  handles: ReadonlyMap<string, string>,
): Found | undefined {
  for (const f of Array.isArray(facet.features) ? facet.features : []) {
    if (!f || typeof f !== 'object') continue;
    if (f.$type === FACET_MENTION && typeof f.did === 'string' && f.did.startsWith('did:')) {
      const known = handles.get(f.did);
      // The handle as written may be out of date: the link then goes to the did, which never changes.
      const writtenHandle = written.replace(/^[@＠]/, '');
      const handle = known ?? (HANDLE.test(writtenHandle) ? writtenHandle : f.did);
      return { kind: 'mention', ...range, handle, url: profileUrl(known ?? f.did) };
    }
    if (f.$type === FACET_LINK && typeof f.uri === 'string' && isHttpUrl(f.uri)) {
      return { kind: 'link', ...range, href: f.uri, display: written, expandedUrl: f.uri };
    }
    if (f.$type === FACET_TAG && typeof f.tag === 'string') {
      const tag = f.tag.replace(/^[#＃]/, '');
      if (tag) return { kind: 'hashtag', ...range, tag, url: hashtagUrl(tag) };
    }
  }
  return undefined;
}

/** Characters a hashtag never contains: spaces and the invisible ones Bluesky's client excludes. */
const TAG_CANDIDATE = /(^|\s)[#＃]([^\s\u00AD\u2060\u200A-\u200D\u20E2]+)/gu;
const TRAILING_PUNCTUATION = /\p{P}+$/u;
const NOT_DIGIT_OR_PUNCTUATION = /[^\d\p{P}]/u;

/**
 * A hashtag as Bluesky's client recognises one after `#` (or the full-width `＃`), preceded by the
 * start of the text or a space: not only digits and punctuation, trailing punctuation left out, at
 * most 64 graphemes and 640 bytes, and not a keycap emoji (`#️⃣`). Returns the tag, or undefined.
 */
export function hashtagBody(candidate: string): string | undefined {
  if (candidate.startsWith('\ufe0f') || !NOT_DIGIT_OR_PUNCTUATION.test(candidate)) return undefined;
  const tag = candidate.replace(TRAILING_PUNCTUATION, '');
  if (!tag) return undefined;
  if (tag.length > MAX_TAG_GRAPHEMES && [...graphemes.segment(tag)].length > MAX_TAG_GRAPHEMES) return undefined;
  if (tag.length * 3 > MAX_TAG_BYTES && utf8Size(tag) > MAX_TAG_BYTES) return undefined;
  return tag;
}

/** True when `end` falls between two characters as a reader sees them, counting from `start` (itself one). */
function endsOnGrapheme(text: string, start: number, end: number): boolean {
  if (end >= text.length || text.charCodeAt(end) < 0x80) return true;
  for (const { index } of graphemes.segment(text.slice(start, end + 32))) {
    if (start + index >= end) return start + index === end;
  }
  return false;
}

/**
 * Every hashtag written in `text`, with its range (`#` included), whether a facet marks it or not.
 * A tag that would end inside a character (Bluesky's rule stops at a zero-width joiner, which can
 * sit in the middle of an emoji) is left out rather than cut in two.
 */
export function textHashtags(text: string): HashtagEntity[] {
  const out: HashtagEntity[] = [];
  for (const m of text.matchAll(TAG_CANDIDATE)) {
    const tag = hashtagBody(m[2]!);
    if (tag === undefined) continue;
    const start = m.index + m[1]!.length;
    const end = start + 1 + tag.length;
    if (endsOnGrapheme(text, start, end)) out.push({ start, end, tag, url: hashtagUrl(tag) });
  }
  return out;
}

function overlaps(a: TextRange, b: TextRange): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Turns a post's facets into entities over `text`. A facet whose bytes do not fall between two
 * characters, or lie outside the text, is dropped (never shifted onto other characters); of two
 * overlapping facets the first is kept; a link to anything but http(s) stays plain text. Hashtags
 * written without a facet are added. `handles` maps the dids the caller knows (author, reposter,
 * quoted author) to their current handle.
 */
export function facetsToEntities(
  text: string,
  facets: unknown,
  handles: ReadonlyMap<string, string> = new Map(),
): Entities {
  const byteToIndex = boundaries(text);
  const found: Found[] = [];
  for (const facet of Array.isArray(facets) ? (facets as BskyFacet[]) : []) {
    const start = facet?.index?.byteStart;
    const end = facet?.index?.byteEnd;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) continue;
    const from = byteToIndex(start);
    const to = byteToIndex(end);
    if (from === undefined || to === undefined) continue;
    const range = { start: from, end: to };
    const entity = feature(facet, range, text.slice(from, to), handles);
    if (entity) found.push(entity);
  }
  found.sort((a, b) => a.start - b.start);
  const kept: Found[] = [];
  for (const entity of found) {
    if (kept.length === 0 || kept[kept.length - 1]!.end <= entity.start) kept.push(entity);
  }
  for (const tag of textHashtags(text)) {
    if (!kept.some((e) => overlaps(e, tag))) kept.push({ kind: 'hashtag', ...tag });
  }
  kept.sort((a, b) => a.start - b.start);
  const entities: Entities = { hashtags: [], mentions: [], links: [] };
  for (const { kind, ...entity } of kept) {
    if (kind === 'hashtag') entities.hashtags.push(entity as HashtagEntity);
    else if (kind === 'mention') entities.mentions.push(entity as MentionEntity);
    else entities.links.push(entity as LinkEntity);
  }
  return entities;
}

/**
 * The hashtags a post record carries, lower-cased, without `#`: its tag facets, the tags written in
 * its text without a facet, and its "outline" tags (`tags`, not shown in the text).
 */
export function recordHashtags(record: BskyPostRecord): Set<string> {
  const tags = new Set<string>();
  const add = (tag: unknown) => {
    if (typeof tag === 'string' && tag) tags.add(tag.replace(/^[#＃]/, '').toLowerCase());
  };
  for (const facet of Array.isArray(record.facets) ? record.facets : []) {
    for (const f of Array.isArray(facet?.features) ? facet.features : []) if (f?.$type === FACET_TAG) add(f.tag);
  }
  if (typeof record.text === 'string') for (const h of textHashtags(record.text)) add(h.tag);
  if (Array.isArray(record.tags)) record.tags.forEach(add);
  return tags;
}

/**
 * Finds hashtags, mentions and links in a post's text, with UTF-16 offsets, the way each network marks
 * them up: `@name` on X, `@name@instance` on Mastodon, `@domain.handle` on Bluesky.
 */
import type { Entities, HashtagEntity, LinkEntity, MentionEntity, TextRange } from '../../contract.js';

/** Where hashtags and mentions link to. */
export interface EntityUrls {
  /** The page of a hashtag, given the tag without "#". */
  hashtag(tag: string): string;
  /** The profile of an account, given the handle without "@". */
  mention(handle: string): string;
}

/** Longest link text shown before it is cut with "…", like X's `display_url`. */
export const MAX_LINK_DISPLAY = 25;

/** An http(s) URL up to the next space or character that cannot end one in running text. */
const URL_PATTERN = /https?:\/\/[^\s<>"«»]+/giu;

/**
 * "#" then Unicode letters, marks, digits or "_"; not right after a word
 * character, "&" (HTML entities) or "/" (paths), so "a#b" and "&#233;" are not tags.
 */
const HASHTAG_PATTERN = /(?<![\p{L}\p{M}\p{N}_&/#])[#＃]([\p{L}\p{M}\p{N}_]+)/gu;

/**
 * "@" then 1 to 15 ASCII letters, digits or "_", not inside an e-mail address,
 * and not followed by a 16th handle character (X does not link such names).
 */
const X_MENTION = /(?<![A-Za-z0-9_!#$%&*@＠.])[@＠]([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@＠]|:\/\/)/gu;

/** A domain name: labels of letters, digits and "-", with a dot between (never a final dot of a sentence). */
const DOMAIN = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+';

/** The networks the demo imitates. */
export type DemoNetwork = 'x' | 'mastodon' | 'bluesky';

/** Mentions as each network writes them; the group is the handle without "@". */
const MENTION_PATTERNS: Record<DemoNetwork, RegExp> = {
  x: X_MENTION,
  /** `@name@instance`: the full handle, as written to reach an account of another server. */
  mastodon: new RegExp(`(?<![\\w@.])@([A-Za-z0-9_]+@${DOMAIN})(?![\\w@-])`, 'gu'),
  /** `@name.bsky.social` or `@mairie.fr`: a handle is a domain name. */
  bluesky: new RegExp(`(?<![\\w@.])@(${DOMAIN})(?![\\w@-])`, 'gu'),
};

/** Characters that end a sentence rather than a URL. */
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', "'", '’', '…', ']', '}', '\u00a0', '\u202f']);

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** Drops the final punctuation a sentence added after a URL; keeps ")" when the URL opened it. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1);
    if (last === undefined) return url;
    if (TRAILING_PUNCTUATION.has(last)) url = url.slice(0, -1);
    else if (last === ')' && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
    else return url;
  }
}

/** The URL as X shows it: no protocol, no "www.", no lone "/", cut with "…" past {@link MAX_LINK_DISPLAY}. */
export function displayUrl(url: string): string {
  let shown = url.replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  if (/^[^/]+\/$/.test(shown)) shown = shown.slice(0, -1);
  return shown.length > MAX_LINK_DISPLAY ? `${shown.slice(0, MAX_LINK_DISPLAY - 1)}…` : shown;
}

function overlaps(range: TextRange, taken: readonly TextRange[]): boolean {
  return taken.some((t) => range.start < t.end && t.start < range.end);
}

/**
 * Finds the entities of `text`. Offsets are JavaScript string indices, so
 * `text.slice(start, end)` is exactly "#tag", "@handle" or the URL, also after
 * emoji and other characters outside the Basic Multilingual Plane. A "#" or "@"
 * inside a URL belongs to the link. Mentions follow `network`'s handles (X's by default). Each list
 * is in text order.
 */
export function entitiesFromText(text: string, urls: EntityUrls, network: DemoNetwork = 'x'): Entities {
  const links: LinkEntity[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trimUrl(match[0]);
    if (!/^https?:\/\/[^/?#.\s]+\.[^/?#\s]/i.test(url)) continue;
    const start = match.index;
    links.push({ start, end: start + url.length, href: url, display: displayUrl(url), expandedUrl: url });
  }

  const hashtags: HashtagEntity[] = [];
  for (const match of text.matchAll(HASHTAG_PATTERN)) {
    const tag = match[1] ?? '';
    // X does not link a tag made only of digits ("#1").
    if (!/[\p{L}_]/u.test(tag)) continue;
    const range = { start: match.index, end: match.index + match[0].length };
    if (overlaps(range, links)) continue;
    hashtags.push({ ...range, tag, url: urls.hashtag(tag) });
  }

  const mentions: MentionEntity[] = [];
  for (const match of text.matchAll(MENTION_PATTERNS[network])) {
    const handle = match[1] ?? '';
    const range = { start: match.index, end: match.index + match[0].length };
    if (overlaps(range, links)) continue;
    mentions.push({ ...range, handle, url: urls.mention(handle) });
  }

  return { hashtags, mentions, links };
}

/**
 * Pure conversion of a status's HTML `content` into plain text and entities (no I/O, clock or
 * globals). htmlparser2 reads the HTML and decodes its character references exactly once; the
 * text is built as a browser shows it: paragraphs and line breaks kept, other whitespace collapsed,
 * the hidden parts of shortened links left out, nested markup flattened.
 */
import { Parser } from 'htmlparser2';
import type { Entities, HashtagEntity, LinkEntity, MentionEntity } from '../../contract.js';
import type { MastodonEmoji, MastodonMention, MastodonTag } from './api-types.js';

export interface ContentOptions {
  /** The status's `mentions`: the full handle of a mention link, found by its URL. */
  mentions?: readonly MastodonMention[];
  /** The status's `tags`: recognise a hashtag link a server did not mark as one. */
  tags?: readonly MastodonTag[];
  /** Domain of the asked instance's own accounts, whose `acct` has no domain. */
  localDomain: string;
  /** Leave out the quote fallback (`class="quote-inline"`): the quoted post is shown as a card. */
  dropQuoteFallback?: boolean;
}

export interface Content {
  text: string;
  entities: Entities;
}

/** Elements whose text is not shown. */
const HIDDEN_ELEMENTS = new Set(['script', 'style', 'template', 'head', 'title', 'noscript']);
/** Elements set apart by a blank line. */
const PARAGRAPHS = new Set(['p', 'blockquote', 'pre', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements that start on a new line. */
const LINES = new Set(['li', 'div', 'dt', 'dd', 'tr']);

/** A custom emoji found in text: `text.slice(start, end)` is `:shortcode:`. */
export interface CustomEmojiRange {
  start: number;
  end: number;
  shortcode: string;
  /** The image, never fetched by this module. */
  url: string;
  staticUrl: string;
}

/**
 * `:shortcode:` as Mastodon finds it: not glued to a letter, digit or colon on either side, so that
 * `17:00:00` holds none.
 */
const SHORTCODE = /(?<![\p{L}\p{N}:]):([A-Za-z0-9_]{2,}):(?![\p{L}\p{N}:])/gu;

/**
 * The custom emoji in `text`, resolved through `emojis` (the status's or the account's list) only:
 * a shortcode the list does not hold is plain text. They stay `:shortcode:` in the text; these
 * ranges say where an image could stand.
 */
export function findCustomEmoji(text: string, emojis: readonly MastodonEmoji[] | null | undefined): CustomEmojiRange[] {
  if (!emojis?.length) return [];
  const known = new Map(emojis.filter((e) => e && typeof e.shortcode === 'string').map((e) => [e.shortcode, e]));
  const found: CustomEmojiRange[] = [];
  for (const match of text.matchAll(SHORTCODE)) {
    const emoji = known.get(match[1]!);
    if (!emoji) continue;
    found.push({
      start: match.index,
      end: match.index + match[0].length,
      shortcode: emoji.shortcode,
      url: emoji.url,
      staticUrl: emoji.static_url ?? emoji.url,
    });
  }
  return found;
}

/** An absolute http(s) URL, or undefined: anything else never becomes a link. */
export function httpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** How hashtags are compared: case, width and composition folded (`＃ＦÊte` matches `fête`). */
export function hashtagKey(tag: string): string {
  return tag.normalize('NFKC').toLowerCase();
}

function words(value: string | undefined): Set<string> {
  return new Set((value ?? '').toLowerCase().split(/\s+/).filter(Boolean));
}

/** A link being read: where its text starts and what it shows. */
interface OpenLink {
  href: string | undefined;
  classes: Set<string>;
  rel: Set<string>;
  start: number | undefined;
}

/** An open element and what closing it undoes. */
interface Frame {
  name: string;
  hidden: boolean;
  ellipsis: boolean;
  link: boolean;
  pre: boolean;
}

/** The text being built, with the whitespace rules of rendered HTML. */
class TextBuilder {
  text = '';
  /** Line breaks owed before the next visible text (2 = a blank line). */
  private pendingBreaks = 0;
  readonly entities: Entities = { hashtags: [], mentions: [], links: [] };

  /** Owes `count` line breaks before the next text, unless nothing was written yet. */
  breakBefore(count: number): void {
    if (this.text.length > 0) this.pendingBreaks = Math.max(this.pendingBreaks, count);
  }

  lineBreak(): void {
    this.flush();
    this.trimEnd(/[ \t]+$/);
    this.text += '\n';
  }

  /** Writes text; returns where its first visible character landed, if it has one. */
  append(raw: string, pre: boolean): number | undefined {
    let chunk = pre ? raw.replace(/\r\n?/g, '\n') : raw.replace(/[ \t\n\r\f]+/g, ' ');
    if (!pre && (this.pendingBreaks > 0 || this.text === '' || /[ \n]$/.test(this.text))) {
      chunk = chunk.replace(/^ /, '');
    }
    if (chunk === '') return undefined;
    this.flush();
    const at = this.text.length;
    this.text += chunk;
    const lead = /^\s*/.exec(chunk)![0].length;
    return lead < chunk.length ? at + lead : undefined;
  }

  /** Writes the owed line breaks. */
  private flush(): void {
    if (this.pendingBreaks === 0) return;
    this.trimEnd(/[ \t]+$/);
    const have = /\n*$/.exec(this.text)![0].length;
    this.text += '\n'.repeat(Math.max(0, this.pendingBreaks - have));
    this.pendingBreaks = 0;
  }

  /** Cuts the end of the text, and the entities that reached into it. */
  trimEnd(pattern: RegExp): void {
    this.text = this.text.replace(pattern, '');
    const end = this.text.length;
    for (const list of [this.entities.hashtags, this.entities.mentions, this.entities.links] as { end: number }[][]) {
      for (const e of list) e.end = Math.min(e.end, end);
    }
  }
}

/** What a closed link becomes: a hashtag, a mention or a link entity, or plain text. */
function classify(entities: Entities, link: OpenLink, start: number, shown: string, options: ContentOptions): void {
  const href = link.href;
  const end = start + shown.length;
  if (!href || end <= start) return;
  const tagText = /^[#＃]/.test(shown) ? shown.slice(1) : undefined;
  const knownTag =
    tagText !== undefined &&
    (options.tags ?? []).some((t) => typeof t?.name === 'string' && hashtagKey(t.name) === hashtagKey(tagText));
  if (tagText && (link.classes.has('hashtag') || link.rel.has('tag') || knownTag)) {
    const entity: HashtagEntity = { start, end, tag: tagText, url: href };
    entities.hashtags.push(entity);
    return;
  }
  const listed = (options.mentions ?? []).some((m) => m?.url === href);
  if (/^[@＠]./.test(shown) && (link.classes.has('mention') || link.classes.has('u-url') || listed)) {
    const entity: MentionEntity = { start, end, handle: mentionHandle(href, shown, options), url: href };
    entities.mentions.push(entity);
    return;
  }
  const entity: LinkEntity = { start, end, href, display: shown, expandedUrl: href };
  entities.links.push(entity);
}

/** `user@domain` for a mention: from the status's `mentions` by URL, else from what is shown and the link's host. */
function mentionHandle(href: string, shown: string, options: ContentOptions): string {
  const listed = (options.mentions ?? []).find((m) => m && m.url === href);
  if (listed && typeof listed.acct === 'string') {
    return listed.acct.includes('@') ? listed.acct : `${listed.acct}@${options.localDomain}`;
  }
  const name = shown.slice(1);
  return name.includes('@') ? name : `${name}@${new URL(href).hostname}`;
}

/**
 * Turns a status's HTML into plain text with UTF-16 entities: `text.slice(start, end)` is each
 * hashtag, mention or link as shown. `<p>` and `<br>` become line breaks; links show their visible
 * part (`<span class="invisible">` left out, `<span class="ellipsis">` followed by "…"); links
 * other than http(s) stay plain text.
 */
export function htmlToText(html: string, options: ContentOptions): Content {
  const out = new TextBuilder();
  const stack: Frame[] = [];
  let hiddenDepth = 0;
  let preDepth = 0;
  let link: OpenLink | undefined;

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const classes = words(attribs.class);
        const hidden =
          HIDDEN_ELEMENTS.has(name) ||
          classes.has('invisible') ||
          (options.dropQuoteFallback === true && classes.has('quote-inline'));
        const frame: Frame = { name, hidden, ellipsis: classes.has('ellipsis'), link: false, pre: name === 'pre' };
        stack.push(frame);
        if (hidden) hiddenDepth++;
        if (frame.pre) preDepth++;
        if (hiddenDepth > 0) return;
        if (PARAGRAPHS.has(name)) out.breakBefore(2);
        else if (LINES.has(name)) out.breakBefore(1);
        else if (name === 'br') out.lineBreak();
        else if (name === 'img' && attribs.alt) out.append(attribs.alt, false);
        else if (name === 'a' && link === undefined) {
          frame.link = true;
          link = { href: httpUrl(attribs.href), classes, rel: words(attribs.rel), start: undefined };
        }
      },
      ontext(data) {
        if (hiddenDepth > 0) return;
        const at = out.append(data, preDepth > 0);
        if (link && link.start === undefined) link.start = at;
      },
      onclosetag(name) {
        const frame = stack.pop();
        if (!frame || frame.name !== name) {
          if (frame) stack.push(frame);
          return;
        }
        const visible = hiddenDepth === 0;
        if (frame.hidden) hiddenDepth--;
        if (frame.pre) preDepth--;
        if (!visible) return;
        if (frame.ellipsis && out.text.length > 0) out.append('…', true);
        if (frame.link && link) {
          if (link.start !== undefined) {
            classify(out.entities, link, link.start, out.text.slice(link.start).trimEnd(), options);
          }
          link = undefined;
        }
        if (PARAGRAPHS.has(name)) out.breakBefore(2);
        else if (LINES.has(name)) out.breakBefore(1);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  out.trimEnd(/\s+$/u);
  const { entities } = out;
  const keep = <T extends { start: number; end: number }>(list: T[]) => list.filter((e) => e.end > e.start);
  return {
    text: out.text,
    entities: { hashtags: keep(entities.hashtags), mentions: keep(entities.mentions), links: keep(entities.links) },
  };
}

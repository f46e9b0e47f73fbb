/**
 * One post, as a Lit template: author block, text built from entities,
 * media, repost and quote, time. Every piece of the post goes through Lit
 * bindings, so text, names and alt texts are always inert text.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Author, Entities, Media, Post } from '../server/contract.js';
import { formatDateTime, formatRelativeTime } from './i18n.js';
import type { Locale, Messages } from './i18n.js';

/** What a post needs from the element to render. */
export interface PostViewContext {
  locale: Locale;
  messages: Messages;
  /** The current time, in milliseconds, for relative times. */
  now: number;
  timeZone?: string | undefined;
  /** The feed server's address: relative URLs in posts are relative to it. */
  baseUrl?: string | undefined;
  /** Whether the visitor asked to see this post's sensitive media. */
  isRevealed: (postId: string) => boolean;
  onReveal: (postId: string) => void;
}

/** A piece of post text: plain text, or a link made from an entity. */
export type TextSegment =
  { kind: 'text'; text: string } | { kind: 'hashtag' | 'mention' | 'link'; text: string; href: string; title?: string };

/**
 * Only http(s) URLs become links or images: a `javascript:` or `data:` URL in
 * a post must never reach an attribute. A relative URL is resolved against
 * the feed server (`base`), not against the town's page.
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
  for (const tag of entities.hashtags) {
    const href = safeUrl(tag.url, base);
    if (href) {
      candidates.push({
        start: tag.start,
        end: tag.end,
        segment: { kind: 'hashtag', text: text.slice(tag.start, tag.end), href },
      });
    }
  }
  for (const mention of entities.mentions) {
    const href = safeUrl(mention.url, base);
    if (href) {
      candidates.push({
        start: mention.start,
        end: mention.end,
        segment: { kind: 'mention', text: text.slice(mention.start, mention.end), href },
      });
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

const LINK_REL = 'noopener noreferrer nofollow ugc';

/** The post text, hashtags, mentions and links as `<a>` elements. */
export function renderText(post: Post, base?: string): TemplateResult | typeof nothing {
  if (!post.text) return nothing;
  return html`<p part="text" class="text">${segmentText(post.text, post.entities, base).map((segment) =>
    segment.kind === 'text'
      ? segment.text
      : html`<a
            part="entity ${segment.kind}"
            class=${segment.kind}
            href=${segment.href}
            title=${segment.kind === 'link' && segment.title ? segment.title : nothing}
            rel=${LINK_REL}
            >${segment.text}</a
          >`,
  )}</p>`;
}

function renderAvatar(author: Author, base: string | undefined): TemplateResult {
  const src = safeUrl(author.avatarUrl, base);
  // The name is written next to it: the picture is decorative (alt="").
  return src
    ? html`<img
        part="avatar"
        class="avatar"
        src=${src}
        alt=""
        width="48"
        height="48"
        loading="lazy"
        decoding="async"
        referrerpolicy="no-referrer"
      />`
    : html`<span part="avatar" class="avatar avatar-initial" aria-hidden="true"
        >${Array.from(author.name.trim() || author.handle)[0]?.toUpperCase() ?? ''}</span
      >`;
}

function renderAuthor(author: Author, base: string | undefined): TemplateResult {
  const profile = safeUrl(author.profileUrl, base);
  const handle = `@${author.handle}`;
  return html`<div part="author" class="author">
    ${renderAvatar(author, base)}
    <span class="names">
      <span part="author-name" class="name">${author.name}</span>
      ${
        profile
          ? html`<a part="handle" class="handle" href=${profile} rel=${LINK_REL}>${handle}</a>`
          : html`<span part="handle" class="handle">${handle}</span>`
      }
    </span>
  </div>`;
}

function mediaAlt(media: Media, messages: Messages): string {
  const alt = media.alt.trim();
  if (alt) return alt;
  if (media.kind === 'video') return messages.video;
  if (media.kind === 'gif') return messages.gif;
  return messages.imageWithoutDescription;
}

function renderMediaItem(media: Media, context: PostViewContext, hidden: boolean): TemplateResult | typeof nothing {
  const { messages, baseUrl } = context;
  const src = safeUrl(media.previewUrl, baseUrl) ?? safeUrl(media.url, baseUrl);
  if (!src) return nothing;
  return html`<figure part="media" class="media ${media.kind}">
    <img
      src=${src}
      alt=${hidden ? '' : mediaAlt(media, messages)}
      aria-hidden=${hidden ? 'true' : nothing}
      width=${media.width > 0 ? media.width : nothing}
      height=${media.height > 0 ? media.height : nothing}
      loading="lazy"
      decoding="async"
      referrerpolicy="no-referrer"
    />
    ${
      media.kind === 'photo'
        ? nothing
        : html`<span class="media-badge" aria-hidden="true"
          >${media.kind === 'video' ? messages.video : messages.gif}</span
        >`
    }
  </figure>`;
}

function renderMedia(post: Post, context: PostViewContext): TemplateResult | typeof nothing {
  if (post.media.length === 0) return nothing;
  const hidden = post.sensitive === true && !context.isRevealed(post.id);
  return html`<div
    class="media-list ${hidden ? 'sensitive-hidden' : ''}"
    data-count=${Math.min(post.media.length, 4)}
  >
    ${post.media.slice(0, 4).map((media) => renderMediaItem(media, context, hidden))}
    ${
      hidden
        ? html`<div part="sensitive" class="sensitive" lang=${context.locale}>
          <span>${context.messages.sensitiveNotice}</span>
          <button part="button reveal" type="button" @click=${() => context.onReveal(post.id)}>
            ${context.messages.showSensitive}
          </button>
        </div>`
        : nothing
    }
  </div>`;
}

/** The relative time in a `<time datetime>`, linking to the post. */
export function renderTime(post: Post, context: PostViewContext): TemplateResult | typeof nothing {
  const date = new Date(post.createdAt);
  if (Number.isNaN(date.getTime())) return nothing;
  const time = html`<time
    datetime=${post.createdAt}
    title=${formatDateTime(date, context.locale, context.timeZone)}
    >${formatRelativeTime(date, context.now, context.locale, context.timeZone)}</time
  >`;
  const url = safeUrl(post.url, context.baseUrl);
  return url
    ? html`<a part="time" class="time" href=${url} rel=${LINK_REL}>${time}</a>`
    : html`<span part="time" class="time">${time}</span>`;
}

function renderQuoted(post: Post, context: PostViewContext): TemplateResult {
  return html`<blockquote part="quoted" class="quoted" lang=${postLanguage(post.lang) ?? nothing}>
    <span class="visually-hidden" lang=${context.locale}>${context.messages.quotedPost}</span>
    ${renderAuthor(post.author, context.baseUrl)} ${renderText(post, context.baseUrl)}
    ${renderMedia(post, context)}
    <div class="meta" lang=${context.locale}>${renderTime(post, context)}</div>
  </blockquote>`;
}

/** One post as an `<article>`, with `lang` set to the post's language. */
export function renderPost(post: Post, context: PostViewContext): TemplateResult {
  const { messages } = context;
  const permalink = safeUrl(post.url, context.baseUrl);
  return html`<article
    part="post"
    class="post"
    lang=${postLanguage(post.lang) ?? nothing}
    data-post-id=${post.id}
    tabindex="-1"
  >
    ${
      post.repostedBy
        ? html`<p part="repost" class="repost" lang=${context.locale}>
          <span aria-hidden="true">🔁</span> ${messages.repostedBy(post.repostedBy.name)}
        </p>`
        : nothing
    }
    ${renderAuthor(post.author, context.baseUrl)} ${renderText(post, context.baseUrl)}
    ${renderMedia(post, context)} ${post.quoted ? renderQuoted(post.quoted, context) : nothing}
    <div part="meta" class="meta" lang=${context.locale}>
      ${renderTime(post, context)}
      ${post.edited ? html`<span part="edited" class="edited">${messages.edited}</span>` : nothing}
      ${
        post.source === 'x' && permalink
          ? html`<a part="source-link" class="source-link" href=${permalink} rel=${LINK_REL}
            >${messages.viewOnX}</a
          >`
          : nothing
      }
    </div>
  </article>`;
}

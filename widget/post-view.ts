/**
 * One post, as a Lit template: the organisers' marks, author block, text
 * built from entities, media, repost and quote, time. Every piece of the post
 * goes through Lit bindings, so text, names and alt texts are always inert
 * text; an announcement's markup goes through the sanitizer.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Author, Post } from '../server/contract.js';
import { isAnnouncement, renderAnnouncementText, renderOrganisers } from './announcement-view.js';
import { renderCovered } from './content-warning.js';
import { formatDateTime, formatRelativeTime } from './i18n.js';
import type { Locale, Messages } from './i18n.js';
import { renderMedia } from './media-view.js';
import { renderNetwork, renderSourceLink } from './network-view.js';
import { LINK_REL, postLanguage, renderText, safeUrl } from './post-text.js';
import type { Sanitize } from './sanitizer-loader.js';

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
  /** Whether the visitor opened this post's content warning (always, for the organisers who moderate). */
  isOpen?: ((postId: string) => boolean) | undefined;
  /** Opens or closes a content warning; absent where nobody clicks (wall, ticker): what it covers is never shown. */
  onToggle?: ((postId: string) => void) | undefined;
  /** The announcements' sanitizer, once loaded. */
  sanitize?: Sanitize | undefined;
}

const PUSHPIN = 'M8 2h8l-1.5 7 3.5 4H6l3.5-4zM11 13h2v8l-1 1-1-1z';

/** "Épinglé" and "Annonce des organisateurs": what the organisers made of the post. */
export function renderMarks(post: Post, context: PostViewContext): TemplateResult | typeof nothing {
  const pinned = post.pinnedAt !== undefined;
  const announcement = isAnnouncement(post);
  if (!pinned && !announcement) return nothing;
  const { messages } = context;
  return html`<div class="marks" lang=${context.locale}>
    ${
      pinned
        ? html`<span part="pinned" class="mark"
          ><svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${PUSHPIN}></path></svg
          >${messages.pinned}</span
        >`
        : nothing
    }
    ${announcement ? html`<span part="announcement" class="mark">${messages.announcement}</span>` : nothing}
  </div>`;
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
    ${renderAuthor(post.author, context.baseUrl)}
    ${renderCovered(post, context, () => html`${renderText(post, context.baseUrl)}${renderMedia(post, context)}`)}
    <div class="meta" lang=${context.locale}>${renderTime(post, context)}</div>
  </blockquote>`;
}

/** One post as an `<article>`, with `lang` set to the post's language. */
export function renderPost(post: Post, context: PostViewContext): TemplateResult {
  const { messages, baseUrl } = context;
  const announcement = isAnnouncement(post);
  return html`<article
    part="post"
    class="post ${announcement ? 'organisers' : ''}"
    lang=${postLanguage(post.lang) ?? nothing}
    data-post-id=${post.id}
    tabindex="-1"
  >
    ${renderMarks(post, context)}
    ${
      post.repostedBy
        ? html`<p part="repost" class="repost" lang=${context.locale}>
          <span aria-hidden="true">🔁</span> ${messages.repostedBy(post.repostedBy.name)}
        </p>`
        : nothing
    }
    ${announcement ? renderOrganisers(post.author, messages) : renderAuthor(post.author, baseUrl)}
    ${renderCovered(
      post,
      context,
      () =>
        html`${announcement ? renderAnnouncementText(post, context.sanitize) : renderText(post, baseUrl)}${renderMedia(
          post,
          context,
        )}${post.quoted ? renderQuoted(post.quoted, context) : nothing}`,
    )}
    <div part="meta" class="meta" lang=${context.locale}>
      ${renderNetwork(post, context)} ${renderTime(post, context)}
      ${post.edited ? html`<span part="edited" class="edited">${messages.edited}</span>` : nothing}
      ${renderSourceLink(post, context)}
    </div>
  </article>`;
}

/**
 * One post as static HTML, for the pages the server renders (the archive, the feed's HTML
 * fragment): the organisers' marks, the author credited (name, @handle linking to the profile),
 * the text with its hashtags, mentions and links, the images with their alt texts (sensitive ones
 * behind a `<details>` cover), the repost and the quoted post, the time linking to the post and
 * "Voir sur X". X's display rules, as the widget follows them, without JavaScript.
 *
 * Every value goes through the `html` tag; only http(s) URLs become links; only this server's own
 * images (`/media/…`, the demo's) become `<img>`, so the page makes no third-party request; an
 * announcement's markup is sanitised again with the one allow-list before it is written.
 */
import type { Author, Media, Post } from '../contract.js';
import { ANNOUNCEMENT_LINK_REL } from '../announcement-policy.js';
import { sanitizeAnnouncement } from '../moderation/sanitize.js';
import { mediaAlt, postLanguage, safeUrl, segmentText } from '../post-text.js';
import { attr, html, sanitizedMarkup, type SafeHtml } from './html.js';
import { formatDateTime, formatShortDateTime, type PageLocale, type PostWords } from './words.js';

export interface PostHtmlContext {
  locale: PageLocale;
  words: PostWords;
  /** IANA time zone of the times shown. */
  timeZone: string;
  /** The origin visitors reach this server at (`PUBLIC_URL`), when known: URLs on it are this server's. */
  publicOrigin?: string | undefined;
  /**
   * Where this server's own URLs point when the markup is shown on another site (the HTML fragment a
   * CMS includes): written absolute on this origin. Without it they are written as paths.
   */
  ownOrigin?: string | undefined;
  /** The URL of one of this server's images, as the page should ask for it (default: as it is). */
  imageUrl?: ((path: string) => string) | undefined;
  /** The heading level of each post's author name (the page's outline). */
  headingLevel: 2 | 3 | 4;
}

/** Stands for this server while resolving relative URLs: never written to a page. */
const OWN_ORIGIN = 'http://commune-feed.invalid';

/**
 * A URL as a page of this server writes it: this server's (relative, or on `publicOrigin`) as a
 * path, others absolute; undefined unless http(s).
 */
export function pageUrl(value: string | undefined, publicOrigin?: string): { href: string; own: boolean } | undefined {
  const href = safeUrl(value, publicOrigin ?? OWN_ORIGIN);
  if (!href) return undefined;
  const url = new URL(href);
  const own = url.origin === OWN_ORIGIN || (publicOrigin !== undefined && url.origin === new URL(publicOrigin).origin);
  return own ? { href: `${url.pathname}${url.search}${url.hash}`, own } : { href, own };
}

function resolveUrl(value: string | undefined, context: PostHtmlContext) {
  const url = pageUrl(value, context.publicOrigin);
  return url?.own && context.ownOrigin ? { href: `${context.ownOrigin}${url.href}`, own: true } : url;
}

/** The `src` of one of this server's images, or undefined for another host's. */
function imageSrc(value: string | undefined, context: PostHtmlContext): string | undefined {
  const url = resolveUrl(value, context);
  if (!url?.own) return undefined;
  return context.imageUrl ? context.imageUrl(url.href) : url.href;
}

const REL = ANNOUNCEMENT_LINK_REL;

/** The megaphone that stands in for the organisers' avatar (the widget's icon). */
const MEGAPHONE = 'M3 9h3l8-5v16l-8-5H3zM16 9a3 3 0 010 6zM6 15l2 6h3l-2-6z';

function link(url: string, content: SafeHtml | string, className: string, title?: string): SafeHtml {
  return html`<a class="${className}" href="${url}"${attr('title', title)} rel="${REL}">${content}</a>`;
}

function avatar(author: Author, context: PostHtmlContext): SafeHtml {
  const src = imageSrc(author.avatarUrl, context);
  // The name is written next to it: the picture is decorative.
  if (src) return html`<img class="avatar" src="${src}" alt="" width="48" height="48" loading="lazy" decoding="async">`;
  const initial = Array.from(author.name.trim() || author.handle)[0]?.toUpperCase() ?? '';
  return html`<span class="avatar avatar-initial" aria-hidden="true">${initial}</span>`;
}

/** Name as a heading (a post of the page) or a paragraph (a quoted post), and the @handle linking to the profile. */
function authorBlock(author: Author, context: PostHtmlContext, level: number | undefined): SafeHtml {
  const profile = resolveUrl(author.profileUrl, context);
  const handle = `@${author.handle}`;
  const name =
    level === undefined
      ? html`<span class="name">${author.name}</span>`
      : html`<h${level} class="name">${author.name}</h${level}>`;
  return html`<div class="author">${avatar(author, context)}<div class="names">${name}${
    author.handle ? (profile ? link(profile.href, handle, 'handle') : html`<span class="handle">${handle}</span>`) : ''
  }</div></div>`;
}

function organisersBlock(post: Post, context: PostHtmlContext, level: number): SafeHtml {
  const name = post.author.name.trim() || context.words.organisers;
  return html`<div class="author"><span class="avatar organisers-icon" aria-hidden="true"><svg viewBox="0 0 24 24" focusable="false"><path d="${MEGAPHONE}"></path></svg></span><div class="names"><h${level} class="name">${name}</h${level}></div></div>`;
}

function text(post: Post, context: PostHtmlContext): SafeHtml | '' {
  if (!post.text) return '';
  const segments = segmentText(post.text, post.entities, context.publicOrigin ?? OWN_ORIGIN).map((segment) => {
    if (segment.kind === 'text') return segment.text;
    const url = resolveUrl(segment.href, context)!;
    return link(url.href, segment.text, segment.kind, segment.kind === 'link' ? segment.title : undefined);
  });
  return html`<p class="text">${segments}</p>`;
}

/** An announcement's markup, sanitised again with the one allow-list; its plain text if it has none. */
function announcementText(post: Post): SafeHtml | '' {
  if (post.html) return html`<div class="text rich">${sanitizedMarkup(sanitizeAnnouncement(post.html).html)}</div>`;
  return post.text ? html`<p class="text">${post.text}</p>` : '';
}

function mediaItem(media: Media, context: PostHtmlContext): SafeHtml {
  const { words } = context;
  const alt = mediaAlt(media, words);
  const src = imageSrc(media.previewUrl, context) ?? imageSrc(media.url, context);
  if (!src) return html`<p class="media-text">${words.imageNotShown(alt)}</p>`;
  const badge =
    media.kind === 'photo'
      ? ''
      : html`<span class="media-badge" aria-hidden="true">${media.kind === 'video' ? words.video : words.gif}</span>`;
  return html`<figure class="media ${media.kind}"><img src="${src}" alt="${alt}"${attr(
    'width',
    media.width > 0 ? media.width : undefined,
  )}${attr('height', media.height > 0 ? media.height : undefined)} loading="lazy" decoding="async">${badge}</figure>`;
}

/** The images; sensitive ones behind a `<details>` cover, which the browser does not even load while closed. */
function mediaList(post: Post, context: PostHtmlContext): SafeHtml | '' {
  if (post.media.length === 0) return '';
  const shown = post.media.slice(0, 4);
  const items = html`<div class="media-list" data-count="${shown.length}">${shown.map((m) => mediaItem(m, context))}</div>`;
  if (!post.sensitive) return items;
  return html`<details class="sensitive"><summary${attr('lang', context.locale)}>${context.words.showSensitive(
    shown.length,
  )}</summary>${items}</details>`;
}

function time(post: Post, context: PostHtmlContext): SafeHtml | '' {
  const ms = Date.parse(post.createdAt);
  if (Number.isNaN(ms)) return '';
  const label = html`<time datetime="${new Date(ms).toISOString()}" title="${formatDateTime(
    ms,
    context.locale,
    context.timeZone,
  )}">${formatShortDateTime(ms, context.locale, context.timeZone)}</time>`;
  const url = resolveUrl(post.url, context);
  return url ? link(url.href, label, 'time') : html`<span class="time">${label}</span>`;
}

function quoted(post: Post, context: PostHtmlContext): SafeHtml {
  return html`<blockquote class="quoted"${attr('lang', postLanguage(post.lang))}><p class="visually-hidden"${attr(
    'lang',
    context.locale,
  )}>${context.words.quotedPost}</p>${authorBlock(post.author, context, undefined)}${text(post, context)}${mediaList(
    post,
    context,
  )}<p class="meta"${attr('lang', context.locale)}>${time(post, context)}</p></blockquote>`;
}

function marks(post: Post, words: PostWords, locale: PageLocale): SafeHtml | '' {
  const pinned = post.pinnedAt !== undefined;
  const announcement = post.source === 'organisers';
  if (!pinned && !announcement) return '';
  return html`<p class="marks"${attr('lang', locale)}>${
    pinned ? html`<span class="mark pinned">${words.pinned}</span>` : ''
  }${announcement ? html`<span class="mark announcement">${words.announcement}</span>` : ''}</p>`;
}

/** One post as an `<article>` with `lang` set to the post's language; the page's own words carry the page's. */
export function renderPostHtml(post: Post, context: PostHtmlContext): SafeHtml {
  const { words, locale } = context;
  const announcement = post.source === 'organisers';
  const permalink = resolveUrl(post.url, context);
  const level = context.headingLevel;
  return html`<article class="post${announcement ? ' organisers' : ''}"${attr('lang', postLanguage(post.lang))}>${marks(
    post,
    words,
    locale,
  )}${
    post.repostedBy
      ? html`<p class="repost"${attr('lang', locale)}><span aria-hidden="true">🔁</span> ${words.repostedBy(
          post.repostedBy.name,
        )}</p>`
      : ''
  }${announcement ? organisersBlock(post, context, level) : authorBlock(post.author, context, level)}${
    announcement ? announcementText(post) : text(post, context)
  }${announcement ? '' : mediaList(post, context)}${post.quoted ? quoted(post.quoted, context) : ''}<p class="meta"${attr(
    'lang',
    locale,
  )}>${time(post, context)}${post.edited ? html` <span class="edited">${words.edited}</span>` : ''}${
    post.source === 'x' && permalink ? html` ${link(permalink.href, words.viewOnX, 'source-link')}` : ''
  }</p></article>`;
}

/**
 * A feed's HTML fragment (`GET /api/feeds/:id.html`): the posts of the snapshot as small,
 * accessible, self-contained HTML that a CMS includes server-side inside the `<commune-feed>` tag,
 * so that search engines, visitors without JavaScript and the first paint see real posts.
 *
 * It is the widget's list as static markup (same classes, same words: `widget/i18n.ts`), styled by
 * `fragmentStylesheet()` from the widget's own stylesheet, so that when the element takes over
 * nothing moves. Every URL of this server is absolute (the fragment is shown on the town's site);
 * every value goes through the `html` tag (`server/html/html.ts`).
 */
import type { Alert, FeedInfo, Post } from '../contract.js';
import { messagesFor } from '../../widget/i18n.js';
import { postLanguage } from '../post-text.js';
import { attr, html, type SafeHtml } from './html.js';
import { renderPostHtml } from './post-html.js';
import { POST_WORDS, type PageLocale } from './words.js';

export interface FeedFragmentInput {
  feed: FeedInfo;
  /** The snapshot's posts, in the wall's order. */
  posts: readonly Post[];
  alert: Alert | null;
  locale: PageLocale;
  /** Posts written at most (the widget's `limit`). */
  limit: number;
  timeZone: string;
  /** This server's origin, on which its own URLs (images, stylesheet) are written. */
  origin: string;
  /** This server's public origin (`PUBLIC_URL`), when known: URLs on it are this server's. */
  publicOrigin?: string | undefined;
  /** Path of the fragment's stylesheet on this server. */
  stylesheetPath: string;
}

function alertBanner(alert: Alert | null, label: string, locale: PageLocale): SafeHtml | '' {
  if (!alert) return '';
  return html`<div class="alert" role="alert"${attr('lang', postLanguage(alert.lang))}><div class="alert-body"><p class="alert-label"${attr(
    'lang',
    locale,
  )}>${label}</p><p class="alert-text">${alert.text}</p></div></div>`;
}

/** The fragment: a `<section>` the widget replaces by its own rendering of the same posts. */
export function renderFeedFragment(input: FeedFragmentInput): SafeHtml {
  const { feed, locale, origin } = input;
  const messages = messagesFor(locale);
  const posts = input.posts.slice(0, input.limit);
  const context = {
    locale,
    words: POST_WORDS[locale],
    timeZone: input.timeZone,
    publicOrigin: input.publicOrigin,
    ownOrigin: origin,
    headingLevel: 3 as const,
  };
  return html`<link rel="stylesheet" href="${origin}${input.stylesheetPath}">
<section class="commune-feed-fragment feed mode-list" lang="${locale}" aria-label="${feed.title || messages.feedLabel}">
${alertBanner(input.alert, messages.urgentAlert, locale)}<div class="header"><h2 class="title">${feed.title}</h2></div>
${
  posts.length > 0
    ? html`<div class="controls" aria-hidden="true"><button class="secondary pause" type="button" disabled tabindex="-1"><svg class="icon" viewBox="0 0 16 16" focusable="false"><path d="M3 2h4v12H3zM9 2h4v12H9z"></path></svg> ${messages.pause}</button></div>
<ol class="posts" role="list">${posts.map((post) => html`<li class="item">${renderPostHtml(post, context)}</li>`)}</ol>`
    : html`<p class="placeholder">${messages.empty}</p>`
}
</section>
`;
}

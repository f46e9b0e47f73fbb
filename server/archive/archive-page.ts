/**
 * The archive page, "Retour sur l'événement": one static, self-contained HTML document per feed
 * and language, readable without JavaScript, for a town to link to after the event. The feed's
 * title and dates, its figures, and the posts the wall showed (announcements included, marked),
 * in the wall's order, each credited to its author. Written with the `html` tag only.
 */
import type { Post } from '../contract.js';
import type { FeedSettings } from '../feeds/settings.js';
import { html, type SafeHtml } from '../html/html.js';
import { renderPostHtml } from '../html/post-html.js';
import { formatDateTime, POST_WORDS, type PageLocale } from '../html/words.js';
import type { FeedStats } from '../moderation/types.js';
import { ARCHIVE_WORDS } from './archive-words.js';
import { renderFigures } from './figures-html.js';

export interface ArchivePageInput {
  feed: FeedSettings;
  /** The posts of the page, in the wall's order. */
  posts: readonly Post[];
  stats: FeedStats;
  locale: PageLocale;
  timeZone: string;
  /** Where the page's stylesheet is served. */
  stylesheetUrl: string;
  publicOrigin?: string | undefined;
  /** An organiser's preview of a feed not archived yet: said on the page; images through the organisers' route. */
  preview?: boolean;
}

/** The organisers' image route, for a preview: it serves the images of every stored post, to organisers only. */
function previewImage(path: string): string {
  return path.startsWith('/media/') ? `/api/admin${path}` : path;
}

function dates(input: ArchivePageInput): SafeHtml | '' {
  const { feed, stats, locale, timeZone } = input;
  const words = ARCHIVE_WORDS[locale];
  const time = (iso: string) =>
    html`<time datetime="${new Date(iso).toISOString()}">${formatDateTime(Date.parse(iso), locale, timeZone)}</time>`;
  if (feed.eventWindow)
    return html`<p class="dates">${words.window(time(feed.eventWindow.start), time(feed.eventWindow.end))}</p>`;
  if (stats.firstPostAt && stats.lastPostAt)
    return html`<p class="dates">${words.postsSpan(time(stats.firstPostAt), time(stats.lastPostAt))}</p>`;
  return '';
}

/** The whole page. */
export function renderArchivePage(input: ArchivePageInput): SafeHtml {
  const { feed, posts, stats, locale, timeZone } = input;
  const words = ARCHIVE_WORDS[locale];
  const other = words.otherLanguage;
  const otherHref = other.locale === 'fr' ? '?' : `?lang=${other.locale}`;
  const postContext = {
    locale,
    words: POST_WORDS[locale],
    timeZone,
    publicOrigin: input.publicOrigin,
    imageUrl: input.preview ? previewImage : undefined,
    headingLevel: 3 as const,
  };
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${words.pageTitle(feed.title)}</title>
${input.preview ? html`<meta name="robots" content="noindex">` : ''}
<link rel="stylesheet" href="${input.stylesheetUrl}">
<link rel="alternate" hreflang="${other.locale}" href="${otherHref}">
</head>
<body>
<a class="skip-link" href="#publications">${words.skipToPosts}</a>
<header class="page-header">
<nav aria-label="${words.languageNav}"><a href="${otherHref}" hreflang="${other.locale}" lang="${other.locale}">${other.label}</a></nav>
<p class="kicker">${words.kicker}</p>
<h1>${feed.title}</h1>
${dates(input)}
${
  feed.hashtags.length > 0
    ? html`<p class="hashtags">${words.hashtags(feed.hashtags.map((tag) => `#${tag}`).join(', '))}</p>`
    : ''
}
${input.preview ? html`<p class="preview-notice" role="note">${words.previewNotice}</p>` : ''}
</header>
<main>
<section class="figures" aria-labelledby="chiffres">
<h2 id="chiffres">${words.figures}</h2>
${renderFigures(stats, { locale, words, timeZone, headingLevel: 3, publicOrigin: input.publicOrigin })}
</section>
<section class="posts" aria-labelledby="publications">
<h2 id="publications" tabindex="-1">${words.posts}</h2>
${
  posts.length === 0
    ? html`<p>${words.noPosts}</p>`
    : html`<p>${words.postsIntro(posts.length, Math.max(posts.length, stats.posts.shown + stats.announcements))}</p>
<ol class="post-list">${posts.map((post) => html`<li>${renderPostHtml(post, postContext)}</li>`)}</ol>`
}
</section>
</main>
<footer class="page-footer">
<p>${words.footerDeleted}</p>
<p>${words.footerCredits}</p>
<p>${words.footerFigures}</p>
</footer>
</body>
</html>
`;
}

/**
 * The figures of an archive page, as static HTML: key figures as a list, posts per hour as a
 * column chart with its text equivalent (a sentence, and the table in a `<details>`), top hashtags
 * and accounts as tables with bars. Bars are SVG shapes sized by attributes (no inline style: the
 * page's CSP allows none), hidden from screen readers, which read the numbers in the tables.
 */
import { ANNOUNCEMENT_LINK_REL } from '../announcement-policy.js';
import type { FeedStats } from '../moderation/types.js';
import { html, type SafeHtml } from '../html/html.js';
import { pageUrl } from '../html/post-html.js';
import { formatHour, formatNumber, formatPercent, type PageLocale } from '../html/words.js';
import type { ArchiveWords } from './archive-words.js';

export interface FiguresContext {
  locale: PageLocale;
  words: ArchiveWords;
  timeZone: string;
  /** The heading level of each block (the section's heading is one above). */
  headingLevel: 3 | 4;
  /** The origin visitors reach this server at (`PUBLIC_URL`), when known. */
  publicOrigin?: string | undefined;
}

/** A bar from 0 to 100 % of its cell, decorative. */
function bar(value: number, max: number): SafeHtml {
  const width = max > 0 ? Math.max(1, Math.round((value / max) * 1000) / 10) : 0;
  return html`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="${width}" height="10"></rect></svg>`;
}

function keyFigures(stats: FeedStats, context: FiguresContext): SafeHtml {
  const { words, locale } = context;
  const n = (x: number) => formatNumber(x, locale);
  const p = (x: number) => formatPercent(x, locale);
  const { moderation, shares } = stats;
  return html`<ul class="key-figures">
<li>${words.postsShown(stats.posts.shown)}</li>
${stats.announcements > 0 ? html`<li>${words.announcements(stats.announcements)}</li>` : ''}
<li>${words.heldOrHidden(p(stats.heldOrHiddenShare))} (${words.heldOrHiddenDetail({
    organisers: `${n(moderation.hiddenByOrganisers)} (${p(shares.hiddenByOrganisers)})`,
    rules: `${n(moderation.hiddenByRules)} (${p(shares.hiddenByRules)})`,
    held: `${n(moderation.held)} (${p(shares.held)})`,
  })})</li>
</ul>
${
  stats.networks.length > 0
    ? html`<h${context.headingLevel}>${words.perNetwork}</h${context.headingLevel}>
<ul class="networks">${stats.networks.map(
        (network) =>
          html`<li>${words.networkLine(words.networkNames[network.network] ?? network.network, network.total, network.shown)}</li>`,
      )}</ul>`
    : ''
}`;
}

function perHour(stats: FeedStats, context: FiguresContext): SafeHtml {
  const { words, locale, timeZone } = context;
  const level = context.headingLevel;
  const hours = stats.postsPerHour;
  const heading = html`<h${level}>${words.perHour}</h${level}>`;
  if (!stats.range || hours.length === 0) return heading;
  const max = Math.max(0, ...hours.map((h) => h.count));
  const hourLabel = (iso: string) => formatHour(Date.parse(iso), locale, timeZone);
  const summary = stats.peakHour
    ? words.perHourSummary(hourLabel(stats.peakHour.hour), stats.peakHour.count)
    : words.perHourNone;
  const columns = hours.map((h, i) => {
    const height = max > 0 ? Math.round((h.count / max) * 1000) / 10 : 0;
    return html`<rect x="${i * 10 + 1}" y="${100 - height}" width="8" height="${height}"></rect>`;
  });
  const busy = hours.filter((h) => h.count > 0);
  return html`${heading}
<p>${words.perHourBasis[stats.range.basis]} ${summary}${
    stats.outsideRange > 0 ? html` ${words.outsideRange(stats.outsideRange)}` : ''
  }</p>
<svg class="hours" viewBox="0 0 ${hours.length * 10} 100" preserveAspectRatio="none" aria-hidden="true" focusable="false">${columns}</svg>
${
  busy.length > 0
    ? html`<details class="hours-table"><summary>${words.perHourDetails}</summary>
<table><thead><tr><th scope="col">${words.hour}</th><th scope="col">${words.postsColumn}</th></tr></thead>
<tbody>${busy.map(
        (h) =>
          html`<tr><th scope="row"><time datetime="${h.hour}">${hourLabel(h.hour)}</time></th><td>${formatNumber(h.count, locale)}</td></tr>`,
      )}</tbody></table></details>`
    : ''
}`;
}

/** A ranked table: a name, its count, and a bar. */
function rankedTable(
  heading: string,
  nameColumn: string,
  rows: { name: SafeHtml | string; count: number }[],
  context: FiguresContext,
): SafeHtml | '' {
  if (rows.length === 0) return '';
  const level = context.headingLevel;
  const max = Math.max(...rows.map((r) => r.count));
  return html`<h${level}>${heading}</h${level}>
<table class="ranked"><thead><tr><th scope="col">${nameColumn}</th><th scope="col">${context.words.postsColumn}</th></tr></thead>
<tbody>${rows.map(
    (row) =>
      html`<tr><th scope="row">${row.name}</th><td class="count"><span>${formatNumber(row.count, context.locale)}</span>${bar(row.count, max)}</td></tr>`,
  )}</tbody></table>`;
}

/** The figures section's content (its heading is the page's). */
export function renderFigures(stats: FeedStats, context: FiguresContext): SafeHtml {
  const { words } = context;
  if (stats.posts.total === 0 && stats.announcements === 0) return html`<p>${words.noFigures}</p>`;
  const accounts = stats.topAccounts.map((account) => {
    const profile = pageUrl(account.profileUrl, context.publicOrigin);
    const handle = `@${account.handle}`;
    return {
      name: profile
        ? html`<a href="${profile.href}" rel="${ANNOUNCEMENT_LINK_REL}">${handle}</a> <span class="muted">${account.name}</span>`
        : html`${handle} <span class="muted">${account.name}</span>`,
      count: account.count,
    };
  });
  return html`${keyFigures(stats, context)}
${perHour(stats, context)}
${rankedTable(
  words.topHashtags,
  words.hashtagColumn,
  stats.topHashtags.map((t) => ({ name: `#${t.tag}`, count: t.count })),
  context,
)}
${rankedTable(words.topAccounts, words.accountColumn, accounts, context)}`;
}

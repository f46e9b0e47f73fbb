/**
 * What a <commune-feed> draws once it has taken over from the page's content:
 * the alert, the header, the controls, the notices, and the posts in the
 * layout chosen (list, ticker or wall), or what stands for them while they
 * are on their way or when there is none.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Alert } from '../server/contract.js';
import { renderAlertBanner } from './alert-banner.js';
import { renderClock } from './clock.js';
import { renderControls } from './controls-view.js';
import type { ConnectionState } from './feed-connection.js';
import type { FeedModel } from './feed-model.js';
import type { FeedMode } from './feed-settings.js';
import { formatClockTime } from './i18n.js';
import type { Locale, Messages } from './i18n.js';
import { renderList } from './list-view.js';
import type { PostViewContext } from './post-view.js';
import type { Sanitize } from './sanitizer-loader.js';
import { renderTicker } from './ticker-view.js';
import type { TickerController } from './ticker-view.js';
import type { WallController } from './wall-loader.js';

/** What the view needs from the element. */
export interface FeedView {
  /** The feed to show, if any. */
  feed: string;
  mode: FeedMode;
  model: FeedModel;
  locale: Locale;
  timeZone: string | undefined;
  messages: Messages;
  /** The current time, in milliseconds: the wall's clock, and relative times. */
  now: number;
  /** The feed server's address: relative URLs in posts are relative to it. */
  baseUrl: string | undefined;
  sanitize: Sanitize | undefined;
  alert: Alert | undefined;
  paused: boolean;
  state: ConnectionState;
  /** What the polite live region says (new posts). */
  liveMessage: string;
  ticker: TickerController;
  wall: WallController;
  ctaUrl: string;
  onTogglePause: () => void;
  onShowWaiting: () => void;
  /** Renders again: the visitor revealed media or opened a content warning. */
  requestUpdate: () => void;
}

/** While the posts, or the code of the mode, are on their way; `failed` when they could not come. */
function renderLoading(messages: Messages, failed: boolean): TemplateResult {
  return html`<p part="loading" class="placeholder" aria-busy="true">
    ${failed ? messages.loadError : messages.loading}
  </p>`;
}

/**
 * Whether the page's own content inside the tag (the server's HTML fragment, or a link: children that go
 * in no named slot) stays exactly where it is: until the first snapshot of the first feed. The fragment
 * is the list drawn the same way: no loading state flashes, nothing moves.
 */
export function keepsPageContent(host: Element, model: Pick<FeedModel, 'loaded' | 'tookOver'>): boolean {
  return !model.loaded && !model.tookOver && host.querySelector(':scope > :not([slot])') !== null;
}

/** The element's whole shadow content, once the page's own content has given way. */
export function renderFeed(view: FeedView): TemplateResult {
  const { mode, model, locale, timeZone, messages } = view;
  const title = model.info?.title;
  const notice = noticeText(view.state, model, messages, locale, timeZone);
  return html`<section part="base" class="feed mode-${mode}" lang=${locale} aria-label=${title || messages.feedLabel}>
    ${renderAlertBanner(view.alert, messages, locale)}
    <slot name="header">
      ${
        title || mode === 'wall'
          ? html`<div part="header" class="header">
            ${title ? html`<h2 part="title" class="title">${title}</h2>` : nothing}
            ${mode === 'wall' ? renderClock(view.now, locale, timeZone) : nothing}
          </div>`
          : nothing
      }
    </slot>
    ${
      model.loaded && model.held.live.length > 0
        ? renderControls({
            messages,
            paused: view.paused,
            waiting: mode === 'list' ? model.held.waiting() : 0,
            onTogglePause: view.onTogglePause,
            onShowWaiting: view.onShowWaiting,
          })
        : nothing
    }
    <p part="notice" class="notice" role="status">${notice}</p>
    <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${view.liveMessage}</div>
    ${view.feed ? renderBody(view) : nothing}
  </section>`;
}

/** The posts in the layout of `mode`. */
function renderBody(view: FeedView): TemplateResult {
  const { mode, model, messages, ticker, wall, requestUpdate } = view;
  if (!model.loaded) return renderLoading(messages, model.failed);
  const { held } = model;
  const posts = held.visible();
  if (posts.length === 0) {
    return html`<slot name="empty"
      ><p part="empty" class="placeholder">${messages.empty}</p></slot
    >`;
  }
  const context: PostViewContext = {
    locale: view.locale,
    messages,
    now: view.now,
    timeZone: view.timeZone,
    baseUrl: view.baseUrl,
    isRevealed: (id) => held.isRevealed(id),
    onReveal: (id) => {
      held.reveal(id);
      requestUpdate();
    },
    sanitize: view.sanitize,
  };
  // Only the list opens content warnings: the ticker moves and nobody clicks a wall.
  if (mode === 'list') {
    context.isOpen = (id) => held.isOpen(id);
    context.onToggle = (id) => {
      held.toggleOpen(id);
      requestUpdate();
    };
  }
  if (mode === 'ticker') {
    return renderTicker({
      ...context,
      posts,
      manual: ticker.manual,
      index: ticker.index(posts),
      onPrevious: () => ticker.step(posts, -1),
      onNext: () => ticker.step(posts, 1),
    });
  }
  if (mode === 'wall') {
    const shown = wall.render({ ...context, posts, hashtags: model.info?.hashtags ?? [], ctaUrl: view.ctaUrl });
    return shown ?? renderLoading(messages, wall.failed);
  }
  return renderList(posts, context);
}

/** The status notice: offline, reconnecting, stale since a time, or polling; empty when all is well. */
function noticeText(
  state: ConnectionState,
  model: Pick<FeedModel, 'loaded' | 'stale' | 'updatedAt'>,
  messages: Messages,
  locale: Locale,
  timeZone: string | undefined,
): string {
  if (state === 'offline') return messages.offline;
  if (state === 'reconnecting' && model.loaded) return messages.reconnecting;
  if (model.stale && model.updatedAt) {
    return messages.staleSince(formatClockTime(new Date(model.updatedAt), locale, timeZone));
  }
  if (state === 'polling') return messages.polling;
  return '';
}

/**
 * The ticker: a horizontal band of posts scrolling with a CSS transform
 * animation, or, when the visitor prefers reduced motion, one post at a time
 * with previous/next buttons.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Post } from '../server/contract.js';
import { postLanguage, renderText, renderTime } from './post-view.js';
import type { PostViewContext } from './post-view.js';

export interface TickerViewContext extends PostViewContext {
  posts: readonly Post[];
  /** One post at a time, moved by hand (reduced motion). */
  manual: boolean;
  /** Position of the post shown in manual mode. */
  index: number;
  onPrevious: () => void;
  onNext: () => void;
}

function renderItem(post: Post, context: PostViewContext): TemplateResult {
  return html`<li class="ticker-item">
    <article
      part="post ticker-post"
      class="ticker-post"
      lang=${postLanguage(post.lang) ?? nothing}
      data-post-id=${post.id}
    >
      <span part="author-name" class="name">${post.author.name}</span>
      ${renderText(post, context.baseUrl)}
      <span class="meta" lang=${context.locale}>${renderTime(post, context)}</span>
    </article>
  </li>`;
}

function renderManual(context: TickerViewContext): TemplateResult {
  const { posts, messages } = context;
  const index = Math.min(Math.max(0, context.index), posts.length - 1);
  const post = posts[index];
  return html`<div part="ticker" class="ticker ticker-manual">
    <button
      part="button previous"
      class="secondary"
      type="button"
      @click=${context.onPrevious}
      ?disabled=${posts.length < 2}
    >
      <span aria-hidden="true">‹</span><span class="visually-hidden">${messages.previous}</span>
    </button>
    <ul class="ticker-list" role="list">
      ${post ? renderItem(post, context) : nothing}
    </ul>
    <span class="ticker-position">${messages.position(index + 1, posts.length)}</span>
    <button
      part="button next"
      class="secondary"
      type="button"
      @click=${context.onNext}
      ?disabled=${posts.length < 2}
    >
      <span aria-hidden="true">›</span><span class="visually-hidden">${messages.next}</span>
    </button>
  </div>`;
}

/**
 * The scrolling band. The list is drawn twice so the loop has no seam; the
 * copy is hidden from assistive technology and inert, so it takes no focus.
 */
export function renderTicker(context: TickerViewContext): TemplateResult {
  if (context.manual) return renderManual(context);
  const items = repeat(
    context.posts,
    (post) => post.id,
    (post) => renderItem(post, context),
  );
  const copy = repeat(
    context.posts,
    (post) => post.id,
    (post) => renderItem(post, context),
  );
  return html`<div part="ticker" class="ticker">
    <div class="ticker-track">
      <ul class="ticker-list" role="list">
        ${items}
      </ul>
      <ul class="ticker-list" aria-hidden="true" inert>
        ${copy}
      </ul>
    </div>
  </div>`;
}

/**
 * The wall, for a big screen: the newest post large, a rotating page of the
 * posts before it, and a call to action with a QR code. The DOM holds at most
 * 1 + `pageSize` posts whatever the feed's size, so it can run for days.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Post } from '../server/contract.js';
import { renderPost } from './post-view.js';
import type { PostViewContext } from './post-view.js';
import { renderQrCode } from './qr-code.js';

/** Posts shown beside the newest one. */
export const WALL_PAGE_SIZE = 3;

export interface WallViewContext extends PostViewContext {
  posts: readonly Post[];
  /** Which page of older posts is shown. */
  page: number;
  /** "Publiez avec #fete" target: the QR code's URL, and the hashtag shown. */
  cta: { url: string; hashtag: string } | undefined;
}

/** How many pages of older posts there are. */
export function wallPageCount(postCount: number): number {
  return Math.max(1, Math.ceil(Math.max(0, postCount - 1) / WALL_PAGE_SIZE));
}

export function renderWall(context: WallViewContext): TemplateResult {
  const { posts, messages } = context;
  const [newest, ...older] = posts;
  const page = context.page % wallPageCount(posts.length);
  const shown = older.slice(page * WALL_PAGE_SIZE, (page + 1) * WALL_PAGE_SIZE);
  return html`<div part="wall" class="wall">
    <div class="wall-featured" part="featured">
      <p class="wall-label">${messages.latestPost}</p>
      ${
        newest
          ? repeat(
              [newest],
              (post) => post.id,
              (post) => renderPost(post, context),
            )
          : nothing
      }
    </div>
    <ol part="posts" class="wall-others" role="list">
      ${repeat(
        shown,
        (post) => post.id,
        (post) => html`<li>${renderPost(post, context)}</li>`,
      )}
    </ol>
    ${
      context.cta
        ? html`<aside part="cta" class="wall-cta">
          <p class="cta-text">${messages.publishWith(context.cta.hashtag)}</p>
          ${renderQrCode(context.cta.url, messages.qrLabel(context.cta.hashtag))}
        </aside>`
        : nothing
    }
  </div>`;
}

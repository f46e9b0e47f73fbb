/**
 * The list: a column of posts in wall order (pinned first, then newest
 * first). Posts that arrived since the reader last looked are not in it: they
 * wait behind the "N nouvelles publications" button (see `controls-view.ts`).
 */
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { repeat } from './repeat.js';
import type { Post } from '../server/contract.js';
import { renderPost } from './post-view.js';
import type { PostViewContext } from './post-view.js';

/** Keyed by post id: a new post adds one item and moves no other node. */
export function renderList(posts: readonly Post[], context: PostViewContext): TemplateResult {
  return html`<ol part="posts" class="posts" role="list">
    ${repeat(
      posts,
      (post) => post.id,
      (post) => html`<li class="item">${renderPost(post, context)}</li>`,
    )}
  </ol>`;
}

/**
 * A post's images and video previews, with the author's alt text, and the
 * cover over sensitive media until the visitor asks to see them.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Media, Post } from '../server/contract.js';
import { mediaAlt } from '../server/post-text.js';
import { safeUrl } from './post-text.js';
import type { PostViewContext } from './post-view.js';

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

export function renderMedia(post: Post, context: PostViewContext): TemplateResult | typeof nothing {
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

/**
 * A post's text as a Lit template: entities become links only with an http(s)
 * URL (the rules of `server/post-text.ts`, shared with the server's HTML
 * pages), relative URLs resolve against the feed server, and everything else
 * stays inert text bound through Lit.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { ANNOUNCEMENT_LINK_REL } from '../server/announcement-policy.js';
import type { Post } from '../server/contract.js';
import { segmentText } from '../server/post-text.js';

export { postLanguage, safeUrl, segmentText, type TextSegment } from '../server/post-text.js';

/** On every link to content of others: posts' links as announcements' links. */
export const LINK_REL = ANNOUNCEMENT_LINK_REL;

/** The post text, hashtags, mentions and links as `<a>` elements. */
export function renderText(post: Post, base?: string): TemplateResult | typeof nothing {
  if (!post.text) return nothing;
  return html`<p part="text" class="text">${segmentText(post.text, post.entities, base).map((segment) =>
    segment.kind === 'text'
      ? segment.text
      : html`<a
            part="entity ${segment.kind}"
            class=${segment.kind}
            href=${segment.href}
            title=${segment.kind === 'link' && segment.title ? segment.title : nothing}
            rel=${LINK_REL}
            >${segment.text}</a
          >`,
  )}</p>`;
}

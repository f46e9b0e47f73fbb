/**
 * Where a post was published: a small icon drawn inline (no request leaves
 * the page), named "Publié sur Mastodon" for assistive technology, and the
 * "Voir sur Mastodon" link to the original. Demo posts and announcements
 * belong to no network and show neither.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Post } from '../server/contract.js';
import { LINK_REL, safeUrl } from './post-text.js';
import type { PostViewContext } from './post-view.js';

/** Each network's name and a line drawing of its mark (16 × 16, stroked in the text colour). */
const NETWORKS: Partial<Record<Post['source'], readonly [string, string]>> = {
  x: ['X', 'M3 3h3l7 10h-3zm10 0L9 8m-6 5 4-5'],
  mastodon: [
    'Mastodon',
    'M13 9V5a3 3 0 00-3-3H6a3 3 0 00-3 3v5c0 2 2 3 4 3h3M6 10V7a1.5 1.5 0 013 0v2V7a1.5 1.5 0 013 0v3',
  ],
  bluesky: ['Bluesky', 'M8 7C7 5 4 3 2 3c0 3 1 5 4 5-3 1-2 5 0 4s2-2 2-4c0 2 0 4 2 4s3-3 0-4c3 0 4-2 4-5-2 0-5 2-6 4z'],
};

/** The network's icon, named for screen readers; nothing for demo posts and announcements. */
export function renderNetwork(post: Post, context: PostViewContext): TemplateResult | typeof nothing {
  const network = NETWORKS[post.source];
  return network
    ? html`<svg part="network" class="network" viewBox="0 0 16 16" role="img" aria-label=${context.messages.postedOn(
        network[0],
      )}><path d=${network[1]}></path></svg>`
    : nothing;
}

/** "Voir sur X", "Voir sur Mastodon", "Voir sur Bluesky": the link to the original post. */
export function renderSourceLink(post: Post, context: PostViewContext): TemplateResult | typeof nothing {
  const network = NETWORKS[post.source];
  const url = safeUrl(post.url, context.baseUrl);
  return network && url
    ? html`<a part="source-link" class="source-link" href=${url} rel=${LINK_REL}>${context.messages.viewOn(network[0])}</a>`
    : nothing;
}

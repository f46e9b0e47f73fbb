/**
 * The cover over a post its author put behind a content warning (Mastodon's
 * `spoiler_text`): the warning stays visible; the text and media are not in
 * the page at all until the visitor opens the post with a button
 * (`aria-expanded`), which covers it again. Where nobody can click (the
 * wall, the ticker), the context gives no toggle: the warning is shown, the
 * covered content never. Sensitive media keep their own cover once opened.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Post } from '../server/contract.js';
import type { PostViewContext } from './post-view.js';

type Content = TemplateResult | typeof nothing;

/** `content()` as is without a warning; behind the warning otherwise, shown only once opened. */
export function renderCovered(post: Post, context: PostViewContext, content: () => Content): Content {
  const warning = post.contentWarning;
  if (!warning) return content();
  const { messages, locale, onToggle } = context;
  const open = !!context.isOpen?.(post.id);
  // One line each: the templates reach the bundle as written.
  return html`<div part="content-warning"><strong lang=${locale}>${messages.contentWarning}</strong> ${warning} ${
    onToggle
      ? html`<button part="button open-warning" class="secondary" type="button" lang=${locale} aria-expanded=${open}
@click=${() => onToggle(post.id)}>${open ? messages.hidePost : messages.showPost}</button>`
      : nothing
  }</div>${open ? content() : nothing}`;
}

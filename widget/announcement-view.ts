/**
 * The organisers' announcements: their author (the organisers, with an icon
 * instead of an avatar) and their text, formatted through the sanitizer once
 * it is loaded, plain until then.
 */
import { html, noChange, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { Directive, directive } from 'lit/directive.js';
import type { ChildPart, DirectiveResult } from 'lit/directive.js';
import type { Author, Post } from '../server/contract.js';
import type { Messages } from './i18n.js';
import type { Sanitize } from './sanitizer-loader.js';

/** True for a post the organisers wrote. */
export function isAnnouncement(post: Post): boolean {
  return post.source === 'organisers';
}

/** True when the post needs the sanitizer. */
export function hasMarkup(post: Post): boolean {
  return isAnnouncement(post) && Boolean(post.html);
}

/**
 * Sanitizes only when the markup or the sanitizer changed: the clock's
 * re-renders keep the nodes (and a link's focus) where they are. One
 * instance per place, so the ticker's copy gets nodes of its own.
 */
class SanitizedDirective extends Directive {
  private markup: string | undefined;
  private sanitize: Sanitize | undefined;

  render(markup: string, sanitize: Sanitize, inline: boolean): DocumentFragment {
    const fragment = sanitize(markup);
    // On one line (the ticker), a line break becomes a separator.
    if (inline) for (const br of fragment.querySelectorAll('br')) br.replaceWith(' · ');
    return fragment;
  }

  override update(
    _part: ChildPart,
    [markup, sanitize, inline]: [string, Sanitize, boolean],
  ): DocumentFragment | typeof noChange {
    if (markup === this.markup && sanitize === this.sanitize) return noChange;
    this.markup = markup;
    this.sanitize = sanitize;
    return this.render(markup, sanitize, inline);
  }
}

const sanitized = directive(SanitizedDirective) as (
  markup: string,
  sanitize: Sanitize,
  inline: boolean,
) => DirectiveResult;

/** The megaphone that stands in for an avatar. */
const MEGAPHONE = 'M3 9h3l8-5v16l-8-5H3zM16 9a3 3 0 010 6zM6 15l2 6h3l-2-6z';

/** The name shown for the organisers: the feed's organiser name, or "Organisateurs". */
export function organisersName(author: Author, messages: Messages): string {
  return author.name.trim() || messages.organisers;
}

/** The organisers as author: an icon and their name, no handle, no link. */
export function renderOrganisers(author: Author, messages: Messages): TemplateResult {
  return html`<div part="author" class="author">
    <span part="avatar" class="avatar organisers-icon" aria-hidden="true"
      ><svg viewBox="0 0 24 24" focusable="false"><path d=${MEGAPHONE}></path></svg
    ></span>
    <span class="names"><span part="author-name" class="name">${organisersName(author, messages)}</span></span>
  </div>`;
}

/**
 * The announcement's text: its sanitized markup, or its plain text until the
 * sanitizer is there. `inline` flattens it to one line (the ticker).
 */
export function renderAnnouncementText(
  post: Post,
  sanitize: Sanitize | undefined,
  inline = false,
): TemplateResult | typeof nothing {
  if (sanitize && post.html) {
    return html`<div part="text" class="text rich">${sanitized(post.html, sanitize, inline)}</div>`;
  }
  return post.text ? html`<div part="text" class="text">${post.text}</div>` : nothing;
}

/**
 * What an organisers' announcement may contain: the one allow-list that the
 * server (before it stores an announcement) and the widget (before it renders
 * one) both hand to DOMPurify, and the bounds on its size.
 *
 * Pure constants, no imports: the widget's sanitizer chunk bundles this file.
 */

/** Formatting an announcement may use (bold, italic, links, line breaks, lists); everything else is removed. */
export const ANNOUNCEMENT_TAGS: readonly string[] = [
  'p',
  'br',
  'strong',
  'em',
  'b',
  'i',
  'ul',
  'ol',
  'li',
  'a',
  'span',
];

/** Attributes kept on those tags. */
export const ANNOUNCEMENT_ATTRIBUTES: readonly string[] = ['href', 'lang', 'title'];

/** Attributes whose values are not URLs (DOMPurify checks the others against the scheme pattern). */
export const ANNOUNCEMENT_TEXT_ATTRIBUTES: readonly string[] = ['lang'];

/** Links may only go to the web, to an e-mail address or to a phone number. */
export const ANNOUNCEMENT_URL_PATTERN = /^(?:https?:|mailto:|tel:)/i;

/** Added to every link of an announcement. */
export const ANNOUNCEMENT_LINK_REL = 'noopener noreferrer nofollow ugc';

/** Longest announcement markup accepted, in characters. */
export const ANNOUNCEMENT_MAX_HTML_LENGTH = 5_000;

/** Longest plain-text form of an announcement, in characters. */
export const ANNOUNCEMENT_MAX_TEXT_LENGTH = 1_000;

/**
 * The DOMPurify settings both sides use. Spread it into the call and add
 * what the side needs (`RETURN_DOM_FRAGMENT`, a Trusted Types policy), and
 * add {@link ANNOUNCEMENT_LINK_REL} to links in an `afterSanitizeAttributes` hook.
 */
export const ANNOUNCEMENT_PURIFY_CONFIG = {
  ALLOWED_TAGS: [...ANNOUNCEMENT_TAGS],
  ALLOWED_ATTR: [...ANNOUNCEMENT_ATTRIBUTES],
  ADD_URI_SAFE_ATTR: [...ANNOUNCEMENT_TEXT_ATTRIBUTES],
  ALLOWED_URI_REGEXP: ANNOUNCEMENT_URL_PATTERN,
  // No data-* nor aria-* (DOMPurify keeps both by default), no id or name:
  // nothing in an announcement can clobber a property of the page.
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
};

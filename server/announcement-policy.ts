/**
 * The allow-list of announcement markup, shared by the server (which sanitises before storing)
 * and the widget (which sanitises again before rendering). Pure constants: both sides import them.
 */

/** Elements an announcement may contain. */
export const ANNOUNCEMENT_TAGS = ['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'a', 'span'] as const;

/** Attributes an announcement may carry. */
export const ANNOUNCEMENT_ATTRIBUTES = ['href', 'lang', 'title'] as const;

/** URL schemes a link may use. */
export const ANNOUNCEMENT_URL_SCHEMES = ['https', 'http', 'mailto', 'tel'] as const;

/** Links of announcements: only these schemes, nothing relative. */
export const ANNOUNCEMENT_URL_PATTERN = new RegExp(`^(?:${ANNOUNCEMENT_URL_SCHEMES.join('|')}):`, 'i');

/** `rel` of every link of an announcement. */
export const ANNOUNCEMENT_LINK_REL = 'noopener noreferrer nofollow ugc';

/** Largest announcement markup accepted, in characters. */
export const ANNOUNCEMENT_MAX_HTML = 5_000;

/** Largest announcement text (its plain-text form), in characters. */
export const ANNOUNCEMENT_MAX_TEXT = 1_000;

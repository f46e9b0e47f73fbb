/**
 * HTML from organisers (announcements) goes through DOMPurify with a strict
 * allow-list and comes back as a DocumentFragment, which Lit inserts as a
 * node: no markup string ever reaches innerHTML, so this path works under
 * `require-trusted-types-for 'script'` (DOMPurify parses through its own
 * "dompurify" policy).
 */
import createDOMPurify from 'dompurify';
import type { DOMPurify } from 'dompurify';
import type { TrustedTypePolicy } from 'trusted-types/lib/index.js';
import { html } from 'lit';
import type { TemplateResult } from 'lit';

/** Formatting an announcement may use; everything else is removed. */
export const ANNOUNCEMENT_TAGS = ['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'a', 'span'];
/** Attributes kept on those tags. */
export const ANNOUNCEMENT_ATTRIBUTES = ['href', 'lang', 'title'];

/** Name of the Trusted Types policy DOMPurify parses through (list it in `trusted-types`). */
export const TRUSTED_TYPES_POLICY_NAME = 'commune-feed';

let purifier: DOMPurify | undefined;
let policy: TrustedTypePolicy | undefined;

interface TrustedTypesFactory {
  createPolicy(
    name: string,
    rules: { createHTML: (input: string) => string; createScriptURL: (input: string) => string },
  ): TrustedTypePolicy;
}

function getPurifier(): DOMPurify {
  if (purifier) return purifier;
  // Our own instance: the hook below must not change a page's DOMPurify.
  const instance = createDOMPurify(window);
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') node.setAttribute('rel', 'noopener noreferrer nofollow ugc');
  });
  // A policy of our own name, used only inside DOMPurify and never exported:
  // the page's CSP may then allow "commune-feed" without allowing "dompurify"
  // to anyone. Where it cannot be created, DOMPurify makes its own.
  const factory = (window as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  try {
    policy = factory?.createPolicy(TRUSTED_TYPES_POLICY_NAME, {
      createHTML: (input) => input,
      createScriptURL: (input) => input,
    });
  } catch {
    policy = undefined;
  }
  purifier = instance;
  return instance;
}

/**
 * Cleans organiser HTML: only the tags and attributes above, links only to
 * https:, http:, mailto: and tel:. Returns a fragment, never a string.
 */
export function sanitizeAnnouncementHtml(dirty: string): DocumentFragment {
  return getPurifier().sanitize(dirty, {
    ALLOWED_TAGS: ANNOUNCEMENT_TAGS,
    ALLOWED_ATTR: ANNOUNCEMENT_ATTRIBUTES,
    // Values of other attributes are checked as URLs; `lang` is not one.
    ADD_URI_SAFE_ATTR: ['lang'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:)/i,
    ALLOW_DATA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
    ...(policy ? { TRUSTED_TYPES_POLICY: policy } : {}),
  });
}

/** An announcement rendered from organiser HTML, through the sanitizer. */
export function renderAnnouncement(dirty: string): TemplateResult {
  return html`<div part="announcement" class="announcement">${sanitizeAnnouncementHtml(dirty)}</div>`;
}

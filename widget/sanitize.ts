/**
 * The sanitizer chunk: HTML from organisers (announcements) goes through
 * DOMPurify with the allow-list of `server/announcement-policy.ts` and comes
 * back as a DocumentFragment, which Lit inserts as nodes: no markup string
 * ever reaches innerHTML, so this path works under
 * `require-trusted-types-for 'script'`.
 *
 * The build puts this module, with DOMPurify, in its own file, loaded by
 * `sanitizer-loader.ts` only when the first announcement with markup arrives.
 * It imports nothing from the main bundle.
 */
import createDOMPurify from 'dompurify';
import type { DOMPurify } from 'dompurify';
import type { TrustedTypePolicy } from 'trusted-types/lib/index.js';
import { ANNOUNCEMENT_LINK_REL, ANNOUNCEMENT_PURIFY_CONFIG } from '../server/announcement-policy.js';

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
    if (node.nodeName === 'A') node.setAttribute('rel', ANNOUNCEMENT_LINK_REL);
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
 * Cleans organiser HTML: only the allowed tags and attributes, links only to
 * https:, http:, mailto: and tel:. Returns a fragment, never a string.
 */
export function sanitizeAnnouncementHtml(dirty: string): DocumentFragment {
  return getPurifier().sanitize(dirty, {
    ...ANNOUNCEMENT_PURIFY_CONFIG,
    RETURN_DOM_FRAGMENT: true,
    ...(policy ? { TRUSTED_TYPES_POLICY: policy } : {}),
  });
}

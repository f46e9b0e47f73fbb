/**
 * Announcement markup, sanitised on the server before it is stored: DOMPurify on a jsdom window,
 * with the allow-list of `announcement-policy.ts` (the widget sanitises again with the same list).
 * Links get `rel="noopener noreferrer nofollow ugc"`. The plain-text form is derived from the
 * sanitised markup: block elements and `<br>` become line breaks.
 *
 * jsdom is loaded on the first announcement, not at start: most servers never pay for it.
 */
import { createRequire } from 'node:module';
import type { DOMPurify as Purifier } from 'dompurify';
import { ANNOUNCEMENT_LINK_REL, ANNOUNCEMENT_PURIFY_CONFIG } from '../announcement-policy.js';

const require = createRequire(import.meta.url);

/** Elements whose content stands on its own lines in the plain-text form. */
const BLOCKS = new Set(['P', 'UL', 'OL', 'LI']);

interface Sanitizer {
  purify: Purifier;
  document: Document;
}

let sanitizer: Sanitizer | undefined;

function load(): Sanitizer {
  if (sanitizer) return sanitizer;
  const { JSDOM } = require('jsdom') as typeof import('jsdom');
  const createDOMPurify = require('dompurify') as (window: unknown) => Purifier;
  const window = new JSDOM('').window;
  const purify = createDOMPurify(window);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') node.setAttribute('rel', ANNOUNCEMENT_LINK_REL);
    else node.removeAttribute('href');
  });
  sanitizer = { purify, document: window.document };
  return sanitizer;
}

/** The plain-text form of sanitised markup: whitespace collapsed as a browser does, blocks on their own lines. */
function textOf(root: Node): string {
  let out = '';
  const walk = (node: Node) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) out += (child.nodeValue ?? '').replace(/\s+/g, ' ');
      else if (child.nodeName === 'BR') out += '\n';
      else if (BLOCKS.has(child.nodeName)) {
        out += '\n';
        walk(child);
        out += '\n';
      } else walk(child);
    }
  };
  walk(root);
  return out
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Sanitises announcement markup; returns the markup to store (or to write in a page) and its
 * plain-text form. The nodes DOMPurify keeps are serialised, as the widget inserts them: an element
 * DOMPurify drops as a whole in a fragment (a customized built-in, `is="…"`) is dropped here too,
 * where its string form would keep it with an empty `is`.
 */
export function sanitizeAnnouncement(html: string): { html: string; text: string } {
  const { purify, document } = load();
  const fragment = purify.sanitize(html, { ...ANNOUNCEMENT_PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
  const container = document.createElement('div');
  container.append(fragment);
  return { html: container.innerHTML, text: textOf(container) };
}

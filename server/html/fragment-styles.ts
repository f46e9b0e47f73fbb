/**
 * The HTML fragment's stylesheet: the widget's own stylesheet, scoped to `commune-feed` in the
 * town's page (`@scope`), so that the fragment inside the tag looks like the list the widget draws
 * and the element takes over without anything moving. `:host` becomes the `commune-feed` element.
 * Served under a name that changes with its content, cached for good.
 */
import { createHash } from 'node:crypto';
import { styles } from '../../widget/commune-feed.styles.js';

/** `:host(<selector>)` → `:scope:is(<selector>)`, `:host` → `:scope`. */
function hostToScope(css: string): string {
  return css.replace(/:host\(([^()]*(?:\([^()]*\))?[^()]*)\)/g, ':scope:is($1)').replace(/:host\b/g, ':scope');
}

/**
 * What differs in the static markup: headings and paragraphs the widget writes as spans and
 * divs; the reserved row of the pause button, invisible.
 */
const FRAGMENT_ONLY = `
  .name { margin: 0; font-size: inherit; }
  .marks, .repost, .text, .meta, .media-text, .placeholder { margin-block: 0; }
  .controls[aria-hidden='true'] { visibility: hidden; }
  /* The cover over sensitive media is a <details> here (no script): in the flow, not over the images. */
  details.sensitive { position: static; display: block; padding: 0; background: none; text-align: start; }
  details.sensitive > summary { cursor: pointer; padding-block: 0.25em; }
`;

export function fragmentStylesheet(): string {
  const widget = styles.map((sheet) => sheet.cssText).join('\n');
  return `/* commune-feed: the HTML fragment, styled as the widget draws it. */\n@scope (commune-feed) {\n${hostToScope(
    widget,
  )}\n${FRAGMENT_ONLY}}\n`;
}

const CSS = fragmentStylesheet();

/** The stylesheet, and its path, named after its content. */
export const FRAGMENT_CSS = {
  text: CSS,
  path: `/commune-feed-fragment-${createHash('sha256').update(CSS).digest('hex').slice(0, 12)}.css`,
};

/**
 * What the wall mode's code takes from the main module: Lit's `css`, `html`
 * and `nothing`, the keyed `repeat` and the view of one post. The wall mode is a
 * file of its own (wall-mode.ts), and it borrows these rather than carry
 * copies: one Lit per page (a second one would ask for a second `lit-html`
 * Trusted Types policy, which a strict CSP refuses) and one post view.
 *
 * In that file the build replaces this module with one whose bindings are
 * filled by `provide`, which the main module calls as soon as the file is
 * loaded, before anything of it renders (vite.config.ts, `borrowFromMain`).
 * Here, where everything is one module graph (tests, development), `provide`
 * has nothing to do. The wall's code must not use these bindings while it is
 * evaluated: only when it renders.
 */
import { css, html, nothing } from 'lit';
import { renderPost } from './post-view.js';
import { repeat } from './repeat.js';

export { css, html, nothing, renderPost, repeat };

/** The bindings the main module lends. */
export interface WallShared {
  css: typeof css;
  html: typeof html;
  nothing: typeof nothing;
  renderPost: typeof renderPost;
  repeat: typeof repeat;
}

/** Gives the wall's file the main module's bindings (a no-op outside the build). */
export function provide(_shared: WallShared): void {}

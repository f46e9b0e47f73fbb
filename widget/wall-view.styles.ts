/**
 * Styles of the wall: a big screen, type that follows the screen size, and
 * every box within the screen whatever the posts hold. Boxes take the room
 * their grid cell gives them and no more; inside a post, the picture fits its
 * box (`object-fit: contain`) and the text gets as many lines as fit
 * (`--_lines`, set by the wall's fit, `wall-fit.ts`), ending on an ellipsis.
 * They come with the wall mode's file (wall-mode.ts), after <commune-feed>'s
 * own; the host's size is in commune-feed.styles.ts, so the wall takes its
 * screen before they arrive. `css` is the main module's (wall-shared.ts), so
 * the sheet is built when the wall starts, not when its file is evaluated;
 * Lit keeps one sheet for this template, however many walls ask for it.
 */
import type { CSSResult } from 'lit';
import { css } from './wall-shared.js';

export const wallStyles = (): CSSResult => css`
  /* Wall: a big screen, type that follows the screen size. */
  :host([mode='wall']) {
    --_font-size: var(--commune-feed-font-size, clamp(1rem, 1.6vw, 2.75rem));
    --_avatar: var(--commune-feed-avatar-size, 2.5em);
  }

  /*
   * The alert, then the title and clock with the pause button beside them,
   * the notice, and the wall in the room left. Spaces are margins, not grid
   * gaps, so a row with nothing in it (no alert, no notice) takes no room.
   */
  .mode-wall {
    block-size: 100%;
    overflow: hidden;
    /* Sizes inside (the alert's) can be fractions of the wall's own height. */
    container-type: size;
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    grid-template-rows: auto auto auto minmax(0, 1fr);
    grid-template-areas:
      'alert alert'
      'header controls'
      'notice notice'
      'wall wall';
    gap: 0 var(--_gap);
  }

  /* A narrow screen (a phone that opens the wall page): the pause button under the title. */
  @media (max-width: 40rem) {
    .mode-wall {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: auto auto auto auto minmax(0, 1fr);
      grid-template-areas: 'alert' 'header' 'controls' 'notice' 'wall';
    }
  }

  .mode-wall > .alert {
    grid-area: alert;
    margin-block-end: var(--_gap);
  }

  .mode-wall .header,
  .mode-wall slot[name='header']::slotted(*) {
    grid-area: header;
    margin-block-end: var(--_gap);
  }

  .mode-wall .header {
    flex-wrap: nowrap;
  }

  .mode-wall > .controls {
    grid-area: controls;
    margin-block-end: var(--_gap);
  }

  .mode-wall > .notice {
    grid-area: notice;
    margin-block-end: var(--_gap);
  }

  .mode-wall > .wall,
  .mode-wall > .placeholder,
  .mode-wall > slot[name='empty'] {
    grid-area: wall;
  }

  .mode-wall .title {
    flex: 1 1 auto;
    min-inline-size: 0;
    font-size: 1.6em;
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
  }

  .clock {
    flex: none;
    font-size: 1.6em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }

  .mode-wall > .wall {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    /* The call to action's row comes first when room is short, then the side posts'. */
    grid-template-rows: minmax(0, 1fr) minmax(0, auto);
    grid-template-areas:
      'featured others'
      'featured cta';
    gap: var(--_gap);
  }

  /* A portrait screen: the large post on top, the others below it, then the call to action. */
  @media (orientation: portrait) {
    :host([mode='wall']) {
      --_font-size: var(--commune-feed-font-size, clamp(1rem, 2.6vw, 2.75rem));
    }

    .mode-wall > .wall {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: minmax(0, 3fr) minmax(0, 2fr) minmax(0, auto);
      grid-template-areas: 'featured' 'others' 'cta';
    }
  }

  .wall-featured {
    grid-area: featured;
    display: flex;
    flex-direction: column;
    gap: 0.5em;
  }

  /* The large post fills the column, and never more. */
  .wall-featured .post {
    flex: 1 1 auto;
    min-block-size: 0;
    font-size: calc(1.35em * var(--_scale, 1));
    background: var(--_highlight);
    border: 3px solid var(--_accent);
    animation: commune-feed-arrive 1.2s ease-out;
  }

  /* A glow around the newcomer; the text itself keeps its full contrast. */
  @keyframes commune-feed-arrive {
    from {
      box-shadow: 0 0 0 0.6em var(--_accent);
    }
    to {
      box-shadow: 0 0 0 0 transparent;
    }
  }

  .wall-label {
    margin: 0;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.05em;
    color: var(--_muted);
  }

  .wall-others {
    grid-area: others;
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    overflow: hidden;
  }

  /* Side posts keep their own height, top down; the wall's fit clamps or leaves out those that reach the bottom. */
  .wall-others > li {
    display: flex;
    flex-direction: column;
  }

  .wall-others .post {
    font-size: calc(0.8em * var(--_scale, 1));
  }

  /* Inside a post on the wall: what does not fit is cut inside the post's own box, never past it. */
  .wall .post {
    overflow: hidden;
  }

  .wall .post > * {
    flex: none;
  }

  /* The large post's pictures take the room the text leaves, whole (letterboxed), at least a good part of it. */
  .wall-featured .post > .media-list {
    flex: 1 1 0;
    min-block-size: min(12em, 40%);
    grid-auto-rows: minmax(0, 1fr);
  }

  /* No room for both pictures and a line of text (and, in the large post, a good part of a picture): the text stays. */
  .wall .post:is([data-fit='tight'], [data-fit='clipped']) > .media-list {
    display: none;
  }

  .wall-featured .post > .media-list .media {
    min-block-size: 0;
  }

  .wall-featured .post > .media-list img {
    block-size: 100%;
    max-block-size: none;
    object-fit: contain;
  }

  /* Side posts' and quoted posts' pictures: a cropped strip. */
  .wall-others .media img,
  .wall .quoted .media img {
    block-size: 5em;
    max-block-size: none;
    object-fit: cover;
  }

  /* Names on one line: a name without spaces ends on an ellipsis instead of taking the post. */
  .wall .name,
  .wall .handle,
  .wall .repost {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }

  /* Left out by the wall's fit: a side post that cannot show a line of its text, a call to action that does not fit. */
  .wall-others > li[hidden],
  .wall-cta[hidden] {
    display: none;
  }

  /* Text that does not fit ends on an ellipsis after the lines that do (the wall's fit sets them); a side post's after four at most. */
  .wall .post[data-fit] .text,
  .wall-others .post .text,
  .mode-wall .alert[data-fit] .alert-text {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: var(--_lines, 4); /* SIDE_MAX_LINES in wall-fit.ts */
    overflow: hidden;
  }

  /* Even one line is too much (a quoted post, a huge name): the post fades out at its bottom edge. */
  .wall .post[data-fit='clipped'] {
    mask-image: linear-gradient(to bottom, #000 80%, transparent);
  }

  .wall-cta {
    grid-area: cta;
    overflow: hidden;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_gap);
    padding: var(--_gap);
    border-radius: var(--_radius);
    background: var(--_surface);
  }

  .cta-text {
    margin: 0;
    min-inline-size: 0;
    font-size: 1.4em;
    font-weight: 700;
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 3;
    overflow: hidden;
  }

  /* The code shrinks with a narrow wall instead of leaving its box. */
  .qr-code {
    flex: 0 1 7em;
    inline-size: 7em;
    max-inline-size: 40%;
    block-size: auto;
    aspect-ratio: 1;
  }

  @media (prefers-reduced-motion: reduce) {
    .wall-featured .post {
      animation: none;
    }
  }

  :host([paused]) .wall-featured .post {
    animation: none;
  }
`;

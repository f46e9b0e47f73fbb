/**
 * Styles of <commune-feed>. Public theming goes through the
 * `--commune-feed-*` custom properties and `::part()`; class names stay private.
 * Every text/background pair of each theme keeps a contrast of at least 4.5:1.
 */
import { css } from 'lit';
import { alertStyles } from './alert-banner.styles.js';
import { postStyles } from './post-view.styles.js';
import { tickerStyles } from './ticker-view.styles.js';
import { visuallyHiddenStyles } from './visually-hidden.styles.js';

/** The theme's custom properties, the base elements and the frame around the posts. */
const frameStyles = css`
  :host {
    /* Light theme (default). */
    --_bg: var(--commune-feed-background, #ffffff);
    --_surface: var(--commune-feed-surface, #f4f5f7);
    --_text: var(--commune-feed-text-color, #1b1d21);
    --_muted: var(--commune-feed-muted-color, #4d535c);
    --_link: var(--commune-feed-link-color, #0b50b4);
    --_accent: var(--commune-feed-accent-color, #0b50b4);
    --_accent-text: var(--commune-feed-accent-text-color, #ffffff);
    --_border: var(--commune-feed-border-color, #c9ced6);
    --_focus: var(--commune-feed-focus-color, #0b50b4);
    --_notice-bg: var(--commune-feed-notice-background, #fff4d6);
    --_notice-text: var(--commune-feed-notice-color, #4a3500);
    --_highlight: var(--commune-feed-highlight-background, #e8f0fd);
    --_alert-bg: var(--commune-feed-alert-background, #a1121b);
    --_alert-text: var(--commune-feed-alert-color, #ffffff);
    --_font: var(
      --commune-feed-font-family,
      system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif
    );
    --_font-size: var(--commune-feed-font-size, 1rem);
    --_radius: var(--commune-feed-radius, 0.75rem);
    --_gap: var(--commune-feed-spacing, 1rem);
    --_avatar: var(--commune-feed-avatar-size, 3rem);

    display: block;
    box-sizing: border-box;
    color: var(--_text);
    background: var(--_bg);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.5;
    contain: content;
  }

  :host([hidden]) {
    display: none;
  }

  /* The wall takes its screen at once, before its own styles arrive with its file (wall-view.styles.ts). */
  :host([mode='wall']) {
    block-size: 100vh;
    block-size: 100dvh;
    overflow: hidden;
  }

  :host([theme='dark']) {
    --_bg: var(--commune-feed-background, #15171b);
    --_surface: var(--commune-feed-surface, #22252b);
    --_text: var(--commune-feed-text-color, #f1f3f5);
    --_muted: var(--commune-feed-muted-color, #b4bac4);
    --_link: var(--commune-feed-link-color, #8cb8ff);
    --_accent: var(--commune-feed-accent-color, #8cb8ff);
    --_accent-text: var(--commune-feed-accent-text-color, #0d1117);
    --_border: var(--commune-feed-border-color, #454b55);
    --_focus: var(--commune-feed-focus-color, #8cb8ff);
    --_notice-bg: var(--commune-feed-notice-background, #3a2e05);
    --_notice-text: var(--commune-feed-notice-color, #ffe7a3);
    --_highlight: var(--commune-feed-highlight-background, #1d2b42);
    --_alert-bg: var(--commune-feed-alert-background, #ffb4ab);
    --_alert-text: var(--commune-feed-alert-color, #3d0a05);
    color-scheme: dark;
  }

  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      --_bg: var(--commune-feed-background, #15171b);
      --_surface: var(--commune-feed-surface, #22252b);
      --_text: var(--commune-feed-text-color, #f1f3f5);
      --_muted: var(--commune-feed-muted-color, #b4bac4);
      --_link: var(--commune-feed-link-color, #8cb8ff);
      --_accent: var(--commune-feed-accent-color, #8cb8ff);
      --_accent-text: var(--commune-feed-accent-text-color, #0d1117);
      --_border: var(--commune-feed-border-color, #454b55);
      --_focus: var(--commune-feed-focus-color, #8cb8ff);
      --_notice-bg: var(--commune-feed-notice-background, #3a2e05);
      --_notice-text: var(--commune-feed-notice-color, #ffe7a3);
      --_highlight: var(--commune-feed-highlight-background, #1d2b42);
      --_alert-bg: var(--commune-feed-alert-background, #ffb4ab);
      --_alert-text: var(--commune-feed-alert-color, #3d0a05);
      color-scheme: dark;
    }
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  a {
    color: var(--_link);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    overflow-wrap: anywhere;
  }

  a:hover {
    text-decoration-thickness: 2px;
  }

  a:focus-visible,
  button:focus-visible,
  [tabindex]:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
    border-radius: 2px;
  }

  button {
    font: inherit;
    color: var(--_accent-text);
    background: var(--_accent);
    border: 2px solid var(--_accent);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.4em 0.9em;
    min-height: 2.75rem;
    min-width: 2.75rem;
    cursor: pointer;
  }

  button.secondary {
    color: var(--_text);
    background: var(--_bg);
    border-color: var(--_border);
  }


  .feed {
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    padding: var(--_gap);
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: calc(var(--_gap) / 2);
  }

  .title {
    margin: 0;
    font-size: 1.25em;
    line-height: 1.25;
  }

  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_gap) / 2);
    align-items: center;
  }

  .notice {
    margin: 0;
    padding: 0.5em 0.75em;
    border-radius: calc(var(--_radius) / 2);
    color: var(--_notice-text);
    background: var(--_notice-bg);
  }

  .notice:empty {
    display: none;
  }

  .placeholder {
    margin: 0;
    padding: var(--_gap);
    color: var(--_muted);
    text-align: center;
  }

  /* Controls: always the same row, so nothing jumps when a button appears. */
  .controls {
    min-height: 2.75rem;
  }

  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
  }

  .icon {
    width: 1em;
    height: 1em;
    fill: currentColor;
  }
`;

/**
 * In cascade order: later modules refine earlier ones (the ticker's text). The
 * wall's styles come last, added with the wall mode's file (wall-loader.ts).
 */
export const styles = [frameStyles, visuallyHiddenStyles, alertStyles, postStyles, tickerStyles];

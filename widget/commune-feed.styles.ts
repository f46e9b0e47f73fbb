/**
 * Styles of <commune-feed>. Public theming goes through the
 * `--commune-feed-*` custom properties and `::part()`; class names stay private.
 * Every text/background pair of each theme keeps a contrast of at least 4.5:1.
 */
import { css } from 'lit';

export const styles = css`
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

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
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

  .posts {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
  }

  .post {
    display: flex;
    flex-direction: column;
    gap: 0.5em;
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    overflow-wrap: anywhere;
  }

  .repost {
    margin: 0;
    color: var(--_muted);
    font-size: 0.875em;
  }

  .author {
    display: flex;
    align-items: center;
    gap: 0.75em;
    min-width: 0;
  }

  .avatar {
    flex: none;
    width: var(--_avatar);
    height: var(--_avatar);
    border-radius: 50%;
    object-fit: cover;
    background: var(--_surface);
  }

  .avatar-initial {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    font-weight: 700;
    color: var(--_text);
  }

  .names {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }

  .name {
    font-weight: 700;
  }

  .handle {
    color: var(--_link);
  }

  .text {
    margin: 0;
    white-space: pre-wrap;
  }

  .media-list {
    position: relative;
    display: grid;
    gap: 0.25em;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 10rem), 1fr));
    border-radius: var(--_radius);
    overflow: hidden;
  }

  .media {
    position: relative;
    margin: 0;
  }

  .media img {
    display: block;
    width: 100%;
    height: auto;
    max-height: 28rem;
    object-fit: cover;
    background: var(--_surface);
  }

  .media-badge {
    position: absolute;
    inset-inline-start: 0.5em;
    inset-block-end: 0.5em;
    padding: 0.1em 0.5em;
    border-radius: 0.25em;
    color: #ffffff;
    background: rgb(0 0 0 / 0.8);
    font-size: 0.875em;
    font-weight: 700;
  }

  .sensitive-hidden img {
    filter: blur(2rem);
  }

  .sensitive {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    padding: var(--_gap);
    color: var(--_text);
    background: color-mix(in srgb, var(--_bg) 80%, transparent);
    text-align: center;
  }

  .quoted {
    margin: 0;
    padding: 0.75em;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    display: flex;
    flex-direction: column;
    gap: 0.5em;
  }

  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 0.75em;
    color: var(--_muted);
    font-size: 0.875em;
  }

  .meta a {
    color: var(--_muted);
  }

  .edited {
    font-style: italic;
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

  .post:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }

  /* Ticker. */
  .ticker {
    overflow: hidden;
    border-block: 1px solid var(--_border);
    padding-block: 0.5em;
  }

  .ticker-track {
    display: flex;
    width: max-content;
    animation: commune-feed-scroll var(--_ticker-duration, 60s) linear infinite;
    will-change: transform;
  }

  .ticker:hover .ticker-track,
  .ticker:focus-within .ticker-track,
  :host([paused]) .ticker-track {
    animation-play-state: paused;
  }

  @keyframes commune-feed-scroll {
    from {
      transform: translateX(0);
    }
    to {
      transform: translateX(-50%);
    }
  }

  .ticker-list {
    display: flex;
    flex: none;
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .ticker-item {
    flex: none;
    padding-inline: var(--_gap);
    border-inline-end: 1px solid var(--_border);
  }

  .ticker-post {
    display: flex;
    align-items: baseline;
    gap: 0.5em;
    white-space: nowrap;
  }

  .ticker-post .text {
    white-space: nowrap;
  }

  .ticker-manual {
    display: flex;
    align-items: center;
    gap: calc(var(--_gap) / 2);
  }

  .ticker-manual .ticker-list {
    flex: 1;
    min-width: 0;
  }

  .ticker-manual .ticker-item {
    flex: 1 1 auto;
    border: 0;
    padding: 0;
    min-width: 0;
  }

  .ticker-manual .ticker-post,
  .ticker-manual .ticker-post .text {
    white-space: normal;
    flex-wrap: wrap;
    min-width: 0;
  }

  .ticker-position {
    color: var(--_muted);
    white-space: nowrap;
  }

  /* Wall: a big screen, type that follows the screen size. */
  :host([mode='wall']) {
    --_font-size: var(--commune-feed-font-size, clamp(1rem, 1.6vw, 2.75rem));
    --_avatar: var(--commune-feed-avatar-size, 2.5em);
    block-size: 100vh;
    block-size: 100dvh;
    overflow: hidden;
  }

  .mode-wall {
    block-size: 100%;
  }

  .mode-wall .title {
    font-size: 1.6em;
  }

  .clock {
    font-size: 1.6em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }

  .wall {
    flex: 1;
    min-block-size: 0;
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    grid-template-rows: minmax(0, 1fr) auto;
    gap: var(--_gap);
  }

  .wall-featured {
    grid-row: 1 / span 2;
    display: flex;
    flex-direction: column;
    gap: 0.5em;
    min-block-size: 0;
    overflow: hidden;
  }

  .wall-featured .post {
    flex: 1;
    font-size: 1.35em;
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
    /* A post cut by the screen's edge fades out instead of ending on a line. */
    mask-image: linear-gradient(to bottom, #000 85%, transparent);
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    min-block-size: 0;
    overflow: hidden;
  }

  .wall-others .post {
    font-size: 0.8em;
  }

  .wall-others .media img {
    max-height: 8em;
  }

  .wall-cta {
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
    .ticker-track,
    .wall-featured .post {
      animation: none;
    }
  }

  :host([paused]) .wall-featured .post {
    animation: none;
  }
`;

/**
 * Styles of the wall: a big screen, type that follows the screen size.
 * Part of <commune-feed>'s stylesheet.
 */
import { css } from 'lit';

export const wallStyles = css`
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
    .wall-featured .post {
      animation: none;
    }
  }

  :host([paused]) .wall-featured .post {
    animation: none;
  }
`;

/**
 * Styles of the ticker: the scrolling band, or one post at a time with
 * reduced motion. Part of <commune-feed>'s stylesheet.
 */
import { css } from 'lit';

export const tickerStyles = css`
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

  /* An announcement on one line: its paragraphs and list items run on. */
  .ticker-post .rich :is(p, ul, ol, li) {
    display: inline;
    padding: 0;
  }

  .ticker-post .rich :is(p, ul, ol, li):not(:first-child)::before {
    content: ' · ';
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

  @media (prefers-reduced-motion: reduce) {
    .ticker-track {
      animation: none;
    }
  }
`;

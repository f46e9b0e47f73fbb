/**
 * Styles of a post and of the list: author, text, media, quote, the
 * organisers' marks and announcements. Part of <commune-feed>'s stylesheet.
 */
import { css } from 'lit';

export const postStyles = css`
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

  .marks {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    font-size: 0.875em;
  }

  .mark {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    padding: 0 0.6em;
    border: 1px solid currentColor;
    border-radius: 1em;
    font-weight: 700;
    white-space: nowrap;
  }

  /* Announcements: the organisers' own voice. */
  .organisers {
    border-inline-start: 0.35em solid var(--_accent);
  }

  .avatar.organisers-icon {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    color: var(--_accent-text);
    background: var(--_accent);
  }

  .organisers-icon svg {
    width: 60%;
    height: 60%;
    fill: currentColor;
  }

  .rich {
    white-space: normal;
  }

  /* The formatted text takes the lines its plain text took: no jump when it arrives. */
  .rich p,
  .rich ul,
  .rich ol {
    margin: 0;
  }

  .rich ul,
  .rich ol {
    padding-inline-start: 1.25em;
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

  .network {
    width: 1.2em;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.4;
    stroke-linejoin: round;
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

  /* The time and "Voir sur X" links stay 24 px tall (WCAG 2.5.8), even in the wall's smaller side posts. */
  .meta > a {
    display: inline-flex;
    align-items: center;
    min-block-size: 24px;
  }

  .edited {
    font-style: italic;
  }

  .post:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
`;

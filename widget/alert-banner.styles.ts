/**
 * Styles of the urgent alert banner: high contrast in both themes, large on
 * the wall. Part of <commune-feed>'s stylesheet (`commune-feed.styles.ts`).
 */
import { css } from 'lit';

export const alertStyles = css`
  /* The urgent alert: outside what the ticker moves and the wall rotates. */
  .alert {
    display: flex;
    align-items: center;
    gap: 0.75em;
    padding: 0.75em 1em;
    border-radius: calc(var(--_radius) / 2);
    color: var(--_alert-text);
    background: var(--_alert-bg);
    font-size: 1.125em;
  }

  .alert-icon {
    flex: none;
    width: 1.75em;
    height: 1.75em;
    fill: currentColor;
  }

  .alert-body {
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .alert-label {
    margin: 0;
    font-size: 0.8em;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.05em;
  }

  .alert-text {
    margin: 0;
    font-weight: 700;
    white-space: pre-wrap;
  }

  /* On the wall, readable from the back of the hall; a long alert gets a smaller type (the wall's fit sets --_scale). */
  .mode-wall .alert {
    flex: none;
    align-items: safe center;
    min-block-size: 30cqb;
    max-block-size: 50cqb;
    overflow: hidden;
    font-size: calc(2.2em * var(--_scale, 1));
    line-height: 1.25;
  }
`;

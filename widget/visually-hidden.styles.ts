/**
 * Text for assistive technologies only: out of sight, still read. Shared by
 * <commune-feed> and the organisers' console.
 */
import { css } from 'lit';

export const visuallyHiddenStyles = css`
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
`;

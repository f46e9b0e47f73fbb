/**
 * Styles shared by every element of the console: the colour tokens (light,
 * and dark when the system asks for it), the tokens the widget's post view
 * and alert banner read (`--_*`), and the controls: buttons and fields at
 * least 44 px tall, text at 16 px so phones do not zoom into a field.
 * Every text/background pair keeps a contrast of at least 4.5:1.
 */
import { css } from 'lit';
import { visuallyHiddenStyles } from '../visually-hidden.styles.js';

export const tokens = css`
  :host {
    --c-bg: #ffffff;
    --c-page: #f3f4f6;
    --c-surface: #f4f5f7;
    --c-text: #1b1d21;
    --c-muted: #4d535c;
    --c-border: #8a919c;
    --c-line: #d3d7de;
    --c-accent: #0b50b4;
    --c-accent-text: #ffffff;
    --c-focus: #0b50b4;
    --c-danger: #a1121b;
    --c-danger-text: #ffffff;
    --c-ok: #17653a;
    --c-warn-bg: #fff4d6;
    --c-warn-text: #4a3500;
    --c-held: #7a4b00;
    --c-selected: #e8f0fd;

    /* What the widget's post view and alert banner read. */
    --_bg: var(--c-bg);
    --_surface: var(--c-surface);
    --_text: var(--c-text);
    --_muted: var(--c-muted);
    --_link: var(--c-accent);
    --_accent: var(--c-accent);
    --_accent-text: var(--c-accent-text);
    --_border: var(--c-line);
    --_focus: var(--c-focus);
    --_notice-bg: var(--c-warn-bg);
    --_notice-text: var(--c-warn-text);
    --_highlight: var(--c-selected);
    --_alert-bg: #a1121b;
    --_alert-text: #ffffff;
    --_radius: 0.75rem;
    --_gap: 0.75rem;
    --_avatar: 2.5rem;
    --_font-size: 1rem;

    display: block;
    box-sizing: border-box;
    color: var(--c-text);
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    font-size: 1rem;
    line-height: 1.5;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --c-bg: #15171b;
      --c-page: #0d0f12;
      --c-surface: #22252b;
      --c-text: #f1f3f5;
      --c-muted: #b4bac4;
      --c-border: #7d8591;
      --c-line: #454b55;
      --c-accent: #8cb8ff;
      --c-accent-text: #0d1117;
      --c-focus: #8cb8ff;
      --c-danger: #ffb4ab;
      --c-danger-text: #3d0a05;
      --c-ok: #8fdcaa;
      --c-warn-bg: #3a2e05;
      --c-warn-text: #ffe7a3;
      --c-held: #ffd27a;
      --c-selected: #1d2b42;
      --_alert-bg: #ffb4ab;
      --_alert-text: #3d0a05;
      color-scheme: dark;
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
`;

export const controls = css`
  h1,
  h2,
  h3 {
    line-height: 1.25;
    margin: 0 0 0.5rem;
  }

  h2 {
    font-size: 1.25rem;
  }

  h3 {
    font-size: 1.0625rem;
  }

  p {
    margin: 0 0 0.5rem;
  }

  a {
    color: var(--c-accent);
  }

  :focus-visible {
    outline: 3px solid var(--c-focus);
    outline-offset: 2px;
  }

  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: 2.75rem;
    min-width: 2.75rem;
    padding: 0.5rem 1rem;
    border: 1px solid var(--c-border);
    border-radius: 0.5rem;
    background: var(--c-bg);
    color: var(--c-text);
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
    touch-action: manipulation;
  }

  button.primary,
  .button.primary {
    border-color: var(--c-accent);
    background: var(--c-accent);
    color: var(--c-accent-text);
  }

  button.danger {
    border-color: var(--c-danger);
    background: var(--c-danger);
    color: var(--c-danger-text);
  }

  button.quiet {
    border-color: transparent;
    background: transparent;
    color: var(--c-accent);
  }

  button[disabled] {
    cursor: not-allowed;
    opacity: 0.6;
  }

  button[aria-pressed='true'] {
    border-color: var(--c-accent);
    background: var(--c-selected);
    box-shadow: inset 0 0 0 1px var(--c-accent);
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    margin: 0 0 1rem;
  }

  label,
  legend {
    font-weight: 600;
  }

  input:not([type='checkbox']):not([type='radio']),
  select,
  textarea {
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--c-border);
    border-radius: 0.5rem;
    background: var(--c-bg);
    color: var(--c-text);
    font: inherit;
    font-size: 1rem;
  }

  textarea {
    min-height: 6rem;
    resize: vertical;
  }

  [aria-invalid='true'] {
    border-color: var(--c-danger) !important;
    box-shadow: 0 0 0 1px var(--c-danger);
  }

  fieldset {
    margin: 0 0 1rem;
    padding: 0.75rem;
    border: 1px solid var(--c-line);
    border-radius: 0.5rem;
    min-width: 0;
  }

  .choice {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    min-height: 2.75rem;
    font-weight: 400;
  }

  .choice input {
    width: 1.35rem;
    height: 1.35rem;
    margin: 0;
    flex: none;
    accent-color: var(--c-accent);
  }

  .hint {
    color: var(--c-muted);
    font-size: 0.9375rem;
    margin: 0;
  }

  .field-error,
  .error {
    color: var(--c-danger);
    font-weight: 600;
    margin: 0;
  }

  .error:empty,
  .field-error:empty {
    display: none;
  }

  .notice {
    padding: 0.75rem 1rem;
    border-radius: 0.5rem;
    background: var(--c-warn-bg);
    color: var(--c-warn-text);
  }

  .notice:empty {
    display: none;
  }

  .card {
    padding: 1rem;
    border: 1px solid var(--c-line);
    border-radius: 0.75rem;
    background: var(--c-bg);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .actions > button {
    flex: 1 1 auto;
  }

  .stack {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: background-color 0.15s;
    }
  }
`;

/** Both: what every screen of the console starts from. */
export const consoleStyles = [tokens, controls, visuallyHiddenStyles];

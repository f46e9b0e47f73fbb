/**
 * <console-snackbar>: what an action did ("Publication masquée"), with its
 * undo ("Annuler"), or why it failed, with "Réessayer". It sits at the
 * bottom of the screen, above the navigation, where the thumb is. Its words
 * are announced: politely for what was done, assertively for a failure. It
 * leaves by itself after a while, but never while it has the focus or the
 * pointer (the undo also stays in the audit log).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { browserEnvironment } from '../feed-connection.js';
import type { ConsoleEnvironment } from './api.js';
import { consoleStyles } from './console.styles.js';

/** How long the snackbar stays, in milliseconds, when nobody touches it. */
export const SNACKBAR_DURATION = 10_000;

export interface SnackbarAction {
  label: string;
  /** A longer name for assistive technologies ("Annuler : publication masquée"); it must contain `label`. */
  accessibleLabel?: string;
  run: () => void;
}

export interface SnackbarMessage {
  text: string;
  kind: 'done' | 'error';
  action?: SnackbarAction;
  /** Where the focus goes when "Fermer" takes the snackbar down with the focus in it. */
  returnFocus?: () => void;
}

export class ConsoleSnackbar extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      :host {
        position: fixed;
        z-index: 20;
        inset-inline: 0.5rem;
        bottom: calc(var(--console-bottom-offset, 0px) + 0.5rem);
        pointer-events: none;
        display: flex;
        justify-content: center;
      }
      .bar {
        pointer-events: auto;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        width: min(36rem, 100%);
        padding: 0.5rem 0.5rem 0.5rem 1rem;
        border-radius: 0.75rem;
        background: var(--c-text);
        color: var(--c-bg);
        box-shadow: 0 0.25rem 1rem rgb(0 0 0 / 0.3);
      }
      .bar.error {
        background: var(--c-danger);
        color: var(--c-danger-text);
      }
      /* Empty, it stays in the page (its live regions must be there before words arrive), unseen. */
      .bar.empty {
        padding: 0;
        background: transparent;
        box-shadow: none;
        pointer-events: none;
      }
      .text {
        flex: 1 1 12rem;
        margin: 0;
      }
      .text:empty {
        flex: 0 0 0;
      }
      .bar button {
        border-color: currentColor;
        background: transparent;
        color: inherit;
      }
    `,
  ];

  /** Timers; tests pass fakes. */
  @property({ attribute: false }) environment: ConsoleEnvironment = browserEnvironment;
  /** Label of the close button. */
  @property({ attribute: 'close-label' }) closeLabel = 'Fermer';

  @state() private message: SnackbarMessage | undefined;
  private timer: number | undefined;
  private held = false;

  /** Shows `message` in place of the current one. */
  show(message: SnackbarMessage): void {
    this.message = message;
    this.arm();
  }

  /** Takes the snackbar down. */
  dismiss(): void {
    this.clearTimer();
    this.message = undefined;
  }

  /** The action button, to move the focus to it. */
  get actionButton(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('button.action');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.clearTimer();
  }

  protected override render(): TemplateResult {
    const message = this.message;
    const error = message?.kind === 'error';
    // Both live regions stay in the page, so that what is written in them is announced.
    return html`<div
      class="bar ${message ? (error ? 'error' : '') : 'empty'}"
      @focusin=${this.hold}
      @focusout=${this.release}
      @pointerenter=${this.hold}
      @pointerleave=${this.release}
    >
      <p class="text" role="status">${message && !error ? message.text : ''}</p>
      <p class="text" role="alert">${error ? message.text : ''}</p>
      ${
        message?.action
          ? html`<button
            class="action"
            type="button"
            aria-label=${message.action.accessibleLabel ?? message.action.label}
            @click=${() => this.runAction()}
          >
            ${message.action.label}
          </button>`
          : nothing
      }
      ${message ? html`<button class="close" type="button" @click=${() => this.close()}>${this.closeLabel}</button>` : nothing}
    </div>`;
  }

  private close(): void {
    const returnFocus = this.message?.returnFocus;
    this.held = false;
    this.dismiss();
    returnFocus?.();
  }

  private runAction(): void {
    const action = this.message?.action;
    this.held = false;
    this.dismiss();
    action?.run();
  }

  private readonly hold = (): void => {
    this.held = true;
    this.clearTimer();
  };

  private readonly release = (): void => {
    this.held = false;
    this.arm();
  };

  private arm(): void {
    this.clearTimer();
    if (this.held || !this.message) return;
    this.timer = this.environment.setTimeout(() => {
      this.timer = undefined;
      this.message = undefined;
    }, SNACKBAR_DURATION);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.environment.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-snackbar': ConsoleSnackbar;
  }
}

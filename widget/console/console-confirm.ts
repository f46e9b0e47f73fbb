/**
 * <console-confirm>: asks before an action that reaches every screen at once
 * (an urgent alert) or cannot simply be undone (archiving a feed, deleting an
 * announcement). A modal `<dialog>`: the focus goes into it, Escape answers
 * no, and the focus comes back where it was.
 */
import { LitElement, css, html } from 'lit';
import type { TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { consoleStyles } from './console.styles.js';

export interface ConfirmQuestion {
  title: string;
  text: string;
  confirm: string;
  cancel: string;
  /** The confirm button in the danger colour. */
  danger?: boolean;
}

export class ConsoleConfirm extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      dialog {
        width: min(28rem, calc(100vw - 2rem));
        padding: 1.25rem;
        border: 1px solid var(--c-line);
        border-radius: 0.75rem;
        background: var(--c-bg);
        color: var(--c-text);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.5);
      }
      .actions {
        margin-top: 1rem;
      }
    `,
  ];

  @state() private question: ConfirmQuestion | undefined;
  @query('dialog') private dialog!: HTMLDialogElement;
  private answer: ((yes: boolean) => void) | undefined;
  private returnFocus: HTMLElement | undefined;

  /** Shows the question; resolves true when the organiser confirms. */
  async ask(question: ConfirmQuestion): Promise<boolean> {
    this.answer?.(false);
    this.returnFocus = deepActiveElement();
    this.question = question;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('button.cancel')?.focus();
    return new Promise<boolean>((resolve) => (this.answer = resolve));
  }

  protected override render(): TemplateResult {
    const question = this.question;
    return html`<dialog aria-labelledby="confirm-title" aria-describedby="confirm-text" @close=${this.closed}>
      <h2 id="confirm-title">${question?.title ?? ''}</h2>
      <p id="confirm-text">${question?.text ?? ''}</p>
      <div class="actions">
        <button class="cancel" type="button" @click=${() => this.settle(false)}>${question?.cancel ?? ''}</button>
        <button class="confirm ${question?.danger ? 'danger' : 'primary'}" type="button" @click=${() => this.settle(true)}>
          ${question?.confirm ?? ''}
        </button>
      </div>
    </dialog>`;
  }

  private settle(yes: boolean): void {
    const answer = this.answer;
    this.answer = undefined;
    if (this.dialog.open) this.dialog.close();
    this.returnFocus?.focus();
    answer?.(yes);
  }

  /**
   * Escape closes the dialog: that is a no. The event comes a moment after
   * the dialog closed: by then it may be open again with a new question.
   */
  private readonly closed = (): void => {
    if (this.answer && !this.dialog.open) this.settle(false);
  };
}

/** The focused element, inside shadow roots too. */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'console-confirm': ConsoleConfirm;
  }
}

/**
 * <console-alert>: the urgent alert ("Orage : le site est évacué, suivez les
 * consignes des agents"). It takes over every screen of the feed at once, so
 * raising it asks first. The banner is previewed as the widget draws it, and
 * the alert in force can be withdrawn in one tap.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { renderAlertBanner } from '../alert-banner.js';
import { alertStyles } from '../alert-banner.styles.js';
import { messagesFor } from '../i18n.js';
import type { Alert } from './api-types.js';
import type { ConsoleApi, ConsoleEnvironment } from './api.js';
import { ApiError } from './api.js';
import type { ConsoleConfirm } from './console-confirm.js';
import { consoleStyles } from './console.styles.js';
import { focusFirstInvalid, textArea, textField } from './fields.js';
import { consoleMessages, describeError, formatWhen } from './i18n.js';
import type { ConsoleMessages, Locale } from './i18n.js';
import { Loader, renderLoaded } from './loader.js';
import { fromLocalInput } from './settings-form.js';

/** Longest alert, in characters (the server's bound). */
export const ALERT_MAX_LENGTH = 500;

type AlertField = 'text' | 'expiresAt';

export class ConsoleAlert extends LitElement {
  static override styles = [
    consoleStyles,
    alertStyles,
    css`
      .current {
        margin-bottom: 1.5rem;
      }
      .banner {
        margin: 0.5rem 0 1rem;
      }
      .preview-label {
        font-weight: 600;
        margin: 0;
      }
      .raise {
        width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) environment!: ConsoleEnvironment;
  @property({ attribute: 'feed-id' }) feedId = '';
  /** The feed's title, named in the confirmation. */
  @property({ attribute: 'feed-title' }) feedTitle = '';
  /** The feed's language: the banner's. */
  @property({ attribute: 'feed-lang' }) feedLang = 'fr';
  @property() locale: Locale = 'fr';

  @state() private text = '';
  @state() private expiresAt = '';
  @state() private errors: Partial<Record<AlertField, string>> = {};
  @state() private formError = '';
  @state() private status = '';
  @state() private busy = false;

  @query('console-confirm') private confirm!: ConsoleConfirm;

  private readonly current = new Loader<Alert | null>(this, () =>
    this.feedId ? this.api.currentAlert(this.feedId) : undefined,
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('feedId') && this.hasUpdated) void this.current.reload();
  }

  protected override render(): TemplateResult {
    const messages = consoleMessages(this.locale);
    return html`
      <p class="hint" role="status">${this.status}</p>
      <section class="card current" aria-labelledby="current-title">
        <h2 id="current-title" tabindex="-1">${messages.currentAlert}</h2>
        ${renderLoaded(this.current, messages, (alert) => this.renderCurrent(alert, messages))}
      </section>
      <form class="card" @submit=${this.raise} novalidate aria-labelledby="raise-title">
        <h2 id="raise-title">${messages.raiseAlertTitle}</h2>
        <p class="hint">${messages.raiseAlertHint}</p>
        <p class="error" role="alert">${this.formError}</p>
        ${textArea({
          id: 'text',
          label: messages.alertText,
          value: this.text,
          rows: 3,
          maxlength: ALERT_MAX_LENGTH,
          required: true,
          error: this.errors.text,
          onInput: (text) => (this.text = text),
        })}
        ${textField({
          id: 'expiresAt',
          type: 'datetime-local',
          label: messages.alertExpiresAt,
          hint: messages.alertExpiresAtHint,
          value: this.expiresAt,
          error: this.errors.expiresAt,
          onInput: (expiresAt) => (this.expiresAt = expiresAt),
        })}
        <p class="preview-label" id="preview-label">${messages.bannerPreview}</p>
        ${
          this.text.trim()
            ? // The preview is not announced as it is typed: it is the field's own text.
              html`<div class="banner" aria-hidden="true">${this.banner(this.draft())}</div>`
            : html`<p class="hint">${messages.bannerPreviewEmpty}</p>`
        }
        <button class="danger raise" type="submit" ?disabled=${this.busy}>${messages.raiseAlert}</button>
      </form>
      <console-confirm></console-confirm>
    `;
  }

  private renderCurrent(alert: Alert | null, messages: ConsoleMessages): TemplateResult {
    if (!alert) return html`<p>${messages.noAlert}</p>`;
    const now = this.environment.now();
    return html`<div class="banner" aria-hidden="true">${this.banner(alert)}</div>
      <p class="visually-hidden">${alert.text}</p>
      <p class="hint">
        ${messages.alertSince(formatWhen(alert.createdAt, this.locale, now))}
        ${alert.expiresAt ? messages.alertUntil(formatWhen(alert.expiresAt, this.locale, now)) : nothing}
      </p>
      <button class="primary" type="button" ?disabled=${this.busy} @click=${this.withdraw}>${messages.withdrawAlert}</button>`;
  }

  private banner(alert: Alert) {
    return renderAlertBanner(alert, messagesFor(this.locale), this.locale);
  }

  private draft(): Alert {
    return {
      id: 'preview',
      text: this.text.trim(),
      createdAt: new Date(this.environment.now()).toISOString(),
      lang: this.feedLang,
    };
  }

  private readonly raise = async (event: Event): Promise<void> => {
    event.preventDefault();
    const messages = consoleMessages(this.locale);
    const text = this.text.trim();
    if (!text) {
      this.errors = { text: messages.required };
      await this.updateComplete;
      focusFirstInvalid(this.renderRoot);
      return;
    }
    const yes = await this.confirm.ask({
      title: messages.confirmAlertTitle,
      text: messages.confirmAlertText(this.feedTitle || this.feedId, text),
      confirm: messages.raiseAlert,
      cancel: messages.cancel,
      danger: true,
    });
    if (!yes) return;
    await this.send(async () => {
      await this.api.raiseAlert(this.feedId, {
        text,
        ...(this.expiresAt ? { expiresAt: fromLocalInput(this.expiresAt) } : {}),
      });
      this.text = '';
      this.expiresAt = '';
      this.status = messages.alertRaised;
    });
  };

  private readonly withdraw = async (): Promise<void> => {
    const messages = consoleMessages(this.locale);
    await this.send(async () => {
      await this.api.withdrawAlert(this.feedId);
      this.status = messages.alertWithdrawn;
    });
  };

  /** Sends, reloads the alert in force, and puts the focus on it. */
  private async send(run: () => Promise<void>): Promise<void> {
    const messages = consoleMessages(this.locale);
    this.busy = true;
    this.errors = {};
    this.formError = '';
    this.status = '';
    try {
      await run();
      await this.current.reload();
      this.renderRoot.querySelector<HTMLElement>('#current-title')?.focus();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const field = error.field === 'text' || error.field === 'expiresAt' ? error.field : undefined;
      if (field) this.errors = { [field]: error.reason };
      else this.formError = describeError(error, messages);
      await this.updateComplete;
      if (field) focusFirstInvalid(this.renderRoot);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-alert': ConsoleAlert;
  }
}

/**
 * <console-audit>: the feed's audit log, newest first: who did what, when,
 * and why; entries that can still be undone have an "Annuler" button. New
 * entries arrive live through the organisers' stream.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { AdminEventsController } from './admin-events.js';
import type { ConsoleApi, ConsoleEnvironment } from './api.js';
import { ApiError } from './api.js';
import type { AuditEntry } from './api-types.js';
import { consoleStyles } from './console.styles.js';
import { consoleMessages, describeError, formatWhen } from './i18n.js';
import type { ConsoleMessages, Locale } from './i18n.js';
import { Loader, renderLoaded } from './loader.js';

/** Entries asked for per page. */
export const AUDIT_PAGE = 50;

export class ConsoleAudit extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      .entry {
        display: grid;
        gap: 0.25rem;
      }
      .entry.undone .summary {
        text-decoration: line-through;
      }
      .meta {
        color: var(--c-muted);
        font-size: 0.9375rem;
        margin: 0;
      }
      .summary {
        margin: 0;
      }
      .more {
        width: 100%;
        margin-top: 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) environment!: ConsoleEnvironment;
  @property({ attribute: 'feed-id' }) feedId = '';
  @property() locale: Locale = 'fr';

  @state() private entries: AuditEntry[] = [];
  @state() private exhausted = false;
  @state() private status = '';
  @state() private error = '';
  @state() private busy = new Set<number>();

  private readonly loader = new Loader<AuditEntry[]>(this, () =>
    this.feedId
      ? this.api.audit(this.feedId, { limit: AUDIT_PAGE }).then((entries) => {
          this.entries = entries;
          this.exhausted = entries.length < AUDIT_PAGE;
          return entries;
        })
      : undefined,
  );

  private readonly stream = new AdminEventsController(this, {
    environment: () => this.environment,
    url: () => (this.feedId ? this.api.eventsUrl(this.feedId) : undefined),
    onResync: () => void this.loader.reload(),
    audit: (entry) => this.put(entry, true),
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('feedId') && this.hasUpdated) void this.loader.reload();
  }

  protected override render(): TemplateResult {
    const messages = consoleMessages(this.locale);
    return html`
      <p class="hint" role="status">${this.status}</p>
      <p class="error" role="alert">${this.error}</p>
      ${renderLoaded(this.loader, messages, () => this.renderEntries(messages))}
    `;
  }

  private renderEntries(messages: ConsoleMessages): TemplateResult {
    if (this.entries.length === 0) return html`<p class="hint">${messages.auditEmpty}</p>`;
    const now = this.environment.now();
    return html`<ol class="stack" aria-label=${messages.auditLabel}>
        ${this.entries.map(
          (
            entry,
          ) => html`<li class="card entry ${entry.undoneBy === null ? '' : 'undone'}" data-audit-id=${entry.id} tabindex="-1">
            <p class="meta">
              <time datetime=${entry.at}>${formatWhen(entry.at, this.locale, now)}</time> ·
              ${messages.byActor(entry.actor)}
            </p>
            <p class="summary">${entry.summary}</p>
            ${entry.reason ? html`<p class="meta">${messages.reason(entry.reason)}</p>` : nothing}
            ${entry.undoneBy === null ? nothing : html`<p class="meta">${messages.undoneEntry}</p>`}
            ${
              entry.undoable && entry.undoneBy === null
                ? html`<button type="button" ?disabled=${this.busy.has(entry.id)} @click=${() => void this.undo(entry)}>
                  ${messages.undo}<span class="visually-hidden"> ${entry.summary}</span>
                </button>`
                : nothing
            }
          </li>`,
        )}
      </ol>
      ${
        this.exhausted
          ? nothing
          : html`<button class="more" type="button" @click=${() => void this.loadMore()}>${messages.olderEntries}</button>`
      }`;
  }

  /** Puts an entry in the list: in place when it is there, else at the top (new) or the end (older). */
  private put(entry: AuditEntry, newest: boolean): void {
    const index = this.entries.findIndex((other) => other.id === entry.id);
    if (index >= 0) this.entries = this.entries.map((other) => (other.id === entry.id ? entry : other));
    else this.entries = newest ? [entry, ...this.entries] : [...this.entries, entry];
  }

  private async loadMore(): Promise<void> {
    const last = this.entries[this.entries.length - 1];
    if (!last) return;
    try {
      const older = await this.api.audit(this.feedId, { before: last.id, limit: AUDIT_PAGE });
      for (const entry of older) this.put(entry, false);
      this.exhausted = older.length < AUDIT_PAGE;
    } catch (error) {
      this.fail(error);
    }
  }

  private async undo(entry: AuditEntry): Promise<void> {
    const messages = consoleMessages(this.locale);
    this.busy = new Set([...this.busy, entry.id]);
    this.error = '';
    try {
      const result = await this.api.undo(this.feedId, entry.id);
      this.put({ ...entry, undoable: false, undoneBy: result.auditId ?? entry.id }, true);
      this.status = messages.undone;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-audit-id="${entry.id}"]`)?.focus();
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = new Set([...this.busy].filter((id) => id !== entry.id));
    }
  }

  private fail(error: unknown): void {
    if (!(error instanceof ApiError)) throw error;
    this.error = describeError(error, consoleMessages(this.locale));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-audit': ConsoleAudit;
  }
}

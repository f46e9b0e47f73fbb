/**
 * <console-sources>: where each feed's sources stand (`GET /api/admin/health`):
 * fresh or stale, the last success, the last error and what upstream said,
 * X's rate limits, the month's reads and what they cost in dollars, and the
 * budget. The server prices the reads (one place of X's prices); the console
 * only writes the sums.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConsoleApi, ConsoleEnvironment } from './api.js';
import type { AdminHealth, FeedSummary, ReadCost, SourceHealth } from './api-types.js';
import { consoleStyles } from './console.styles.js';
import { consoleMessages, formatUsd, formatWhen } from './i18n.js';
import type { ConsoleMessages, Locale } from './i18n.js';
import { Loader, renderLoaded } from './loader.js';

export class ConsoleSources extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      .source {
        display: grid;
        gap: 0.25rem;
      }
      dl {
        display: grid;
        gap: 0 1rem;
        margin: 0;
      }
      dd + dt {
        margin-top: 0.5rem;
      }
      @media (min-width: 40rem) {
        dl {
          grid-template-columns: minmax(0, max-content) minmax(0, 1fr);
          gap: 0.25rem 1rem;
        }
        dd + dt {
          margin-top: 0;
        }
      }
      section.card {
        margin-bottom: 0.75rem;
      }
      dt {
        color: var(--c-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .state {
        font-weight: 700;
      }
      .state.stale {
        color: var(--c-danger);
      }
      .state.fresh {
        color: var(--c-ok);
      }
      .refresh {
        margin-bottom: 1rem;
      }
      .limits {
        margin: 0;
        padding-inline-start: 1.25rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) environment!: ConsoleEnvironment;
  /** The feeds, for their titles. */
  @property({ attribute: false }) feeds: FeedSummary[] = [];
  @property() locale: Locale = 'fr';

  private readonly loader = new Loader<AdminHealth>(this, () => this.api.health());

  protected override render(): TemplateResult {
    const messages = consoleMessages(this.locale);
    return html`
      <button class="refresh" type="button" @click=${() => void this.loader.reload()}>${messages.refresh}</button>
      ${renderLoaded(this.loader, messages, (health) => this.renderHealth(health, messages))}
    `;
  }

  private renderHealth(health: AdminHealth, messages: ConsoleMessages): TemplateResult {
    const x = health.x;
    const usd = (amount: number) => formatUsd(amount, this.locale);
    return html`
      ${
        x
          ? html`<section class="card" aria-labelledby="x-month">
            <h2 id="x-month">${messages.xThisMonth}</h2>
            <p>${this.reads(x.month, messages)}</p>
            ${
              x.budget
                ? html`<p>${messages.xBudget(x.budget.posts, usd(x.budget.costUsd), x.budget.remaining)}</p>`
                : html`<p class="hint">${messages.xNoBudget}</p>`
            }
            <p class="hint">${messages.xPrices(usd(x.prices.postRead), usd(x.prices.userRead))}</p>
          </section>`
          : nothing
      }
      <ul class="stack" aria-label=${messages.sourcesLabel}>
        ${health.feeds.map((source) => this.renderSource(source, messages))}
      </ul>
    `;
  }

  private reads(reads: ReadCost, messages: ConsoleMessages): string {
    return messages.xReads(reads.posts, reads.users, formatUsd(reads.costUsd, this.locale));
  }

  private renderSource(source: SourceHealth, messages: ConsoleMessages): TemplateResult {
    const now = this.environment.now();
    const when = (iso: string | null | undefined) => (iso ? formatWhen(iso, this.locale, now) : messages.never);
    const title = this.feeds.find((feed) => feed.settings.id === source.feed)?.settings.title ?? source.feed;
    const details = source.details;
    const month = source.monthReads;
    const limits = Object.entries(details?.rateLimits ?? {});
    return html`<li class="card source">
      <h2>${title} · ${messages.networks[source.source as 'x'] ?? source.source}</h2>
      <p class="state ${source.stale ? 'stale' : 'fresh'}">${source.stale ? messages.sourceStale : messages.sourceFresh}</p>
      <dl>
        <dt>${messages.lastSuccess}</dt>
        <dd>${when(source.lastSuccessAt)}</dd>
        ${details?.state ? html`<dt>${messages.sourceState}</dt><dd>${details.state}</dd>` : nothing}
        ${
          source.lastError
            ? html`<dt>${messages.lastError}</dt>
              <dd>${source.lastError.state} · ${when(source.lastError.at)}${source.lastError.message ? html`<br />${source.lastError.message}` : nothing}</dd>`
            : nothing
        }
        <dt>${messages.nextPoll}</dt>
        <dd>${when(source.nextPollAt)}</dd>
        ${details?.pausedUntil ? html`<dt>${messages.pausedUntil}</dt><dd>${when(details.pausedUntil)}</dd>` : nothing}
        ${
          month
            ? html`<dt>${messages.readsThisMonth}</dt>
              <dd>${this.reads(month, messages)}</dd>`
            : nothing
        }
        ${
          limits.length > 0
            ? html`<dt>${messages.rateLimits}</dt>
              <dd>
                <ul class="limits">
                  ${limits.map(([endpoint, limit]) => html`<li>${messages.rateLimit(endpoint, limit.remaining, limit.limit, when(limit.resetAt))}</li>`)}
                </ul>
              </dd>`
            : nothing
        }
      </dl>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-sources': ConsoleSources;
  }
}

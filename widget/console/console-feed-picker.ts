/**
 * <console-feed-picker>: the feeds an organiser can moderate, with what waits
 * for a decision in each, and (for admins) a way to create one.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { FeedSummary } from './api-types.js';
import { consoleStyles } from './console.styles.js';
import { fire } from './events.js';
import { consoleMessages } from './i18n.js';
import type { Locale } from './i18n.js';

/**
 * @fires console-feed-chosen - A feed was chosen. `detail`: `{ feedId }`.
 * @fires console-new-feed - An admin asked to create a feed.
 */
export class ConsoleFeedPicker extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      .feed {
        display: grid;
        gap: 0.5rem;
      }
      .feed.current {
        border-color: var(--c-accent);
        box-shadow: inset 0 0 0 1px var(--c-accent);
      }
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .held {
        color: var(--c-held);
        font-weight: 700;
      }
      .new-feed {
        margin-top: 1rem;
        width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) feeds: FeedSummary[] = [];
  @property({ attribute: 'current-feed' }) currentFeed = '';
  @property({ type: Boolean }) admin = false;
  @property() locale: Locale = 'fr';

  protected override render(): TemplateResult {
    const messages = consoleMessages(this.locale);
    return html`
      ${
        this.feeds.length === 0
          ? html`<p>${messages.noFeeds}</p>`
          : html`<ul class="stack">
            ${this.feeds.map((feed) => this.renderFeed(feed))}
          </ul>`
      }
      ${
        this.admin
          ? html`<button class="new-feed" type="button" @click=${() => fire(this, 'console-new-feed', {})}>
            ${messages.newFeed}
          </button>`
          : nothing
      }
    `;
  }

  private renderFeed(feed: FeedSummary): TemplateResult {
    const messages = consoleMessages(this.locale);
    const { settings, counts, health } = feed;
    const current = settings.id === this.currentFeed;
    return html`<li class="card feed ${current ? 'current' : ''}">
      <h2>${settings.title}</h2>
      <p class="hint">${settings.id} · ${messages.feedStates[settings.state]}</p>
      ${
        counts
          ? html`<ul class="counts">
            <li class=${counts.held > 0 ? 'held' : ''}>${messages.countHeld(counts.held)}</li>
            <li>${messages.countShown(counts.shown)}</li>
            <li>${messages.countHidden(counts.hidden)}</li>
          </ul>`
          : nothing
      }
      ${health ? html`<p>${health.stale ? messages.sourceStale : messages.sourceFresh}</p>` : nothing}
      <button
        class=${current ? '' : 'primary'}
        type="button"
        aria-current=${current ? 'true' : 'false'}
        @click=${() => fire(this, 'console-feed-chosen', { feedId: settings.id })}
      >
        ${messages.openFeed}<span class="visually-hidden"> ${settings.title}</span>
      </button>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-feed-picker': ConsoleFeedPicker;
  }
}

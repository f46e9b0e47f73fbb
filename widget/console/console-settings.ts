/**
 * <console-settings>: a feed's settings (admins), or a new feed's. What is
 * read (hashtags, accounts, event window), what is shown (languages, reposts,
 * replies) and how it is moderated. Where the current settings come from
 * (the config file or the console) is said first. The server validates; a
 * field it refuses gets its message right under it, and the focus.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ConsoleApi } from './api.js';
import { ApiError } from './api.js';
import type { FeedState, FeedSummary, Network } from './api-types.js';
import type { ConsoleConfirm } from './console-confirm.js';
import { consoleStyles } from './console.styles.js';
import { fire } from './events.js';
import { checkbox, focusFirstInvalid, radioGroup, textArea, textField } from './fields.js';
import { consoleMessages, describeError, formatWhen } from './i18n.js';
import type { ConsoleMessages, Locale } from './i18n.js';
import { emptyForm, fieldOfPath, formFromSettings, settingsFromForm } from './settings-form.js';
import type { SettingsField, SettingsForm } from './settings-form.js';

const STATES: FeedState[] = ['active', 'paused', 'archived'];

/**
 * @fires console-feeds-changed - A feed was created, or its settings or state saved. `detail`: `{ feedId, settings? }`.
 */
export class ConsoleSettings extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      .origin {
        margin-bottom: 1rem;
      }
      .save {
        width: 100%;
      }
      .two {
        display: grid;
        gap: 0 1rem;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
      }
      .state {
        margin-top: 1.5rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ConsoleApi;
  /** The feed to edit; undefined to create one. */
  @property({ attribute: false }) feed: FeedSummary | undefined;
  @property() locale: Locale = 'fr';
  /** The clock, for "il y a 5 min". */
  @property({ attribute: false }) now: () => number = () => Date.now();

  @state() private form: SettingsForm = emptyForm();
  @state() private errors: Partial<Record<SettingsField, string>> = {};
  @state() private formError = '';
  @state() private saved = '';
  @state() private busy = false;

  @query('console-confirm') private confirm!: ConsoleConfirm;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('feed')) {
      const previous = changed.get('feed') as FeedSummary | undefined;
      // A new copy of the same feed (the list was reloaded) keeps what is being typed.
      if (!previous || previous.settings.id !== this.feed?.settings.id) {
        this.form = this.feed ? formFromSettings(this.feed.settings) : emptyForm();
        this.errors = {};
        this.formError = '';
      }
    }
  }

  protected override render(): TemplateResult {
    const messages = consoleMessages(this.locale);
    const feed = this.feed;
    return html`
      ${feed ? this.renderOrigin(feed, messages) : nothing}
      <p class="hint" role="status">${this.saved}</p>
      <form @submit=${this.save} novalidate>
        <p class="error" role="alert">${this.formError}</p>
        ${this.renderGeneral(messages)} ${this.renderReading(messages)} ${this.renderDisplay(messages)}
        ${this.renderModeration(messages)}
        <button class="primary save" type="submit" ?disabled=${this.busy}>
          ${feed ? messages.saveSettings : messages.createFeed}
        </button>
      </form>
      ${feed ? this.renderState(feed, messages) : nothing}
      <console-confirm></console-confirm>
    `;
  }

  private renderOrigin(feed: FeedSummary, messages: ConsoleMessages): TemplateResult {
    const when = feed.updatedAt ? formatWhen(feed.updatedAt, this.locale, this.now()) : '';
    return html`<section class="card origin" aria-labelledby="origin-title">
      <h2 id="origin-title">${messages.originTitle}</h2>
      <p>${feed.origin === 'file' ? messages.originFile : messages.originConsole}</p>
      ${
        feed.fileAppliedAt
          ? html`<p class="notice">${messages.fileApplied(formatWhen(feed.fileAppliedAt, this.locale, this.now()))}</p>`
          : nothing
      }
      ${when ? html`<p class="hint">${messages.lastChange(when, feed.updatedBy ?? '')}</p>` : nothing}
    </section>`;
  }

  private set<K extends keyof SettingsForm>(key: K) {
    return (value: SettingsForm[K]) => {
      this.form = { ...this.form, [key]: value };
    };
  }

  private renderGeneral(messages: ConsoleMessages): TemplateResult {
    const creating = !this.feed;
    const network = this.form.sources[0]?.network ?? 'x';
    return html`<fieldset>
      <legend>${messages.sectionGeneral}</legend>
      ${textField({ id: 'title', label: messages.feedTitle, value: this.form.title, maxlength: 200, required: true, error: this.errors.title, onInput: this.set('title') })}
      ${
        creating
          ? html`${textField({ id: 'id', label: messages.feedId, hint: messages.feedIdHint, value: this.form.id, required: true, error: this.errors.id, onInput: this.set('id') })}
            ${radioGroup<Network>({
              id: 'network',
              label: messages.network,
              value: network,
              choices: [
                { value: 'x', label: messages.networks.x },
                { value: 'demo', label: messages.networks.demo },
              ],
              onChange: (value) =>
                (this.form = {
                  ...this.form,
                  sources: [{ network: value, accounts: this.form.sources[0]?.accounts ?? '' }],
                }),
            })}`
          : nothing
      }
      ${textField({ id: 'organiserName', label: messages.organiserName, hint: messages.organiserNameHint, value: this.form.organiserName, maxlength: 100, error: this.errors.organiserName, onInput: this.set('organiserName') })}
      ${textField({ id: 'lang', label: messages.feedLang, hint: messages.feedLangHint, value: this.form.lang, error: this.errors.lang, onInput: this.set('lang') })}
    </fieldset>`;
  }

  private renderReading(messages: ConsoleMessages): TemplateResult {
    return html`<fieldset>
      <legend>${messages.sectionReading}</legend>
      ${textArea({ id: 'hashtags', label: messages.hashtags, hint: messages.hashtagsHint, value: this.form.hashtags, rows: 2, error: this.errors.hashtags, onInput: this.set('hashtags') })}
      ${this.form.sources.map((source, index) =>
        textArea({
          id: `sources-${index}`,
          label: messages.accountsOf(messages.networks[source.network] ?? source.network),
          hint: messages.accountsHint,
          value: source.accounts,
          rows: 3,
          error: this.errors[`sources-${index}`],
          onInput: (value) => {
            const sources = this.form.sources.map((s, i) => (i === index ? { ...s, accounts: value } : s));
            this.form = { ...this.form, sources };
          },
        }),
      )}
      <div class="two">
        ${textField({ id: 'windowStart', type: 'datetime-local', label: messages.windowStart, value: this.form.windowStart, error: this.errors.windowStart, onInput: this.set('windowStart') })}
        ${textField({ id: 'windowEnd', type: 'datetime-local', label: messages.windowEnd, value: this.form.windowEnd, error: this.errors.windowEnd, onInput: this.set('windowEnd') })}
      </div>
      <p class="hint">${messages.windowHint}</p>
    </fieldset>`;
  }

  private renderDisplay(messages: ConsoleMessages): TemplateResult {
    return html`<fieldset>
      <legend>${messages.sectionDisplay}</legend>
      ${textField({ id: 'languages', label: messages.languages, hint: messages.languagesHint, value: this.form.languages, error: this.errors.languages, onInput: this.set('languages') })}
      ${checkbox({ id: 'reposts', label: messages.showReposts, checked: this.form.reposts, error: this.errors.reposts, onChange: this.set('reposts') })}
      ${checkbox({ id: 'replies', label: messages.showReplies, checked: this.form.replies, error: this.errors.replies, onChange: this.set('replies') })}
      ${textArea({ id: 'allowedOrigins', label: messages.allowedOrigins, hint: messages.allowedOriginsHint, value: this.form.allowedOrigins, rows: 2, error: this.errors.allowedOrigins, onInput: this.set('allowedOrigins') })}
    </fieldset>`;
  }

  private renderModeration(messages: ConsoleMessages): TemplateResult {
    const form = this.form;
    return html`<fieldset>
      <legend>${messages.sectionModeration}</legend>
      ${radioGroup({
        id: 'mode',
        label: messages.moderationMode,
        value: form.mode,
        error: this.errors.mode,
        choices: [
          { value: 'post', label: messages.modePost, hint: messages.modePostHint },
          { value: 'pre', label: messages.modePre, hint: messages.modePreHint },
        ],
        onChange: this.set('mode'),
      })}
      ${textArea({ id: 'trustedAccounts', label: messages.trustedAccounts, hint: messages.trustedAccountsHint, value: form.trustedAccounts, rows: 3, error: this.errors.trustedAccounts, onInput: this.set('trustedAccounts') })}
      ${textArea({ id: 'blockedAccounts', label: messages.blockedAccounts, hint: messages.accountsHint, value: form.blockedAccounts, rows: 3, error: this.errors.blockedAccounts, onInput: this.set('blockedAccounts') })}
      ${textArea({ id: 'blockedTerms', label: messages.blockedTerms, hint: messages.blockedTermsHint, value: form.blockedTerms, rows: 4, error: this.errors.blockedTerms, onInput: this.set('blockedTerms') })}
      ${radioGroup({
        id: 'sensitiveMedia',
        label: messages.sensitiveMedia,
        value: form.sensitiveMedia,
        error: this.errors.sensitiveMedia,
        choices: [
          { value: 'blur', label: messages.sensitiveBlur },
          { value: 'hold', label: messages.sensitiveHold },
        ],
        onChange: this.set('sensitiveMedia'),
      })}
      ${textField({ id: 'minAccountAgeDays', type: 'number', inputmode: 'numeric', min: 1, max: 3650, label: messages.minAccountAge, hint: messages.minAccountAgeHint, value: form.minAccountAgeDays, error: this.errors.minAccountAgeDays, onInput: this.set('minAccountAgeDays') })}
    </fieldset>`;
  }

  private renderState(feed: FeedSummary, messages: ConsoleMessages): TemplateResult {
    const current = feed.settings.state;
    return html`<section class="card state" aria-labelledby="state-title">
      <h2 id="state-title">${messages.feedState}</h2>
      <p>${messages.feedStateNow(messages.feedStates[current])}</p>
      <p class="hint">${messages.feedStateHint}</p>
      <p class="field-error" id="state-error">${this.errors.state ?? ''}</p>
      <div class="actions">
        ${STATES.filter((s) => s !== current).map(
          (
            target,
          ) => html`<button type="button" class=${target === 'archived' ? 'danger' : ''} ?disabled=${this.busy} @click=${() => void this.changeState(target)}>
            ${messages.stateActions[target]}
          </button>`,
        )}
      </div>
    </section>`;
  }

  private readonly save = async (event: Event): Promise<void> => {
    event.preventDefault();
    const messages = consoleMessages(this.locale);
    const settings = settingsFromForm(this.form, this.feed?.settings);
    await this.send(async () => {
      if (this.feed) await this.api.updateFeed(this.feed.settings.id, settings);
      else await this.api.createFeed(settings);
      this.saved = this.feed ? messages.settingsSaved : messages.feedCreated;
      fire(this, 'console-feeds-changed', { feedId: settings.id, settings });
    });
  };

  private async changeState(target: FeedState): Promise<void> {
    const feed = this.feed;
    if (!feed) return;
    const messages = consoleMessages(this.locale);
    if (target === 'archived') {
      const yes = await this.confirm.ask({
        title: messages.archiveTitle,
        text: messages.archiveText(feed.settings.title),
        confirm: messages.stateActions.archived,
        cancel: messages.cancel,
        danger: true,
      });
      if (!yes) return;
    }
    await this.send(async () => {
      await this.api.setFeedState(feed.settings.id, target);
      this.saved = messages.feedStateNow(messages.feedStates[target]);
      fire(this, 'console-feeds-changed', { feedId: feed.settings.id });
    });
  }

  /** Sends; a refused field gets its message and the focus, anything else a message above the form. */
  private async send(run: () => Promise<void>): Promise<void> {
    const messages = consoleMessages(this.locale);
    this.busy = true;
    this.errors = {};
    this.formError = '';
    this.saved = '';
    try {
      await run();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const place = error.field ? fieldOfPath(error.field) : undefined;
      if (place) {
        const reason = place.item === undefined ? error.reason : messages.itemError(place.item + 1, error.reason);
        this.errors = { [place.field]: reason };
      } else {
        this.formError = describeError(error, messages);
      }
      await this.updateComplete;
      if (place) focusFirstInvalid(this.renderRoot);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-settings': ConsoleSettings;
  }
}

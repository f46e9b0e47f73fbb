/**
 * <console-users>: organisers' accounts, for admins. List them; add one;
 * change a role; disable or enable; set a new password. The server keeps the
 * last admin from being demoted or disabled, and says so.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { ConsoleApi, ConsoleEnvironment } from './api.js';
import { ApiError } from './api.js';
import type { AccountChanges, OrganiserAccount, Role } from './api-types.js';
import { consoleStyles } from './console.styles.js';
import { focusFirstInvalid, radioGroup, textField } from './fields.js';
import { consoleMessages, describeError, formatWhen } from './i18n.js';
import type { ConsoleMessages, Locale } from './i18n.js';
import { Loader, renderLoaded } from './loader.js';

type NewField = 'username' | 'displayName' | 'role' | 'password';

const EMPTY = { username: '', displayName: '', role: 'moderator' as Role, password: '' };

export class ConsoleUsers extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      .account {
        display: grid;
        gap: 0.5rem;
      }
      .account.disabled h3 {
        color: var(--c-muted);
      }
      .add {
        margin-top: 1.5rem;
      }
      .password {
        display: grid;
        gap: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ConsoleApi;
  @property({ attribute: false }) environment!: ConsoleEnvironment;
  @property() locale: Locale = 'fr';
  /** The signed-in organiser. */
  @property() username = '';

  @state() private draft = { ...EMPTY };
  @state() private errors: Partial<Record<NewField, string>> = {};
  @state() private status = '';
  @state() private error = '';
  /** Whose new-password field is open, and what is typed in it. */
  @state() private passwordFor: string | undefined;
  @state() private newPassword = '';
  @state() private passwordError = '';

  private readonly loader = new Loader<OrganiserAccount[]>(this, () => this.api.users());

  protected override render(): TemplateResult {
    const messages = consoleMessages(this.locale);
    return html`
      <p class="hint" role="status">${this.status}</p>
      <p class="error" role="alert">${this.error}</p>
      ${renderLoaded(this.loader, messages, (users) => html`<ul class="stack">${users.map((user) => this.renderUser(user, messages))}</ul>`)}
      ${this.renderAdd(messages)}
    `;
  }

  private renderUser(user: OrganiserAccount, messages: ConsoleMessages): TemplateResult {
    const disabled = user.disabledAt !== null;
    const who = user.displayName || user.username;
    const now = this.environment.now();
    const editing = this.passwordFor === user.username;
    return html`<li class="card account ${disabled ? 'disabled' : ''}" data-username=${user.username}>
      <h3>${who}${user.username === this.username ? html` <span class="hint">${messages.you}</span>` : nothing}</h3>
      <p class="hint">
        ${user.username} · ${messages.roles[user.role]} ·
        ${disabled ? messages.disabledSince(formatWhen(user.disabledAt!, this.locale, now)) : messages.enabled}
      </p>
      <div class="field">
        <label for="role-${user.username}">${messages.role}</label>
        <select id="role-${user.username}" @change=${(e: Event) => void this.change(user, { role: (e.target as HTMLSelectElement).value as Role })}>
          ${(['admin', 'moderator'] as Role[]).map((role) => html`<option value=${role} .selected=${live(role === user.role)}>${messages.roles[role]}</option>`)}
        </select>
      </div>
      ${
        editing
          ? html`<form class="password" @submit=${(e: Event) => this.setPassword(e, user)} novalidate>
            ${textField({
              id: `password-${user.username}`,
              label: messages.newPasswordFor(who),
              hint: messages.passwordHint,
              type: 'password',
              autocomplete: 'new-password',
              minlength: 12,
              value: this.newPassword,
              error: this.passwordError,
              onInput: (value) => (this.newPassword = value),
            })}
            <div class="actions">
              <button type="button" @click=${() => (this.passwordFor = undefined)}>${messages.cancel}</button>
              <button class="primary" type="submit">${messages.savePassword}</button>
            </div>
          </form>`
          : nothing
      }
      <div class="actions">
        ${editing ? nothing : html`<button type="button" @click=${() => void this.openPassword(user)}>${messages.changePassword}<span class="visually-hidden"> ${who}</span></button>`}
        <button type="button" class=${disabled ? 'primary' : 'danger'} @click=${() => void this.change(user, { disabled: !disabled })}>
          ${disabled ? messages.enable : messages.disable}<span class="visually-hidden"> ${who}</span>
        </button>
      </div>
    </li>`;
  }

  private renderAdd(messages: ConsoleMessages): TemplateResult {
    const set = (field: NewField) => (value: string) => (this.draft = { ...this.draft, [field]: value });
    return html`<form class="card add" @submit=${this.add} novalidate aria-labelledby="add-title">
      <h2 id="add-title">${messages.addAccount}</h2>
      ${textField({ id: 'username', label: messages.username, hint: messages.usernameHint, value: this.draft.username, autocomplete: 'off', required: true, error: this.errors.username, onInput: set('username') })}
      ${textField({ id: 'displayName', label: messages.displayName, value: this.draft.displayName, autocomplete: 'off', error: this.errors.displayName, onInput: set('displayName') })}
      ${radioGroup<Role>({
        id: 'role',
        label: messages.role,
        value: this.draft.role,
        error: this.errors.role,
        choices: [
          { value: 'moderator', label: messages.roles.moderator, hint: messages.roleHints.moderator },
          { value: 'admin', label: messages.roles.admin, hint: messages.roleHints.admin },
        ],
        onChange: (role) => (this.draft = { ...this.draft, role }),
      })}
      ${textField({ id: 'password', label: messages.password, hint: messages.passwordHint, type: 'password', autocomplete: 'new-password', minlength: 12, value: this.draft.password, required: true, error: this.errors.password, onInput: set('password') })}
      <button class="primary" type="submit">${messages.addAccountButton}</button>
    </form>`;
  }

  private readonly add = async (event: Event): Promise<void> => {
    event.preventDefault();
    const messages = consoleMessages(this.locale);
    const { username, displayName, role, password } = this.draft;
    this.errors = {};
    this.error = '';
    try {
      await this.api.addUser({
        username: username.trim(),
        role,
        password,
        ...(displayName.trim() ? { displayName } : {}),
      });
      this.draft = { ...EMPTY };
      this.status = messages.accountAdded(username.trim());
      await this.loader.reload();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const field = error.field as NewField | undefined;
      if (field && field in EMPTY) this.errors = { [field]: error.reason };
      else this.error = describeError(error, messages);
      await this.updateComplete;
      focusFirstInvalid(this.renderRoot.querySelector('form.add') ?? this.renderRoot);
    }
  };

  private async openPassword(user: OrganiserAccount): Promise<void> {
    this.passwordFor = user.username;
    this.newPassword = '';
    this.passwordError = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#password-${CSS.escape(user.username)}`)?.focus();
  }

  private async setPassword(event: Event, user: OrganiserAccount): Promise<void> {
    event.preventDefault();
    const messages = consoleMessages(this.locale);
    try {
      await this.api.changeUser(user.username, { password: this.newPassword });
      this.passwordFor = undefined;
      this.newPassword = '';
      this.status = messages.passwordChanged(user.displayName || user.username);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.passwordError = error.field === 'password' ? error.reason : describeError(error, messages);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>(`#password-${CSS.escape(user.username)}`)?.focus();
    }
  }

  private async change(user: OrganiserAccount, changes: AccountChanges): Promise<void> {
    const messages = consoleMessages(this.locale);
    this.error = '';
    this.status = '';
    try {
      const updated = await this.api.changeUser(user.username, changes);
      this.status = messages.accountChanged(updated.displayName || updated.username);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.error = describeError(error, messages);
    }
    // The list as the server has it (a refused change puts the select back).
    await this.loader.reload();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-users': ConsoleUsers;
  }
}

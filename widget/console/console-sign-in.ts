/**
 * <console-sign-in>: signing in, and creating the first admin account with
 * the server's ADMIN_TOKEN while no account exists.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ConsoleApi } from './api.js';
import { ApiError } from './api.js';
import type { SetupStatus, SignedInUser } from './api-types.js';
import { consoleStyles } from './console.styles.js';
import { fire } from './events.js';
import { checkbox, focusFirstInvalid, textField } from './fields.js';
import { consoleMessages, describeError } from './i18n.js';
import type { ConsoleMessages, Locale } from './i18n.js';
import { Loader } from './loader.js';

type SetupField = 'token' | 'username' | 'displayName' | 'password';

/**
 * @fires console-signed-in - Signed in, or the first admin was created. `detail`: `{ user }`.
 */
export class ConsoleSignIn extends LitElement {
  static override styles = consoleStyles;

  @property({ attribute: false }) api!: ConsoleApi;
  @property() locale: Locale = 'fr';
  /** A word before the form, e.g. "Votre session a pris fin". */
  @property() notice = '';

  @state() private username = '';
  @state() private password = '';
  @state() private showPassword = false;
  @state() private setupInput: Record<SetupField, string> = { token: '', username: '', displayName: '', password: '' };
  @state() private error = '';
  @state() private fieldErrors: Partial<Record<SetupField, string>> = {};
  @state() private busy = false;

  private readonly setup = new Loader<SetupStatus>(this, () => this.api.setupStatus());

  protected override render(): TemplateResult {
    const messages = consoleMessages(this.locale);
    const status = this.setup.value;
    const firstAdmin = status?.needsFirstAdmin === true && status.tokenConfigured;
    return html`
      ${this.notice ? html`<p class="notice">${this.notice}</p>` : nothing}
      <p class="error" role="alert">${this.error}</p>
      ${firstAdmin ? this.renderSetup(messages) : this.renderLogin(messages)}
      ${
        status?.needsFirstAdmin && !status.tokenConfigured
          ? html`<p class="hint">${messages.noAccountYet}</p>
            <pre class="hint">npm run admin -- add-user marie --role admin</pre>`
          : nothing
      }
    `;
  }

  private renderLogin(messages: ConsoleMessages): TemplateResult {
    return html`<form class="card" @submit=${this.signIn} novalidate>
      ${textField({
        id: 'username',
        label: messages.username,
        value: this.username,
        autocomplete: 'username',
        required: true,
        onInput: (value) => (this.username = value),
      })}
      ${textField({
        id: 'password',
        label: messages.password,
        type: this.showPassword ? 'text' : 'password',
        value: this.password,
        autocomplete: 'current-password',
        required: true,
        onInput: (value) => (this.password = value),
      })}
      ${checkbox({
        id: 'show-password',
        label: messages.showPassword,
        checked: this.showPassword,
        onChange: (checked) => (this.showPassword = checked),
      })}
      <button class="primary wide" type="submit" ?disabled=${this.busy}>${messages.signIn}</button>
    </form>`;
  }

  private renderSetup(messages: ConsoleMessages): TemplateResult {
    const input = this.setupInput;
    const set = (field: SetupField) => (value: string) => (this.setupInput = { ...this.setupInput, [field]: value });
    return html`<form class="card" @submit=${this.createFirstAdmin} novalidate>
      <h2>${messages.firstAdminTitle}</h2>
      <p class="hint">${messages.firstAdminHint}</p>
      ${textField({
        id: 'token',
        label: messages.adminToken,
        type: 'password',
        value: input.token,
        autocomplete: 'off',
        required: true,
        error: this.fieldErrors.token,
        onInput: set('token'),
      })}
      ${textField({
        id: 'username',
        label: messages.username,
        hint: messages.usernameHint,
        value: input.username,
        autocomplete: 'username',
        required: true,
        error: this.fieldErrors.username,
        onInput: set('username'),
      })}
      ${textField({
        id: 'displayName',
        label: messages.displayName,
        value: input.displayName,
        autocomplete: 'name',
        error: this.fieldErrors.displayName,
        onInput: set('displayName'),
      })}
      ${textField({
        id: 'password',
        label: messages.newPassword,
        hint: messages.passwordHint,
        type: this.showPassword ? 'text' : 'password',
        value: input.password,
        autocomplete: 'new-password',
        minlength: 12,
        required: true,
        error: this.fieldErrors.password,
        onInput: set('password'),
      })}
      ${checkbox({
        id: 'show-password',
        label: messages.showPassword,
        checked: this.showPassword,
        onChange: (checked) => (this.showPassword = checked),
      })}
      <button class="primary wide" type="submit" ?disabled=${this.busy}>${messages.createFirstAdmin}</button>
    </form>`;
  }

  private readonly signIn = async (event: Event): Promise<void> => {
    event.preventDefault();
    const messages = consoleMessages(this.locale);
    if (!this.username || !this.password) {
      this.error = messages.fillBoth;
      return;
    }
    await this.submit(
      () => this.api.login(this.username.trim(), this.password),
      (error) => (error.status === 401 ? messages.loginFailed : describeError(error, messages)),
      () => this.renderRoot.querySelector<HTMLInputElement>('#password')?.select(),
    );
  };

  private readonly createFirstAdmin = async (event: Event): Promise<void> => {
    event.preventDefault();
    const messages = consoleMessages(this.locale);
    const { token, username, displayName, password } = this.setupInput;
    await this.submit(
      () =>
        this.api.setup({ token, username: username.trim(), password, ...(displayName.trim() ? { displayName } : {}) }),
      (error) => {
        const field = error.field as SetupField | undefined;
        if (field && field in this.setupInput) {
          this.fieldErrors = { [field]: error.reason };
          return '';
        }
        if (error.status === 403) this.fieldErrors = { token: error.message };
        return error.status === 403 ? '' : describeError(error, messages);
      },
      () => focusFirstInvalid(this.renderRoot),
    );
  };

  /** Sends, then either tells the console who signed in, or shows what went wrong. */
  private async submit(
    send: () => Promise<SignedInUser>,
    explain: (error: ApiError) => string,
    refocus: () => void,
  ): Promise<void> {
    this.busy = true;
    this.error = '';
    this.fieldErrors = {};
    try {
      const user = await send();
      this.password = '';
      this.setupInput = { token: '', username: '', displayName: '', password: '' };
      fire(this, 'console-signed-in', { user });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.error = explain(error);
      await this.updateComplete;
      refocus();
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-sign-in': ConsoleSignIn;
  }
}

/**
 * <commune-console>: the organisers' console at `/admin`. Sign in; choose a
 * feed; moderate its live queue; write announcements and raise an urgent
 * alert; read the audit log; see the sources' state; and, for admins, the
 * feed's settings and the organisers' accounts. French first, English with
 * the language switch. One hand on a phone, or a desk.
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { browserEnvironment } from '../feed-connection.js';
import { ApiError, ConsoleApi } from './api.js';
import type { ConsoleEnvironment } from './api.js';
import type { FeedSummary, SignedInUser } from './api-types.js';
import { shellStyles } from './commune-console.styles.js';
import { consoleStyles } from './console.styles.js';
import { canOpen, renderBottomBar, renderSideNav, screenOfHash } from './console-nav.js';
import type { NavContext, Screen } from './console-nav.js';
import { consoleMessages, describeError, resolveLocale } from './i18n.js';
import type { ConsoleMessages, Locale } from './i18n.js';
import { Loader, renderLoaded } from './loader.js';

/** Where the console remembers the organiser's language and feed (this browser only). */
const LANGUAGE_KEY = 'commune-console.lang';
const FEED_KEY = 'commune-console.feed';

function remembered(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private browsing may refuse: the console then forgets at the next visit.
  }
}

export class CommuneConsole extends LitElement {
  static override styles = [consoleStyles, shellStyles];

  /** Browser services (fetch, EventSource, clock, timers). Tests replace it with fakes. */
  static environment: ConsoleEnvironment = browserEnvironment;

  @state() private phase: 'starting' | 'signed-out' | 'signed-in' | 'unreachable' = 'starting';
  @state() private user: SignedInUser | undefined;
  @state() private locale: Locale = resolveLocale(remembered(LANGUAGE_KEY) ?? document.documentElement.lang);
  @state() private screen: Screen = 'feeds';
  @state() private feedId = remembered(FEED_KEY) ?? '';
  @state() private menuOpen = false;
  @state() private notice = '';
  @state() private networkNotice = '';
  @state() private startError: ApiError | undefined;

  readonly api = new ConsoleApi(() => CommuneConsole.environment, {
    onUnauthorized: () => this.signedOut(this.phase === 'signed-in' ? this.messages.sessionEnded : ''),
    onRetry: (_attempt, delay) => (this.networkNotice = this.messages.retrying(Math.ceil(delay / 1000))),
    onRecovered: () => (this.networkNotice = ''),
  });

  private readonly feeds = new Loader<FeedSummary[]>(this, () =>
    this.phase === 'signed-in' ? this.api.feeds().then((feeds) => this.pickFeed(feeds)) : undefined,
  );

  constructor() {
    super();
    this.addEventListener('console-signed-in', (event) => void this.signedIn(event.detail.user));
    this.addEventListener('console-feed-chosen', (event) => this.choose(event.detail.feedId));
    this.addEventListener('console-new-feed', () => this.navigate('new-feed'));
    this.addEventListener('console-feeds-changed', (event) => void this.feedsChanged(event.detail.feedId));
    this.addEventListener('keydown', this.closeMenuOnEscape);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.route);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.route);
  }

  protected override render(): TemplateResult {
    const messages = this.messages;
    if (this.phase !== 'signed-in' || !this.user) return this.renderStart(messages);
    const feed = this.currentFeed;
    const nav: NavContext = {
      messages,
      locale: this.locale,
      screen: this.screen,
      role: this.user.role,
      hasFeed: Boolean(feed),
      who: this.user.displayName || this.user.username,
      menuOpen: this.menuOpen,
      onToggleMenu: () => (this.menuOpen = !this.menuOpen),
      onNavigate: () => (this.menuOpen = false),
      onLanguage: this.switchLanguage,
      onSignOut: () => void this.signOut(),
    };
    return html`<div class="shell" lang=${this.locale}>
      <header class="top">
        <button class="skip" type="button" @click=${() => this.focusHeading()}>${messages.skipToContent}</button>
        <p class="brand">${messages.consoleName}</p>
        ${feed ? html`<p class="current-feed">${feed.settings.title}</p>` : nothing}
      </header>
      ${renderSideNav(nav)}
      <main>
        <h1 tabindex="-1">${messages.screens[this.screen]}</h1>
        <p class="error" role="alert">${this.networkNotice}</p>
        ${this.renderScreen(messages, feed)}
      </main>
      ${renderBottomBar(nav)}
    </div>`;
  }

  protected override updated(): void {
    // The page speaks the console's language (the screen reader's voice follows it).
    document.documentElement.lang = this.locale;
  }

  private renderStart(messages: ConsoleMessages): TemplateResult {
    const other: Locale = this.locale === 'fr' ? 'en' : 'fr';
    return html`<div class="shell" lang=${this.locale}>
      <header class="top">
        <p class="brand">${messages.consoleName}</p>
        <button type="button" lang=${other} @click=${this.switchLanguage}>${messages.otherLanguage}</button>
      </header>
      <main class="start">
        <h1 tabindex="-1">${messages.signInTitle}</h1>
        <p class="error" role="alert">${this.networkNotice}</p>
        ${
          this.phase === 'signed-out'
            ? html`<console-sign-in .api=${this.api} locale=${this.locale} notice=${this.notice}></console-sign-in>`
            : this.phase === 'unreachable' && this.startError
              ? html`<p class="error">${describeError(this.startError, messages)}</p>
                <button type="button" @click=${() => void this.start()}>${messages.retry}</button>`
              : html`<p class="hint" aria-busy="true">${messages.loading}</p>`
        }
      </main>
    </div>`;
  }

  private renderScreen(messages: ConsoleMessages, feed: FeedSummary | undefined): TemplateResult | typeof nothing {
    const common = { api: this.api, environment: CommuneConsole.environment, locale: this.locale };
    const feedId = feed?.settings.id ?? '';
    switch (this.screen) {
      case 'feeds':
        return renderLoaded(
          this.feeds,
          messages,
          (feeds) => html`<console-feed-picker
            .feeds=${feeds}
            current-feed=${feedId}
            ?admin=${this.user?.role === 'admin'}
            locale=${this.locale}
          ></console-feed-picker>`,
        );
      case 'new-feed':
        return html`<console-settings .api=${this.api} .feed=${undefined} .now=${common.environment.now} locale=${this.locale}></console-settings>`;
      case 'settings':
        return html`<console-settings .api=${this.api} .feed=${feed} .now=${common.environment.now} locale=${this.locale}></console-settings>`;
      case 'queue':
        return html`<console-queue .api=${this.api} .environment=${common.environment} feed-id=${feedId} locale=${this.locale}></console-queue>`;
      case 'announcements':
        return html`<console-announcements
          .api=${this.api}
          .environment=${common.environment}
          feed-id=${feedId}
          organiser-name=${feed?.settings.organiserName ?? ''}
          locale=${this.locale}
        ></console-announcements>`;
      case 'alert':
        return html`<console-alert
          .api=${this.api}
          .environment=${common.environment}
          feed-id=${feedId}
          feed-title=${feed?.settings.title ?? ''}
          feed-lang=${feed?.settings.lang ?? 'fr'}
          locale=${this.locale}
        ></console-alert>`;
      case 'audit':
        return html`<console-audit .api=${this.api} .environment=${common.environment} feed-id=${feedId} locale=${this.locale}></console-audit>`;
      case 'sources':
        return html`<console-sources .api=${this.api} .environment=${common.environment} .feeds=${this.feeds.value ?? []} locale=${this.locale}></console-sources>`;
      case 'users':
        return html`<console-users .api=${this.api} .environment=${common.environment} username=${this.user?.username ?? ''} locale=${this.locale}></console-users>`;
    }
  }

  private get messages(): ConsoleMessages {
    return consoleMessages(this.locale);
  }

  private get currentFeed(): FeedSummary | undefined {
    return this.feeds.value?.find((feed) => feed.settings.id === this.feedId);
  }

  /** Who is signed in, if anyone: the session cookie is HttpOnly, only the server knows. */
  private async start(): Promise<void> {
    this.phase = 'starting';
    try {
      await this.signedIn(await this.api.session());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) return; // onUnauthorized showed the sign-in form.
      this.startError = error;
      this.phase = 'unreachable';
    }
  }

  private async signedIn(user: SignedInUser): Promise<void> {
    this.user = user;
    this.notice = '';
    this.phase = 'signed-in';
    this.screen = screenOfHash(location.hash) ?? 'queue';
    await this.feeds.reload();
    this.route();
  }

  private signedOut(notice: string): void {
    const wasSignedIn = this.phase === 'signed-in';
    this.phase = 'signed-out';
    this.user = undefined;
    this.notice = notice;
    this.menuOpen = false;
    this.feeds.value = undefined;
    this.setTitle(this.messages.signInTitle);
    if (wasSignedIn) void this.focusHeading();
  }

  private async signOut(): Promise<void> {
    try {
      await this.api.logout();
    } catch {
      // Signed out here anyway; the cookie expires by itself.
    }
    this.signedOut(this.messages.signedOut);
  }

  /** Keeps the feed the organiser chose if it still exists; with only one feed, that one. */
  private pickFeed(feeds: FeedSummary[]): FeedSummary[] {
    if (!feeds.some((feed) => feed.settings.id === this.feedId)) {
      this.feedId = feeds.length === 1 ? feeds[0]!.settings.id : '';
    }
    return feeds;
  }

  private choose(feedId: string): void {
    this.feedId = feedId;
    remember(FEED_KEY, feedId);
    this.navigate('queue');
  }

  private async feedsChanged(feedId: string): Promise<void> {
    const created = this.screen === 'new-feed';
    await this.feeds.reload();
    if (created) this.choose(feedId);
  }

  private navigate(screen: Screen): void {
    this.menuOpen = false;
    if (location.hash === `#/${screen}`) this.route();
    else location.hash = `#/${screen}`;
  }

  /** Opens the screen the location names, when the organiser may; else the nearest one. */
  private readonly route = (): void => {
    if (this.phase !== 'signed-in' || !this.user) return;
    const wanted = screenOfHash(location.hash) ?? this.screen;
    const hasFeed = Boolean(this.currentFeed);
    const screen = canOpen(wanted, this.user.role, hasFeed) ? wanted : hasFeed ? 'queue' : 'feeds';
    this.screen = screen;
    this.menuOpen = false;
    this.setTitle(this.messages.screens[screen]);
    void this.focusHeading();
  };

  private setTitle(screenTitle: string): void {
    document.title = `${screenTitle} — ${this.messages.consoleName}`;
  }

  private async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('main > h1')?.focus();
  }

  private readonly switchLanguage = (): void => {
    this.locale = this.locale === 'fr' ? 'en' : 'fr';
    remember(LANGUAGE_KEY, this.locale);
    this.setTitle(this.phase === 'signed-in' ? this.messages.screens[this.screen] : this.messages.signInTitle);
  };

  private readonly closeMenuOnEscape = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.menuOpen) return;
    this.menuOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('button.more')?.focus());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'commune-console': CommuneConsole;
  }
}

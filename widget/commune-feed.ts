/**
 * <commune-feed>: a live wall of a town's event posts.
 */
import { LitElement, html } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { AlertController } from './alert-banner.js';
import { ClockController } from './clock.js';
import { styles } from './commune-feed.styles.js';
import { fire } from './events.js';
import { FeedConnection, browserEnvironment } from './feed-connection.js';
import type { ConnectionState, FeedEnvironment } from './feed-connection.js';
import { FeedModel } from './feed-model.js';
import { maxPosts, positive, serverBase, toMode, toTheme } from './feed-settings.js';
import type { FeedMode, FeedTheme } from './feed-settings.js';
import { keepsPageContent, renderFeed } from './feed-view.js';
import { DEFAULT_LOCALE, messagesFor, resolveLocale } from './i18n.js';
import type { Locale } from './i18n.js';
import { LazyModule } from './lazy-module.js';
import type { ModuleLoader } from './lazy-module.js';
import { loadSanitizerChunk } from './sanitizer-loader.js';
import type { SanitizerLoader } from './sanitizer-loader.js';
import { TickerController } from './ticker-view.js';
import { WallController, loadWallChunk } from './wall-loader.js';
import type { WallMode } from './wall-loader.js';

export type { FeedMode, FeedTheme } from './feed-settings.js';

const DEFAULT_LIMIT = 50;
const DEFAULT_SPEED = 60;
const DEFAULT_INTERVAL = 8;

/**
 * A live wall of a town's event posts. Shows the feed's snapshot, then keeps
 * it up to date through Server-Sent Events, with reconnection and a polling
 * fallback. Three layouts: `list`, `ticker` and `wall`.
 *
 * Posts the organisers pinned come first, marked "Épinglé". Their own
 * announcements are marked "Annonce des organisateurs"; their formatting
 * needs the sanitizer, a second file loaded from the same server with the
 * first announcement that has any (plain text until then). The wall mode's
 * code is a file of its own too, loaded with the first `mode="wall"` (the
 * loading state shows meanwhile). An urgent alert
 * stands in a banner above every mode, announced at once to screen readers,
 * shown even while paused, until it expires or is withdrawn.
 *
 * Each post shows the network it was published on (X, Mastodon, Bluesky) and
 * links to the original. A post behind its author's content warning shows
 * the warning only; in the list a button opens it. The ticker and the wall,
 * where nobody clicks, never show what the warning covers.
 *
 * Content placed inside the tag (a link to the town's account, say) shows
 * until the element upgrades, and stays when JavaScript is off.
 *
 * Everything that moves or updates by itself can be paused with a visible
 * button; new posts are announced politely to screen readers, at most once
 * every 10 seconds. With `prefers-reduced-motion`, the ticker stops scrolling
 * and shows one post at a time with previous/next buttons.
 *
 * @tagname commune-feed
 *
 * @fires {CommuneFeedUpdateEvent} commune-feed-update - The posts, the alert, the feed's title or hashtags, or its status changed. `detail`: `{ reason, posts, stale, updatedAt, alert }`.
 * @fires {CommuneFeedErrorEvent} commune-feed-error - The snapshot or the event stream failed; the element retries by itself. `detail`: `{ error }`.
 * @fires {CommuneFeedPauseEvent} commune-feed-pause - The visitor paused or resumed with the button. `detail`: `{ paused }`.
 *
 * @slot - Shown until the first posts arrive, and without JavaScript: the server's HTML fragment (`/api/feeds/<feed>.html`), or a link.
 * @slot header - Replaces the default header (the feed title).
 * @slot empty - Shown instead of "Pas encore de publications" when the feed has no post.
 *
 * @csspart base - The outer box.
 * @csspart alert - The urgent alert banner, above every mode.
 * @csspart header - The default header.
 * @csspart title - The feed title.
 * @csspart clock - The clock on the wall.
 * @csspart controls - The row of the pause button and the new-posts button.
 * @csspart notice - Status notices: stale feed, reconnecting, offline.
 * @csspart posts - The list of posts.
 * @csspart post - One post (announcements included).
 * @csspart pinned - The "Épinglé" mark of a pinned post.
 * @csspart announcement - The "Annonce des organisateurs" mark of an announcement.
 * @csspart repost - The "Reposté par …" line.
 * @csspart author - Avatar, name and handle.
 * @csspart avatar - The author's picture (an icon for the organisers).
 * @csspart author-name - The author's display name.
 * @csspart handle - The @handle link.
 * @csspart text - The post text (an announcement's formatted text).
 * @csspart entity - A hashtag, mention or link inside the text (also `hashtag`, `mention`, `link`).
 * @csspart media - One image or video preview.
 * @csspart sensitive - The cover over sensitive media.
 * @csspart content-warning - The author's content warning, shown above the post it covers.
 * @csspart quoted - A quoted post.
 * @csspart meta - Network, time, "modifié" and source link.
 * @csspart network - The icon of the network the post was published on (named "Publié sur Mastodon").
 * @csspart time - The post time link.
 * @csspart edited - The "modifié" mark.
 * @csspart source-link - The "Voir sur X", "Voir sur Mastodon" or "Voir sur Bluesky" link.
 * @csspart button - Every button (also `pause`, `new-posts`, `reveal`, `open-warning`, `previous`, `next`).
 * @csspart empty - The default empty state.
 * @csspart loading - The loading state.
 * @csspart ticker - The ticker band.
 * @csspart ticker-post - One post in the ticker.
 * @csspart wall - The wall layout.
 * @csspart featured - The large post on the wall: the newest, or the one the organisers pinned.
 * @csspart cta - The wall's call to action.
 * @csspart qr-code - The QR code of the call to action.
 *
 * @cssproperty --commune-feed-background - Background colour.
 * @cssproperty --commune-feed-surface - Background of placeholders and avatars.
 * @cssproperty --commune-feed-text-color - Text colour.
 * @cssproperty --commune-feed-muted-color - Secondary text (handles, times).
 * @cssproperty --commune-feed-link-color - Link colour.
 * @cssproperty --commune-feed-accent-color - Button background.
 * @cssproperty --commune-feed-accent-text-color - Button text.
 * @cssproperty --commune-feed-border-color - Borders between posts.
 * @cssproperty --commune-feed-focus-color - Keyboard focus ring.
 * @cssproperty --commune-feed-notice-background - Background of status notices.
 * @cssproperty --commune-feed-notice-color - Text of status notices.
 * @cssproperty --commune-feed-highlight-background - Background of the newest post on the wall.
 * @cssproperty --commune-feed-alert-background - Background of the urgent alert banner.
 * @cssproperty --commune-feed-alert-color - Text of the urgent alert banner.
 * @cssproperty --commune-feed-font-family - Font family.
 * @cssproperty --commune-feed-font-size - Base font size (the wall scales it with the screen).
 * @cssproperty --commune-feed-radius - Corner radius.
 * @cssproperty --commune-feed-spacing - Space between and inside posts.
 * @cssproperty --commune-feed-avatar-size - Avatar size.
 */
export class CommuneFeed extends LitElement {
  static override styles = styles;

  /**
   * Browser services used by every instance (fetch, EventSource, clock,
   * timers). Tests replace it with fakes; pages never need to.
   */
  static environment: FeedEnvironment = browserEnvironment;

  /**
   * Fetches the announcements' sanitizer (a file of its own). Tests replace
   * it; pages never need to.
   */
  static loadSanitizer: SanitizerLoader = loadSanitizerChunk;

  /**
   * Fetches the wall mode's code (a file of its own). Tests replace it;
   * pages never need to.
   */
  static loadWall: ModuleLoader<WallMode> = loadWallChunk;

  /** Origin of the commune-feed server, e.g. `https://flux.ville.fr`; empty means the page's own origin. */
  @property({ reflect: true }) src = '';

  /** Identifier of the feed to show, e.g. `saint-etienne`. */
  @property({ reflect: true }) feed = '';

  /** Layout: `list` (a column of posts), `ticker` (a scrolling band) or `wall` (full screen). */
  @property({ reflect: true, converter: { fromAttribute: toMode } }) mode: FeedMode = 'list';

  /** Interface language, from the `lang` attribute: `fr` (default) or `en`. */
  @property({ attribute: 'lang', converter: { fromAttribute: resolveLocale } })
  locale: Locale = DEFAULT_LOCALE;

  /** Colour theme: `light` (default), `dark`, or `auto` to follow the system. */
  @property({ reflect: true, converter: { fromAttribute: toTheme } }) theme: FeedTheme = 'light';

  /** Most posts kept on the page; older ones are dropped. */
  @property({ type: Number }) limit = DEFAULT_LIMIT;

  /** Ticker speed, in pixels per second. */
  @property({ type: Number }) speed = DEFAULT_SPEED;

  /** Seconds between two pages of older posts on the wall. */
  @property({ type: Number }) interval = DEFAULT_INTERVAL;

  /**
   * Stops everything that moves or updates by itself: the ticker, the wall's
   * rotation, and changes to the list. The pause button toggles it.
   */
  @property({ type: Boolean, reflect: true }) paused = false;

  /** URL of the wall's QR code; by default, a new post on X with the feed's first hashtag. */
  @property({ attribute: 'cta-url' }) ctaUrl = '';

  /** IANA time zone for clock times (e.g. `Europe/Paris`); the visitor's own by default. */
  @property({ attribute: 'time-zone' }) timeZone: string | undefined;

  private readonly model = new FeedModel(this, {
    environment: () => CommuneFeed.environment,
    messages: () => messagesFor(this.locale),
    parts: () => ({ alerts: this.alerts, sanitizer: this.sanitizer }),
  });

  private readonly connection = new FeedConnection(this, {
    target: () => ({ src: this.src, feed: this.feed }),
    environment: () => CommuneFeed.environment,
    ...this.model.handlers,
  });

  private readonly clock = new ClockController(
    this,
    () => CommuneFeed.environment,
    () => this.mode === 'wall',
  );

  private readonly alerts = new AlertController(
    this,
    () => CommuneFeed.environment,
    () => this.model.changed('alert'),
  );

  private readonly sanitizer = new LazyModule(this, () => CommuneFeed.loadSanitizer);

  private readonly wall = new WallController(this, {
    loader: () => CommuneFeed.loadWall,
    environment: () => CommuneFeed.environment,
    active: () => this.mode === 'wall',
    rotation: () => ({
      running: this.isConnected && this.mode === 'wall' && !this.paused,
      postCount: this.model.held.visible().length,
      interval: positive(this.interval, DEFAULT_INTERVAL),
    }),
  });

  private readonly ticker = new TickerController(this, () => ({
    active: this.mode === 'ticker',
    speed: positive(this.speed, DEFAULT_SPEED),
    root: this.renderRoot,
  }));

  /** Where the live connection stands. */
  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.model.announcer.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const { held } = this.model;
    if ((changed.has('src') || changed.has('feed')) && this.hasUpdated) this.model.forget(this.paused);
    if (changed.has('limit') || changed.has('mode'))
      held.configure(this.mode === 'list', maxPosts(this.mode, this.limit, DEFAULT_LIMIT));
    if (changed.has('paused')) held.pause(this.paused);
    if (changed.has('mode')) {
      // What was on screen counts as seen when coming back to the list.
      held.seeAll();
      // The wall's clock ticks on the minute: restart the clock at once.
      if (this.hasUpdated) this.clock.restart();
    }
  }

  protected override render(): TemplateResult {
    const { model } = this;
    if (this.feed && keepsPageContent(this, model)) return html`<slot></slot>`;
    return renderFeed({
      feed: this.feed,
      mode: this.mode,
      model,
      locale: this.locale,
      timeZone: this.timeZone,
      messages: messagesFor(this.locale),
      now: this.clock.now,
      baseUrl: serverBase(this.src),
      sanitize: this.sanitizer.value,
      alert: this.alerts.alert,
      paused: this.paused,
      state: this.connection.state,
      liveMessage: model.liveMessage,
      ticker: this.ticker,
      wall: this.wall,
      ctaUrl: this.ctaUrl,
      onTogglePause: this.togglePause,
      onShowWaiting: this.showWaiting,
      requestUpdate: () => this.requestUpdate(),
    });
  }

  private readonly showWaiting = async (): Promise<void> => {
    const first = this.model.held.showWaiting();
    this.requestUpdate();
    await this.updateComplete;
    // The button is gone: focus goes to the newest of the posts it revealed.
    if (first) {
      this.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(first.id)}"]`)?.focus();
    }
  };

  private readonly togglePause = (): void => {
    this.paused = !this.paused;
    fire(this, 'commune-feed-pause', { paused: this.paused });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'commune-feed': CommuneFeed;
  }
}

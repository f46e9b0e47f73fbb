/**
 * <commune-feed>: a live wall of a town's event posts.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FeedInfo, FeedSnapshot, Post } from '../server/contract.js';
import { AlertController, renderAlertBanner } from './alert-banner.js';
import { hasMarkup } from './announcement-view.js';
import { NewPostAnnouncer } from './announcer.js';
import { ClockController, renderClock } from './clock.js';
import { styles } from './commune-feed.styles.js';
import { renderControls } from './controls-view.js';
import { fire } from './events.js';
import type { FeedUpdateReason } from './events.js';
import { FeedConnection, browserEnvironment } from './feed-connection.js';
import type { ConnectionState, FeedConnectionError, FeedEnvironment } from './feed-connection.js';
import { HeldPosts } from './held-posts.js';
import { DEFAULT_LOCALE, formatClockTime, messagesFor, resolveLocale } from './i18n.js';
import type { Locale, Messages } from './i18n.js';
import { renderList } from './list-view.js';
import { LazyModule } from './lazy-module.js';
import type { ModuleLoader } from './lazy-module.js';
import type { PostViewContext } from './post-view.js';
import { loadSanitizerChunk } from './sanitizer-loader.js';
import type { SanitizerLoader } from './sanitizer-loader.js';
import { TickerController, renderTicker } from './ticker-view.js';
import { WallController, loadWallChunk } from './wall-loader.js';
import type { WallMode } from './wall-loader.js';

/** How the feed is laid out. */
export type FeedMode = 'list' | 'ticker' | 'wall';

/** Colour theme; `auto` follows the visitor's system setting. */
export type FeedTheme = 'light' | 'dark' | 'auto';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** The ticker never holds more posts than this, whatever `limit` says. */
const TICKER_LIMIT = 20;
const DEFAULT_SPEED = 60;
const DEFAULT_INTERVAL = 8;

function toMode(value: string | null): FeedMode {
  return value === 'ticker' || value === 'wall' ? value : 'list';
}

function toTheme(value: string | null): FeedTheme {
  return value === 'dark' || value === 'auto' ? value : 'light';
}

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

  @state() private feedInfo: FeedInfo | undefined;
  @state() private stale = false;
  @state() private updatedAt = '';
  @state() private loaded = false;
  @state() private failed = false;
  @state() private liveMessage = '';

  private readonly held = new HeldPosts();
  /** The page's content inside the tag stood in for the first feed only: once taken over, never again. */
  private tookOver = false;

  private readonly connection = new FeedConnection(this, {
    target: () => ({ src: this.src, feed: this.feed }),
    environment: () => CommuneFeed.environment,
    onSnapshot: (snapshot) => this.applySnapshot(snapshot),
    onPost: (post) => this.applyPost(post),
    onRemove: ({ id }) => {
      if (this.held.remove(id)) this.changed('remove');
    },
    onStatus: (status) => {
      this.stale = status.stale;
      this.updatedAt = status.updatedAt;
      this.changed('status');
    },
    onAlert: ({ alert }) => {
      this.alerts.set(alert);
      this.changed('alert');
    },
    onFeed: (info) => {
      this.feedInfo = info;
      this.changed('feed');
    },
    onError: (error) => this.reportError(error),
  });

  private readonly clock = new ClockController(
    this,
    () => CommuneFeed.environment,
    () => this.mode === 'wall',
  );

  private readonly alerts = new AlertController(
    this,
    () => CommuneFeed.environment,
    () => this.changed('alert'),
  );

  private readonly sanitizer = new LazyModule(this, () => CommuneFeed.loadSanitizer);

  private readonly wall = new WallController(this, {
    loader: () => CommuneFeed.loadWall,
    environment: () => CommuneFeed.environment,
    active: () => this.mode === 'wall',
    rotation: () => ({
      running: this.isConnected && this.mode === 'wall' && !this.paused,
      postCount: this.held.visible().length,
      interval: Number(this.interval) > 0 ? Number(this.interval) : DEFAULT_INTERVAL,
    }),
  });

  private readonly ticker = new TickerController(this, () => ({
    active: this.mode === 'ticker',
    speed: Number(this.speed) > 0 ? Number(this.speed) : DEFAULT_SPEED,
    root: this.renderRoot,
  }));

  private readonly announcer = new NewPostAnnouncer(
    () => CommuneFeed.environment,
    (count) => {
      this.liveMessage = count > 0 ? this.messages.announceNewPosts(count) : '';
    },
  );

  /** Where the live connection stands. */
  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.announcer.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('src') || changed.has('feed')) && this.hasUpdated) {
      // Another feed: nothing of the previous one may stay on screen.
      this.held.clear(this.paused);
      this.feedInfo = undefined;
      this.loaded = false;
      this.failed = false;
      this.stale = false;
      this.alerts.set(null);
      this.announcer.stop();
    }
    if (changed.has('limit') || changed.has('mode')) this.held.configure(this.mode === 'list', this.maxPosts);
    if (changed.has('paused')) this.held.pause(this.paused);
    if (changed.has('mode')) {
      // What was on screen counts as seen when coming back to the list.
      this.held.seeAll();
      // The wall's clock ticks on the minute: restart the clock at once.
      if (this.hasUpdated) this.clock.restart();
    }
  }

  /**
   * Whether the page put content inside the tag for before the widget starts (the server's HTML
   * fragment, or a link): children that go in no named slot.
   */
  private hasFallback(): boolean {
    return this.querySelector(':scope > :not([slot])') !== null;
  }

  protected override render(): TemplateResult {
    const messages = this.messages;
    // Until the first snapshot, the page's own content stays exactly where it is (the HTML
    // fragment is the list drawn the same way): no loading state flashes, nothing moves.
    if (!this.loaded && !this.tookOver && this.feed && this.hasFallback()) return html`<slot></slot>`;
    const title = this.feedInfo?.title;
    return html`<section
      part="base"
      class="feed mode-${this.mode}"
      lang=${this.locale}
      aria-label=${title || messages.feedLabel}
    >
      ${renderAlertBanner(this.alerts.alert, messages, this.locale)}
      <slot name="header">
        ${
          title || this.mode === 'wall'
            ? html`<div part="header" class="header">
              ${title ? html`<h2 part="title" class="title">${title}</h2>` : nothing}
              ${this.mode === 'wall' ? renderClock(this.clock.now, this.locale, this.timeZone) : nothing}
            </div>`
            : nothing
        }
      </slot>
      ${
        this.loaded && this.held.live.length > 0
          ? renderControls({
              messages,
              paused: this.paused,
              waiting: this.mode === 'list' ? this.held.waiting() : 0,
              onTogglePause: this.togglePause,
              onShowWaiting: this.showWaiting,
            })
          : nothing
      }
      <p part="notice" class="notice" role="status">${this.noticeText(messages)}</p>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.liveMessage}</div>
      ${this.renderBody(messages)}
    </section>`;
  }

  private renderBody(messages: Messages): TemplateResult | typeof nothing {
    if (!this.feed) return nothing;
    if (!this.loaded) return this.renderLoading(messages, this.failed);
    const posts = this.held.visible();
    if (posts.length === 0) {
      return html`<slot name="empty"
        ><p part="empty" class="placeholder">${messages.empty}</p></slot
      >`;
    }
    const context: PostViewContext = {
      locale: this.locale,
      messages,
      now: this.clock.now,
      timeZone: this.timeZone,
      baseUrl: this.serverBase(),
      isRevealed: (id) => this.held.isRevealed(id),
      onReveal: (id) => {
        this.held.reveal(id);
        this.requestUpdate();
      },
      sanitize: this.sanitizer.value,
    };
    // Only the list opens content warnings: the ticker moves and nobody clicks a wall.
    if (this.mode === 'list') {
      context.isOpen = (id) => this.held.isOpen(id);
      context.onToggle = (id) => {
        this.held.toggleOpen(id);
        this.requestUpdate();
      };
    }
    if (this.mode === 'ticker') {
      return renderTicker({
        ...context,
        posts,
        manual: this.ticker.manual,
        index: this.ticker.index(posts),
        onPrevious: () => this.ticker.step(posts, -1),
        onNext: () => this.ticker.step(posts, 1),
      });
    }
    if (this.mode === 'wall') {
      const wall = this.wall.render({
        ...context,
        posts,
        hashtags: this.feedInfo?.hashtags ?? [],
        ctaUrl: this.ctaUrl,
      });
      return wall ?? this.renderLoading(messages, this.wall.failed);
    }
    return renderList(posts, context);
  }

  /** While the posts, or the code of the mode, are on their way; `failed` when they could not come. */
  private renderLoading(messages: Messages, failed: boolean): TemplateResult {
    return html`<p part="loading" class="placeholder" aria-busy="true">
      ${failed ? messages.loadError : messages.loading}
    </p>`;
  }

  private noticeText(messages: Messages): string {
    const state = this.connection.state;
    if (state === 'offline') return messages.offline;
    if (state === 'reconnecting' && this.loaded) return messages.reconnecting;
    if (this.stale && this.updatedAt) {
      return messages.staleSince(formatClockTime(new Date(this.updatedAt), this.locale, this.timeZone));
    }
    if (state === 'polling') return messages.polling;
    return '';
  }

  /** The feed server's root, against which relative URLs in posts resolve. */
  private serverBase(): string | undefined {
    try {
      const root = new URL(this.src.trim() || '/', location.href).href;
      return root.endsWith('/') ? root : `${root}/`;
    } catch {
      return undefined;
    }
  }

  private get messages(): Messages {
    return messagesFor(this.locale);
  }

  private get maxPosts(): number {
    const limit = Math.floor(Number(this.limit));
    const max = Number.isFinite(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : DEFAULT_LIMIT;
    return this.mode === 'ticker' ? Math.min(max, TICKER_LIMIT) : max;
  }

  private readonly showWaiting = async (): Promise<void> => {
    const first = this.held.showWaiting();
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

  private applySnapshot(snapshot: FeedSnapshot): void {
    const first = !this.loaded;
    this.feedInfo = snapshot.feed;
    this.stale = snapshot.stale;
    this.updatedAt = snapshot.updatedAt;
    this.loaded = true;
    this.tookOver = true;
    this.failed = false;
    this.alerts.set(snapshot.alert ?? null);
    const arrived = this.held.replace(snapshot.posts, first);
    if (!first) this.announcer.add(arrived);
    if (this.held.live.some(hasMarkup)) this.sanitizer.request();
    this.changed('snapshot');
  }

  private applyPost(post: Post): void {
    if (this.held.put(post)) this.announcer.add(1);
    if (hasMarkup(post)) this.sanitizer.request();
    this.changed('post');
  }

  /** Renders what changed, then tells the page. */
  private changed(reason: FeedUpdateReason): void {
    this.requestUpdate();
    fire(this, 'commune-feed-update', {
      reason,
      posts: this.held.live,
      stale: this.stale,
      updatedAt: this.updatedAt,
      alert: this.alerts.alert ?? null,
    });
  }

  private reportError(error: FeedConnectionError): void {
    if (!this.loaded && error.phase !== 'data') this.failed = true;
    fire(this, 'commune-feed-error', { error });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'commune-feed': CommuneFeed;
  }
}

/**
 * <commune-feed>: a live wall of a town's event posts.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { FeedInfo, FeedSnapshot, FeedStatus, Post, PostRemoval } from '../server/contract.js';
import { comparePosts } from '../server/post-order.js';
import { NewPostAnnouncer } from './announcer.js';
import { styles } from './commune-feed.styles.js';
import { FeedConnection, browserEnvironment } from './feed-connection.js';
import type { ConnectionState, FeedConnectionError, FeedEnvironment } from './feed-connection.js';
import { DEFAULT_LOCALE, formatClockTime, messagesFor, resolveLocale } from './i18n.js';
import type { Locale, Messages } from './i18n.js';
import { renderPost } from './post-view.js';
import type { PostViewContext } from './post-view.js';
import { renderTicker } from './ticker-view.js';
import { renderWall, wallPageCount } from './wall-view.js';

/** How the feed is laid out. */
export type FeedMode = 'list' | 'ticker' | 'wall';

/** Colour theme; `auto` follows the visitor's system setting. */
export type FeedTheme = 'light' | 'dark' | 'auto';

/** Why a `commune-feed-update` was fired. */
export type FeedUpdateReason = 'snapshot' | 'post' | 'remove' | 'status';

export interface CommuneFeedUpdateDetail {
  reason: FeedUpdateReason;
  /** The posts the element now holds, newest first (shown or waiting). */
  posts: readonly Post[];
  stale: boolean;
  /** ISO 8601 time of the feed's last refresh on the server. */
  updatedAt: string;
}

export interface CommuneFeedErrorDetail {
  error: FeedConnectionError;
}

export interface CommuneFeedPauseDetail {
  paused: boolean;
}

export type CommuneFeedUpdateEvent = CustomEvent<CommuneFeedUpdateDetail>;
export type CommuneFeedErrorEvent = CustomEvent<CommuneFeedErrorDetail>;
export type CommuneFeedPauseEvent = CustomEvent<CommuneFeedPauseDetail>;

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** The ticker never holds more posts than this, whatever `limit` says. */
const TICKER_LIMIT = 20;
const DEFAULT_SPEED = 60;
const DEFAULT_INTERVAL = 8;
/** How often relative times ("il y a 5 minutes") are refreshed. */
const CLOCK_TICK = 30_000;
const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

function toMode(value: string | null): FeedMode {
  return value === 'ticker' || value === 'wall' ? value : 'list';
}

function toTheme(value: string | null): FeedTheme {
  return value === 'dark' || value === 'auto' ? value : 'light';
}

/** Keeps only the ids still present, so long-running pages do not grow. */
function prune(ids: ReadonlySet<string>, posts: readonly Post[]): Set<string> {
  const present = new Set(posts.flatMap((post) => [post.id, post.quoted?.id ?? '']));
  return new Set([...ids].filter((id) => present.has(id)));
}

/**
 * A live wall of a town's event posts. Shows the feed's snapshot, then keeps
 * it up to date through Server-Sent Events, with reconnection and a polling
 * fallback. Three layouts: `list`, `ticker` and `wall`.
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
 * @fires {CommuneFeedUpdateEvent} commune-feed-update - The posts or the feed status changed. `detail`: `{ reason, posts, stale, updatedAt }`.
 * @fires {CommuneFeedErrorEvent} commune-feed-error - The snapshot or the event stream failed; the element retries by itself. `detail`: `{ error }`.
 * @fires {CommuneFeedPauseEvent} commune-feed-pause - The visitor paused or resumed with the button. `detail`: `{ paused }`.
 *
 * @slot header - Replaces the default header (the feed title).
 * @slot empty - Shown instead of "Pas encore de publications" when the feed has no post.
 *
 * @csspart base - The outer box.
 * @csspart header - The default header.
 * @csspart title - The feed title.
 * @csspart clock - The clock on the wall.
 * @csspart controls - The row of the pause button and the new-posts button.
 * @csspart notice - Status notices: stale feed, reconnecting, offline.
 * @csspart posts - The list of posts.
 * @csspart post - One post.
 * @csspart repost - The "Reposté par …" line.
 * @csspart author - Avatar, name and handle.
 * @csspart avatar - The author's picture.
 * @csspart author-name - The author's display name.
 * @csspart handle - The @handle link.
 * @csspart text - The post text.
 * @csspart entity - A hashtag, mention or link inside the text (also `hashtag`, `mention`, `link`).
 * @csspart media - One image or video preview.
 * @csspart sensitive - The cover over sensitive media.
 * @csspart quoted - A quoted post.
 * @csspart meta - Time, "modifié" and source link.
 * @csspart time - The post time link.
 * @csspart edited - The "modifié" mark.
 * @csspart source-link - The "Voir sur X" link.
 * @csspart button - Every button (also `pause`, `new-posts`, `reveal`, `previous`, `next`).
 * @csspart empty - The default empty state.
 * @csspart loading - The loading state.
 * @csspart ticker - The ticker band.
 * @csspart ticker-post - One post in the ticker.
 * @csspart wall - The wall layout.
 * @csspart featured - The newest post on the wall.
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

  /** Every post held, newest first: what the server says now. */
  @state() private live: Post[] = [];
  /** What stays on screen while paused. */
  @state() private frozen: Post[] | undefined;
  /** List mode: posts the reader has been shown; others wait behind a button. */
  @state() private seen: ReadonlySet<string> = new Set();
  @state() private feedInfo: FeedInfo | undefined;
  @state() private stale = false;
  @state() private updatedAt = '';
  @state() private loaded = false;
  @state() private failed = false;
  @state() private now = Date.now();
  @state() private revealed: ReadonlySet<string> = new Set();
  @state() private announcement = '';
  @state() private reducedMotion = false;
  /** The post shown by the static ticker: kept by id, so arrivals do not move it. */
  @state() private tickerPostId: string | undefined;
  @state() private wallPage = 0;

  private clockTimer: number | undefined;
  private rotationTimer: number | undefined;
  private motionQuery: MediaQueryList | undefined;
  private tickerWidth = 0;

  private readonly connection = new FeedConnection(this, {
    target: () => ({ src: this.src, feed: this.feed }),
    environment: () => CommuneFeed.environment,
    onSnapshot: (snapshot) => this.applySnapshot(snapshot),
    onPost: (post) => this.applyPost(post),
    onRemove: (removal) => this.applyRemoval(removal),
    onStatus: (status) => this.applyStatus(status),
    onError: (error) => this.reportError(error),
  });

  private readonly announcer = new NewPostAnnouncer(
    () => CommuneFeed.environment,
    (count) => {
      this.announcement = count > 0 ? this.messages.announceNewPosts(count) : '';
    },
  );

  /** Where the live connection stands. */
  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.motionQuery = window.matchMedia?.(REDUCED_MOTION);
    this.motionQuery?.addEventListener('change', this.handleMotionChange);
    this.reducedMotion = this.motionQuery?.matches ?? false;
    this.tick();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    const environment = CommuneFeed.environment;
    this.motionQuery?.removeEventListener('change', this.handleMotionChange);
    if (this.clockTimer !== undefined) environment.clearTimeout(this.clockTimer);
    this.clockTimer = undefined;
    this.stopRotation();
    this.announcer.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('src') || changed.has('feed')) && this.hasUpdated) {
      // Another feed: nothing of the previous one may stay on screen.
      this.live = [];
      this.frozen = this.paused ? [] : undefined;
      this.seen = new Set();
      this.feedInfo = undefined;
      this.loaded = false;
      this.failed = false;
      this.stale = false;
      this.announcer.stop();
    }
    if (changed.has('limit') || changed.has('mode')) {
      this.live = this.live.slice(0, this.maxPosts);
    }
    if (changed.has('paused')) {
      this.frozen = this.paused ? this.currentPosts() : undefined;
    }
    if (changed.has('mode')) {
      // What was on screen counts as seen when coming back to the list.
      this.seen = new Set(this.live.map((post) => post.id));
      // The wall's clock ticks on the minute: restart the clock at once.
      if (this.hasUpdated && this.clockTimer !== undefined) {
        CommuneFeed.environment.clearTimeout(this.clockTimer);
        this.tick();
      }
    }
  }

  protected override render(): TemplateResult {
    const messages = this.messages;
    return html`<section
      part="base"
      class="feed mode-${this.mode}"
      lang=${this.locale}
      aria-label=${this.feedInfo?.title || messages.feedLabel}
    >
      <slot name="header">
        ${
          this.feedInfo?.title || this.mode === 'wall'
            ? html`<div part="header" class="header">
              ${this.feedInfo?.title ? html`<h2 part="title" class="title">${this.feedInfo.title}</h2>` : nothing}
              ${this.mode === 'wall' ? this.renderClock() : nothing}
            </div>`
            : nothing
        }
      </slot>
      ${this.renderControls(messages)}
      <p part="notice" class="notice" role="status">${this.noticeText(messages)}</p>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        ${this.announcement}
      </div>
      ${this.renderBody(messages)}
    </section>`;
  }

  protected override updated(): void {
    this.syncRotation();
    this.measureTicker();
  }

  private renderClock(): TemplateResult {
    const date = new Date(this.now);
    return html`<time part="clock" class="clock" datetime=${date.toISOString()}
      >${formatClockTime(date, this.locale, this.timeZone)}</time
    >`;
  }

  private renderControls(messages: Messages): TemplateResult | typeof nothing {
    if (!this.loaded || this.live.length === 0) return nothing;
    const waiting = this.mode === 'list' ? this.waitingCount() : 0;
    return html`<div part="controls" class="controls">
      <button
        part="button pause"
        class="secondary pause"
        type="button"
        @click=${this.togglePause}
      >
        <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <path d=${this.paused ? 'M4 2l10 6-10 6z' : 'M3 2h4v12H3zM9 2h4v12H9z'}></path>
        </svg>
        ${this.paused ? messages.play : messages.pause}
      </button>
      ${
        waiting > 0
          ? html`<button part="button new-posts" class="new-posts" type="button" @click=${this.showWaiting}>
            ${messages.newPosts(waiting)}
          </button>`
          : nothing
      }
    </div>`;
  }

  private renderBody(messages: Messages): TemplateResult | typeof nothing {
    if (!this.feed) return nothing;
    if (!this.loaded) {
      return html`<p part="loading" class="placeholder" aria-busy="true">
        ${this.failed ? messages.loadError : messages.loading}
      </p>`;
    }
    const posts = this.visiblePosts();
    if (posts.length === 0) {
      return html`<slot name="empty"
        ><p part="empty" class="placeholder">${messages.empty}</p></slot
      >`;
    }
    const context = this.postContext(messages);
    if (this.mode === 'ticker') {
      return renderTicker({
        ...context,
        posts,
        manual: this.reducedMotion,
        index: Math.max(
          0,
          posts.findIndex((post) => post.id === this.tickerPostId),
        ),
        onPrevious: () => this.stepTicker(-1),
        onNext: () => this.stepTicker(1),
      });
    }
    if (this.mode === 'wall') {
      return renderWall({ ...context, posts, page: this.wallPage, cta: this.callToAction() });
    }
    return html`<ol part="posts" class="posts" role="list">
      ${repeat(
        posts,
        (post) => post.id,
        (post) => html`<li class="item">${renderPost(post, context)}</li>`,
      )}
    </ol>`;
  }

  private postContext(messages: Messages): PostViewContext {
    return {
      locale: this.locale,
      messages,
      now: this.now,
      timeZone: this.timeZone,
      baseUrl: this.serverBase(),
      isRevealed: (id) => this.revealed.has(id),
      onReveal: (id) => {
        this.revealed = new Set(this.revealed).add(id);
      },
    };
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

  private callToAction(): { url: string; hashtag: string } | undefined {
    const tag = this.feedInfo?.hashtags[0];
    if (!tag) return undefined;
    const hashtag = `#${tag.replace(/^#/, '')}`;
    const url = this.ctaUrl || `https://x.com/intent/post?text=${encodeURIComponent(`${hashtag} `)}`;
    return { url, hashtag };
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

  /** The posts on screen: frozen while paused; in the list, only those seen. */
  private visiblePosts(): Post[] {
    return this.frozen ?? this.currentPosts();
  }

  /** What would be on screen if nothing were paused. */
  private currentPosts(): Post[] {
    if (this.mode !== 'list') return this.live;
    return this.live.filter((post) => this.seen.has(post.id));
  }

  private waitingCount(): number {
    return this.live.reduce((count, post) => count + (this.seen.has(post.id) ? 0 : 1), 0);
  }

  private readonly showWaiting = async (): Promise<void> => {
    const first = this.live.find((post) => !this.seen.has(post.id));
    this.seen = new Set(this.live.map((post) => post.id));
    if (this.frozen) this.frozen = this.live;
    await this.updateComplete;
    // The button is gone: focus goes to the newest of the posts it revealed.
    if (first) {
      this.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(first.id)}"]`)?.focus();
    }
  };

  private readonly togglePause = (): void => {
    this.paused = !this.paused;
    this.dispatchEvent(
      new CustomEvent<CommuneFeedPauseDetail>('commune-feed-pause', {
        bubbles: true,
        composed: true,
        detail: { paused: this.paused },
      }),
    );
  };

  private stepTicker(step: number): void {
    const posts = this.visiblePosts();
    const index = Math.max(
      0,
      posts.findIndex((post) => post.id === this.tickerPostId),
    );
    this.tickerPostId = posts[(index + step + posts.length) % posts.length]?.id;
  }

  private readonly handleMotionChange = (event: MediaQueryListEvent): void => {
    this.reducedMotion = event.matches;
  };

  private readonly tick = (): void => {
    const environment = CommuneFeed.environment;
    this.now = environment.now();
    // The wall's clock turns on the minute; relative times every 30 s.
    const delay = this.mode === 'wall' ? 60_000 - (this.now % 60_000) + 50 : CLOCK_TICK;
    this.clockTimer = environment.setTimeout(this.tick, delay);
  };

  /** Runs the wall's page rotation only when it has something to rotate. */
  private syncRotation(): void {
    const wanted =
      this.isConnected && this.mode === 'wall' && !this.paused && wallPageCount(this.visiblePosts().length) > 1;
    if (wanted && this.rotationTimer === undefined) {
      const seconds = Number(this.interval) > 0 ? Number(this.interval) : DEFAULT_INTERVAL;
      this.rotationTimer = CommuneFeed.environment.setTimeout(() => {
        this.rotationTimer = undefined;
        this.wallPage = (this.wallPage + 1) % wallPageCount(this.visiblePosts().length);
        this.syncRotation();
      }, seconds * 1000);
    } else if (!wanted) {
      this.stopRotation();
    }
  }

  private stopRotation(): void {
    if (this.rotationTimer !== undefined) CommuneFeed.environment.clearTimeout(this.rotationTimer);
    this.rotationTimer = undefined;
  }

  /** Sets the ticker's animation duration from its width and `speed`. */
  private measureTicker(): void {
    if (this.mode !== 'ticker' || this.reducedMotion) return;
    const track = this.renderRoot.querySelector<HTMLElement>('.ticker-track');
    const list = track?.querySelector<HTMLElement>('.ticker-list');
    if (!track || !list) return;
    const width = list.offsetWidth;
    const speed = Number(this.speed) > 0 ? Number(this.speed) : DEFAULT_SPEED;
    if (width === this.tickerWidth && track.style.getPropertyValue('--_ticker-speed') === String(speed)) {
      return;
    }
    this.tickerWidth = width;
    track.style.setProperty('--_ticker-speed', String(speed));
    track.style.setProperty('--_ticker-duration', `${Math.max(5, width / speed).toFixed(2)}s`);
  }

  private applySnapshot(snapshot: FeedSnapshot): void {
    const known = new Set(this.live.map((post) => post.id));
    const first = !this.loaded;
    this.feedInfo = snapshot.feed;
    this.live = [...snapshot.posts].sort(comparePosts).slice(0, this.maxPosts);
    this.stale = snapshot.stale;
    this.updatedAt = snapshot.updatedAt;
    this.loaded = true;
    this.failed = false;
    const arrived = this.live.filter((post) => !known.has(post.id));
    if (first || this.mode !== 'list' || this.visiblePosts().length === 0) {
      this.seen = new Set(this.live.map((post) => post.id));
    }
    if (!first) this.announcer.add(arrived.length);
    // Paused before anything was shown (a `paused` attribute): show the first snapshot.
    if (first && this.frozen) this.frozen = this.currentPosts();
    this.changed('snapshot');
  }

  private applyPost(post: Post): void {
    const isNew = !this.live.some((existing) => existing.id === post.id);
    const posts = this.live.filter((existing) => existing.id !== post.id);
    posts.push(post);
    this.live = posts.sort(comparePosts).slice(0, this.maxPosts);
    if (isNew) {
      // A first post in an empty list shifts nothing: show it at once.
      if (this.mode !== 'list' || this.visiblePosts().length === 0) {
        this.seen = new Set(this.seen).add(post.id);
      }
      if (this.live.includes(post)) this.announcer.add(1);
    }
    this.changed('post');
  }

  private applyRemoval({ id }: PostRemoval): void {
    if (!this.live.some((post) => post.id === id)) return;
    this.live = this.live.filter((post) => post.id !== id);
    this.changed('remove');
  }

  private applyStatus(status: FeedStatus): void {
    this.stale = status.stale;
    this.updatedAt = status.updatedAt;
    this.changed('status');
  }

  /** Bounds the bookkeeping to the posts held, then tells the page. */
  private changed(reason: FeedUpdateReason): void {
    if (reason !== 'status') {
      this.seen = prune(this.seen, this.live);
      if (this.revealed.size > 0) this.revealed = prune(this.revealed, this.live);
    }
    this.dispatchEvent(
      new CustomEvent<CommuneFeedUpdateDetail>('commune-feed-update', {
        bubbles: true,
        composed: true,
        detail: { reason, posts: this.live, stale: this.stale, updatedAt: this.updatedAt },
      }),
    );
  }

  private reportError(error: FeedConnectionError): void {
    if (!this.loaded && error.phase !== 'data') this.failed = true;
    this.dispatchEvent(
      new CustomEvent<CommuneFeedErrorDetail>('commune-feed-error', {
        bubbles: true,
        composed: true,
        detail: { error },
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'commune-feed': CommuneFeed;
  }
  interface GlobalEventHandlersEventMap {
    'commune-feed-update': CommuneFeedUpdateEvent;
    'commune-feed-error': CommuneFeedErrorEvent;
    'commune-feed-pause': CommuneFeedPauseEvent;
  }
}

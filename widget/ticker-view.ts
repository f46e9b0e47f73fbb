/**
 * The ticker: a horizontal band of posts scrolling with a CSS transform
 * animation, or, when the visitor prefers reduced motion, one post at a time
 * with previous/next buttons.
 */
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { repeat } from './repeat.js';
import type { Post } from '../server/contract.js';
import { isAnnouncement, organisersName, renderAnnouncementText } from './announcement-view.js';
import { renderCovered } from './content-warning.js';
import { renderNetwork } from './network-view.js';
import { postLanguage, renderText } from './post-text.js';
import { renderMarks, renderTime } from './post-view.js';
import type { PostViewContext } from './post-view.js';

export interface TickerViewContext extends PostViewContext {
  posts: readonly Post[];
  /** One post at a time, moved by hand (reduced motion). */
  manual: boolean;
  /** Position of the post shown in manual mode. */
  index: number;
  onPrevious: () => void;
  onNext: () => void;
}

function renderItem(post: Post, context: PostViewContext): TemplateResult {
  const announcement = isAnnouncement(post);
  return html`<li class="ticker-item">
    <article
      part="post ticker-post"
      class="ticker-post"
      lang=${postLanguage(post.lang) ?? nothing}
      data-post-id=${post.id}
    >
      ${renderMarks(post, context)}
      <span part="author-name" class="name"
        >${announcement ? organisersName(post.author, context.messages) : post.author.name}</span
      >
      ${renderCovered(post, context, () =>
        announcement ? renderAnnouncementText(post, context.sanitize, true) : renderText(post, context.baseUrl),
      )}
      <span class="meta" lang=${context.locale}>${renderNetwork(post, context)} ${renderTime(post, context)}</span>
    </article>
  </li>`;
}

function renderManual(context: TickerViewContext): TemplateResult {
  const { posts, messages } = context;
  const index = Math.min(Math.max(0, context.index), posts.length - 1);
  const post = posts[index];
  return html`<div part="ticker" class="ticker ticker-manual">
    <button
      part="button previous"
      class="secondary"
      type="button"
      @click=${context.onPrevious}
      ?disabled=${posts.length < 2}
    >
      <span aria-hidden="true">‹</span><span class="visually-hidden">${messages.previous}</span>
    </button>
    <ul class="ticker-list" role="list">
      ${post ? renderItem(post, context) : nothing}
    </ul>
    <span class="ticker-position">${messages.position(index + 1, posts.length)}</span>
    <button
      part="button next"
      class="secondary"
      type="button"
      @click=${context.onNext}
      ?disabled=${posts.length < 2}
    >
      <span aria-hidden="true">›</span><span class="visually-hidden">${messages.next}</span>
    </button>
  </div>`;
}

/**
 * The scrolling band. The list is drawn twice so the loop has no seam; the
 * copy is hidden from assistive technology and inert, so it takes no focus.
 */
export function renderTicker(context: TickerViewContext): TemplateResult {
  if (context.manual) return renderManual(context);
  const items = repeat(
    context.posts,
    (post) => post.id,
    (post) => renderItem(post, context),
  );
  const copy = repeat(
    context.posts,
    (post) => post.id,
    (post) => renderItem(post, context),
  );
  return html`<div part="ticker" class="ticker">
    <div class="ticker-track">
      <ul class="ticker-list" role="list">
        ${items}
      </ul>
      <ul class="ticker-list" aria-hidden="true" inert>
        ${copy}
      </ul>
    </div>
  </div>`;
}

/**
 * Sets the band's animation duration from its width and `speed` (pixels per
 * second), so that the text moves at that speed whatever its length.
 */
function syncTickerDuration(root: ParentNode, speed: number): void {
  const track = root.querySelector<HTMLElement>('.ticker-track');
  const list = track?.querySelector<HTMLElement>('.ticker-list');
  if (!track || !list) return;
  const duration = `${Math.max(5, list.offsetWidth / speed).toFixed(2)}s`;
  if (track.style.getPropertyValue('--_ticker-duration') !== duration) {
    track.style.setProperty('--_ticker-duration', duration);
  }
}

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

/** What the ticker needs to know at each update. */
export interface TickerState {
  /** The element is in ticker mode. */
  active: boolean;
  /** Pixels per second. */
  speed: number;
  /** Where the band is rendered. */
  root: ParentNode;
}

/**
 * The ticker's motion: the band's speed, and, when the visitor prefers
 * reduced motion, the post shown by hand, kept by id so that arrivals do
 * not move it.
 */
export class TickerController implements ReactiveController {
  /** One post at a time, moved with the previous/next buttons. */
  manual = false;
  private postId: string | undefined;
  private query: MediaQueryList | undefined;
  private readonly host: ReactiveControllerHost;
  private readonly state: () => TickerState;

  constructor(host: ReactiveControllerHost, state: () => TickerState) {
    this.host = host;
    this.state = state;
    host.addController(this);
  }

  hostConnected(): void {
    this.query = window.matchMedia?.(REDUCED_MOTION);
    this.query?.addEventListener('change', this.handleChange);
    this.manual = this.query?.matches ?? false;
  }

  hostDisconnected(): void {
    this.query?.removeEventListener('change', this.handleChange);
  }

  hostUpdated(): void {
    const { active, speed, root } = this.state();
    if (active && !this.manual) syncTickerDuration(root, speed);
  }

  /** Position of the post shown by hand among `posts`. */
  index(posts: readonly Post[]): number {
    return Math.max(
      0,
      posts.findIndex((post) => post.id === this.postId),
    );
  }

  /** Shows the next (1) or previous (-1) post, round the loop. */
  step(posts: readonly Post[], step: number): void {
    this.postId = posts[(this.index(posts) + step + posts.length) % posts.length]?.id;
    this.host.requestUpdate();
  }

  private readonly handleChange = (event: MediaQueryListEvent): void => {
    this.manual = event.matches;
    this.host.requestUpdate();
  };
}

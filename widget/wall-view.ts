/**
 * The wall, for a big screen: the first post large (the newest, or the one
 * the organisers pinned), a rotating page of the posts after it, and a call
 * to action with a QR code. The DOM holds at most 1 + `pageSize` posts
 * whatever the feed's size, so it can run for days.
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { Post } from '../server/contract.js';
import type { FeedEnvironment } from './feed-connection.js';
import type { PostViewContext } from './post-view.js';
import { renderQrCode } from './qr-code.js';
import { html, nothing, renderPost, repeat } from './wall-shared.js';

/** Posts shown beside the newest one. */
export const WALL_PAGE_SIZE = 3;

export interface WallViewContext extends PostViewContext {
  posts: readonly Post[];
  /** Which page of older posts is shown. */
  page: number;
  /** "Publiez avec #fete" target: the QR code's URL, and the hashtag shown. */
  cta: { url: string; hashtag: string } | undefined;
}

/** How many pages of older posts there are. */
export function wallPageCount(postCount: number): number {
  return Math.max(1, Math.ceil(Math.max(0, postCount - 1) / WALL_PAGE_SIZE));
}

/**
 * "Publiez avec #fete": the feed's first hashtag, and the QR code's target
 * (`ctaUrl`, or a new post on X with the hashtag). None without a hashtag.
 */
export function callToAction(hashtags: readonly string[], ctaUrl: string): WallViewContext['cta'] {
  const tag = hashtags[0];
  if (!tag) return undefined;
  const hashtag = `#${tag.replace(/^#/, '')}`;
  const url = ctaUrl || `https://x.com/intent/post?text=${encodeURIComponent(`${hashtag} `)}`;
  return { url, hashtag };
}

/** What the rotation needs to know at each update. */
export interface WallRotationState {
  /** False when paused, in another mode, or off the page. */
  running: boolean;
  postCount: number;
  /** Seconds a page stays. */
  interval: number;
}

/** Turns the pages of older posts while there is more than one and nothing is paused. */
export class WallRotation implements ReactiveController {
  /** The page shown. */
  page = 0;
  private timer: number | undefined;
  private readonly host: ReactiveControllerHost;
  private readonly environment: () => FeedEnvironment;
  private readonly state: () => WallRotationState;

  constructor(host: ReactiveControllerHost, environment: () => FeedEnvironment, state: () => WallRotationState) {
    this.host = host;
    this.environment = environment;
    this.state = state;
    host.addController(this);
  }

  hostUpdated(): void {
    const { running, postCount, interval } = this.state();
    if (!running || wallPageCount(postCount) < 2) {
      this.hostDisconnected();
    } else if (this.timer === undefined) {
      this.timer = this.environment().setTimeout(() => {
        this.timer = undefined;
        this.page = (this.page + 1) % wallPageCount(this.state().postCount);
        this.host.requestUpdate();
      }, interval * 1000);
    }
  }

  hostDisconnected(): void {
    if (this.timer !== undefined) this.environment().clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export function renderWall(context: WallViewContext): TemplateResult {
  const { posts, messages } = context;
  const [newest, ...older] = posts;
  const page = context.page % wallPageCount(posts.length);
  const shown = older.slice(page * WALL_PAGE_SIZE, (page + 1) * WALL_PAGE_SIZE);
  return html`<div part="wall" class="wall">
    <div class="wall-featured" part="featured">
      <p class="wall-label">${newest?.pinnedAt ? messages.featuredPost : messages.latestPost}</p>
      ${
        newest
          ? repeat(
              [newest],
              (post) => post.id,
              (post) => renderPost(post, context),
            )
          : nothing
      }
    </div>
    <ol part="posts" class="wall-others" role="list">
      ${repeat(
        shown,
        (post) => post.id,
        (post) => html`<li>${renderPost(post, context)}</li>`,
      )}
    </ol>
    ${
      context.cta
        ? html`<aside part="cta" class="wall-cta">
          <p class="cta-text">${messages.publishWith(context.cta.hashtag)}</p>
          ${renderQrCode(context.cta.url, messages.qrLabel(context.cta.hashtag))}
        </aside>`
        : nothing
    }
  </div>`;
}

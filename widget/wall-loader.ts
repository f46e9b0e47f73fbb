/**
 * The wall mode on demand: its file (wall-mode.ts) is fetched with the first
 * `mode="wall"`, beside the main file and checked against its sha384
 * (lazy-chunk.ts). Until it is there the element shows its usual loading
 * state; once it is, its styles join the element's and its controllers (the
 * rotation of older posts, the fit to the screen) start.
 */
import { adoptStyles, supportsAdoptingStyleSheets } from 'lit';
import type { CSSResult, ReactiveController, ReactiveElement, TemplateResult } from 'lit';
import type { Post } from '../server/contract.js';
import type { FeedEnvironment } from './feed-connection.js';
import { importChunk } from './lazy-chunk.js';
import { LazyModule } from './lazy-module.js';
import type { ModuleLoader } from './lazy-module.js';
import type { PostViewContext } from './post-view.js';
import * as shared from './wall-shared.js';
import type { WallRotation, WallRotationState } from './wall-view.js';

/** The wall mode's module. */
export type WallMode = typeof import('./wall-mode.js');

/** The real one: the wall's chunk, given the main module's Lit and post view. */
export const loadWallChunk: ModuleLoader<WallMode> = async () => {
  const wall = await importChunk('wall', () => import('./wall-mode.js'));
  wall.provide(shared);
  return wall;
};

/** What the wall shows, besides the posts' context. */
export interface WallContent extends PostViewContext {
  posts: readonly Post[];
  hashtags: readonly string[];
  ctaUrl: string;
}

export interface WallOptions {
  loader: () => ModuleLoader<WallMode>;
  environment: () => FeedEnvironment;
  /** True while the element shows the wall. */
  active: () => boolean;
  rotation: () => WallRotationState;
}

/** Adds a stylesheet to a shadow root, after the element's own. */
function addStyles(root: ShadowRoot, styles: CSSResult): void {
  if (supportsAdoptingStyleSheets && styles.styleSheet) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
  } else {
    adoptStyles(root, [styles]);
  }
}

/** The wall mode of one element. */
export class WallController implements ReactiveController {
  private readonly module: LazyModule<WallMode>;
  private readonly options: WallOptions;
  private rotation: WallRotation | undefined;

  constructor(host: ReactiveElement, options: WallOptions) {
    this.options = options;
    this.module = new LazyModule(host, options.loader, {
      onLoad: (wall) => {
        addStyles(host.renderRoot as ShadowRoot, wall.wallStyles());
        this.rotation = new wall.WallRotation(host, options.environment, options.rotation);
        new wall.WallFit(host, () => host.renderRoot, options.active);
      },
      onError: (error) => console.error('commune-feed: the wall mode could not be loaded', error),
    });
    host.addController(this);
  }

  /** True when the wall's file could not be loaded. */
  get failed(): boolean {
    return this.module.failed;
  }

  hostUpdate(): void {
    if (this.options.active()) this.module.request();
  }

  /** The wall, or undefined while its file loads (or when it failed). */
  render(content: WallContent): TemplateResult | undefined {
    const wall = this.module.value;
    if (!wall) return undefined;
    const { hashtags, ctaUrl, ...context } = content;
    return wall.renderWall({ ...context, page: this.rotation?.page ?? 0, cta: wall.callToAction(hashtags, ctaUrl) });
  }
}

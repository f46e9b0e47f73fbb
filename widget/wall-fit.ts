/**
 * Keeps the wall within the screen whatever the posts hold. The layout gives
 * each box its room (`wall-view.styles.ts`); after each render, and when the
 * screen or the fonts change, each post whose content is taller than its box
 * gets as many lines of text as fit, ending on an ellipsis, and a long
 * urgent alert a smaller type first. What fits is measured, never guessed:
 * the screen, the fonts and the emoji decide.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** One way to try to fit a box: a smaller type (`--_scale`), its text clamped (`data-fit`), or both. */
export interface FitStep {
  /** Type size, as a fraction of the box's own. */
  scale?: number;
  /** `clamped`: the text keeps the lines that fit; `tight`: the same, without the large post's pictures. */
  fit?: 'clamped' | 'tight';
}

/** The large post keeps its type as long as some lines of its text fit; then smaller type. */
export const FEATURED_STEPS: readonly FitStep[] = [
  { fit: 'clamped' },
  { fit: 'tight' },
  { scale: 0.8, fit: 'tight' },
  { scale: 0.65, fit: 'tight' },
];

/** A side post keeps its type: when no line fits, even without its pictures, it is left out. */
export const SIDE_STEPS: readonly FitStep[] = [{ fit: 'clamped' }, { fit: 'tight' }];

/** An urgent alert is read whole, in smaller type if need be; clamped only past that. */
export const ALERT_STEPS: readonly FitStep[] = [
  { scale: 0.85 },
  { scale: 0.7 },
  { scale: 0.6 },
  { scale: 0.5 },
  { scale: 0.5, fit: 'clamped' },
];

/** Most lines a clamped text may keep; more would fit only on a wall that needs no clamp. */
const MAX_LINES = 40;
/** Most lines of a side post's text, whatever the room (as its style says). */
const SIDE_MAX_LINES = 4;

/**
 * The largest `n` in [low, high] for which `fits(n)` holds, assuming that
 * if `n` fits every smaller one does; undefined when even `low` does not.
 */
export function largestFitting(low: number, high: number, fits: (n: number) => boolean): number | undefined {
  let best: number | undefined;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) {
      best = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best;
}

/** True when the box shows all its content. */
function showsAll(box: HTMLElement): boolean {
  return box.scrollHeight <= box.clientHeight + 1;
}

/**
 * Fits one box: whole if it can, else by the first of `steps` (in order of
 * growing constraint: a type once made smaller stays so) that makes it fit,
 * with a clamp keeping as many lines as fit, `maxLines` at most. When none
 * does, the last step with one line, and `data-fit="clipped"`, which fades
 * the box out at its bottom edge. By default a box fits when it shows all
 * its content; `fits` may say otherwise. True when the box fits.
 */
export function fitBox(box: HTMLElement, steps: readonly FitStep[], fits = showsAll, maxLines = MAX_LINES): boolean {
  const { style, dataset } = box;
  style.removeProperty('--_scale');
  style.removeProperty('--_lines');
  delete dataset.fit;
  if (fits(box)) return true;
  for (const { scale, fit } of steps) {
    if (scale) style.setProperty('--_scale', `${scale}`);
    // A step without a clamp (the smaller types come first): the whole text.
    if (!fit) {
      if (fits(box)) return true;
      continue;
    }
    dataset.fit = fit;
    const lines = largestFitting(1, maxLines, (n) => {
      style.setProperty('--_lines', `${n}`);
      return fits(box);
    });
    if (lines) {
      style.setProperty('--_lines', `${lines}`);
      return true;
    }
  }
  style.setProperty('--_lines', '1');
  dataset.fit = 'clipped';
  return false;
}

/** Fits the wall's posts and alert after each render and whenever the screen or the fonts change. */
export class WallFit implements ReactiveController {
  private readonly host: ReactiveControllerHost & HTMLElement;
  private readonly root: () => ParentNode;
  private readonly active: () => boolean;
  private observer: ResizeObserver | undefined;

  /** `active`: true while the wall is shown. */
  constructor(host: ReactiveControllerHost & HTMLElement, root: () => ParentNode, active: () => boolean) {
    this.host = host;
    this.root = root;
    this.active = active;
    host.addController(this);
  }

  hostConnected(): void {
    this.observer ??= new ResizeObserver(this.fit);
    this.observer.observe(this.host);
    document.fonts?.addEventListener('loadingdone', this.fit);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    document.fonts?.removeEventListener('loadingdone', this.fit);
  }

  hostUpdated(): void {
    this.fit();
  }

  /**
   * Fits every box of the wall, in the order the room is shared: the alert,
   * the call to action, the large post, then the side posts, top down. A
   * call to action that does not fit whole is left out (half a QR code is
   * no use); so is the first side post that cannot show a line of its text
   * above the bottom of its column, and the ones after it.
   */
  readonly fit = (): void => {
    if (!this.active()) return;
    const root = this.root();
    const alert = root.querySelector<HTMLElement>('.mode-wall > .alert');
    if (alert) fitBox(alert, ALERT_STEPS);
    const cta = root.querySelector<HTMLElement>('.wall-cta');
    if (cta) {
      cta.hidden = false;
      cta.hidden = !showsAll(cta);
    }
    const featured = root.querySelector<HTMLElement>('.wall-featured .post');
    if (featured) fitBox(featured, FEATURED_STEPS);
    const column = root.querySelector<HTMLElement>('.wall-others');
    if (!column) return;
    const items = [...column.querySelectorAll<HTMLLIElement>(':scope > li')];
    for (const item of items) item.hidden = false;
    const bottom = column.getBoundingClientRect().bottom + 0.5;
    const above = (post: HTMLElement) => post.getBoundingClientRect().bottom <= bottom;
    let full = false;
    for (const item of items) {
      const post = item.querySelector<HTMLElement>(':scope > .post');
      full ||= !post || !fitBox(post, SIDE_STEPS, above, SIDE_MAX_LINES);
      item.hidden = full;
    }
  };
}

/**
 * Whether a feed shows a post, from the ids the store says are on display, asked again at most
 * every few seconds: a stream carries deletions of far more posts than the feed shows (Jetstream
 * carries every deletion of the network), and only those on display are passed on.
 */
import type { SourceContext } from './source.js';

/** How long the ids on display are trusted before asking the store again. */
export const DISPLAYED_TTL_MS = 5_000;

/** `isShown(id)` over `context.displayedIds()`, keeping only ids that start with `prefix`. */
export function displayedChecker(
  context: Pick<SourceContext, 'clock' | 'displayedIds'>,
  prefix = '',
): (id: string) => boolean {
  let displayed: { ids: Set<string>; at: number } | undefined;
  return (id) => {
    const now = context.clock.now();
    if (!displayed || now - displayed.at > DISPLAYED_TTL_MS) {
      displayed = { ids: new Set(context.displayedIds().filter((i) => i.startsWith(prefix))), at: now };
    }
    return displayed.ids.has(id);
  };
}

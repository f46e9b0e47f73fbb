/**
 * The posts one <commune-feed> holds, and which of them are on screen: all of
 * them in wall order (pinned first, then newest first); what stays while the
 * visitor has paused; in the list, which ones the reader has been shown (the
 * others wait behind a button); whose sensitive media the visitor revealed,
 * and whose content warning the visitor opened.
 * Pure bookkeeping: no DOM, no timers.
 */
import type { Post } from '../server/contract.js';
import { comparePosts } from '../server/post-order.js';

function idsOf(posts: readonly Post[]): Set<string> {
  return new Set(posts.map((post) => post.id));
}

/** Keeps only the ids still present, so long-running pages do not grow. */
function prune(ids: ReadonlySet<string>, posts: readonly Post[]): Set<string> {
  const present = new Set(posts.flatMap((post) => [post.id, post.quoted?.id ?? '']));
  return new Set([...ids].filter((id) => present.has(id)));
}

export class HeldPosts {
  /** Every post held, in wall order: what the server says now. */
  live: readonly Post[] = [];
  /** What stays on screen while paused. */
  private frozen: readonly Post[] | undefined;
  /** Posts the reader has been shown (list mode). */
  private seen: ReadonlySet<string> = new Set();
  private revealed: ReadonlySet<string> = new Set();
  private opened = new Set<string>();
  /** True in the list, where new posts wait until the reader asks for them. */
  private holdNew = true;
  private max = Infinity;

  /** Sets the layout and the most posts kept; posts past the limit go. */
  configure(holdNew: boolean, max: number): void {
    this.holdNew = holdNew;
    this.max = max;
    this.live = this.live.slice(0, max);
  }

  /** Forgets every post (another feed); stays frozen, and empty, while paused. */
  clear(paused: boolean): void {
    this.live = [];
    this.frozen = paused ? [] : undefined;
    this.seen = new Set();
  }

  /** Freezes what is on screen, or lets it follow the feed again. */
  pause(paused: boolean): void {
    this.frozen = paused ? this.current() : undefined;
  }

  /** Everything held counts as shown (coming back to the list from another mode). */
  seeAll(): void {
    this.seen = idsOf(this.live);
  }

  /** Takes a snapshot's posts. Returns how many were not held before. */
  replace(posts: readonly Post[], first: boolean): number {
    const known = idsOf(this.live);
    this.live = [...posts].sort(comparePosts).slice(0, this.max);
    if (first || !this.holdNew || this.visible().length === 0) this.seeAll();
    // Paused before anything was shown (a `paused` attribute): show the first snapshot.
    if (first && this.frozen) this.frozen = this.current();
    this.prune();
    return this.live.filter((post) => !known.has(post.id)).length;
  }

  /** Adds a post, or replaces it in place. True when it is new and kept. */
  put(post: Post): boolean {
    const isNew = !this.live.some((existing) => existing.id === post.id);
    const posts = this.live.filter((existing) => existing.id !== post.id);
    posts.push(post);
    this.live = posts.sort(comparePosts).slice(0, this.max);
    // A first post in an empty list shifts nothing: show it at once.
    if (isNew && (!this.holdNew || this.visible().length === 0)) this.seen = new Set(this.seen).add(post.id);
    this.prune();
    return isNew && this.live.includes(post);
  }

  /** Drops a post. True when it was held. */
  remove(id: string): boolean {
    if (!this.live.some((post) => post.id === id)) return false;
    this.live = this.live.filter((post) => post.id !== id);
    this.prune();
    return true;
  }

  /** The posts on screen: frozen while paused; in the list, only those shown. */
  visible(): readonly Post[] {
    return this.frozen ?? this.current();
  }

  /** How many posts wait behind the "new posts" button. */
  waiting(): number {
    return this.live.reduce((count, post) => count + (this.seen.has(post.id) ? 0 : 1), 0);
  }

  /** Shows the waiting posts, paused or not. Returns the first of them. */
  showWaiting(): Post | undefined {
    const first = this.live.find((post) => !this.seen.has(post.id));
    this.seeAll();
    if (this.frozen) this.frozen = this.live;
    return first;
  }

  isRevealed(id: string): boolean {
    return this.revealed.has(id);
  }

  /** The visitor asked to see this post's sensitive media. */
  reveal(id: string): void {
    this.revealed = new Set(this.revealed).add(id);
  }

  isOpen(id: string): boolean {
    return this.opened.has(id);
  }

  /** The visitor opened this post's content warning, or closed it again. */
  toggleOpen(id: string): void {
    if (!this.opened.delete(id)) this.opened.add(id);
  }

  /** What would be on screen if nothing were paused. */
  private current(): readonly Post[] {
    return this.holdNew ? this.live.filter((post) => this.seen.has(post.id)) : this.live;
  }

  private prune(): void {
    this.seen = prune(this.seen, this.live);
    if (this.revealed.size > 0) this.revealed = prune(this.revealed, this.live);
    if (this.opened.size > 0) this.opened = prune(this.opened, this.live);
  }
}

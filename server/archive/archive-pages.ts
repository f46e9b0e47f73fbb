/**
 * The archive pages, cached per change: for each archived feed, its first `archiveSize` shown
 * posts in the wall's order and its figures are read from the store once, and each page (per
 * language) is rendered and compressed once, with a strong ETag, then served to every visitor until
 * the feed changes (a post deleted on its network, an organiser's decision, retention, settings).
 * The images of those posts are "on display" for the image proxy, which serves them from its cache.
 */
import type { Clock } from '../clock.js';
import type { Post } from '../contract.js';
import { EncodedForms } from '../delivery/snapshot-cache.js';
import type { FeedRecord, FeedRegistry } from '../feeds/registry.js';
import type { FeedSettings } from '../feeds/settings.js';
import type { PageLocale } from '../html/words.js';
import { postImageUrls } from '../media/proxied-url.js';
import { feedStats } from '../moderation/stats.js';
import type { FeedStats } from '../moderation/types.js';
import type { Store } from '../store/store.js';
import { renderArchivePage } from './archive-page.js';
import { ARCHIVE_CSS_PATH } from './archive-styles.js';

export interface ArchivePagesOptions {
  store: Store;
  registry: FeedRegistry;
  clock: Clock;
  /** Posts on a page. */
  archiveSize: number;
  /** Time zone of the page's dates. */
  timeZone: string;
  /** The origin visitors reach this server at (`PUBLIC_URL`), when known. */
  publicOrigin?: string | undefined;
}

/** What is read from the store once per change of a feed. */
interface FeedArchive {
  posts: Post[];
  images: Set<string>;
  stats: FeedStats;
  /** Rendered pages, by language and preview. */
  pages: Map<string, EncodedForms>;
}

export class ArchivePages {
  readonly #o: ArchivePagesOptions;
  readonly #entries = new Map<string, FeedArchive>();
  /** Ids of the archived feeds, whose pages are public. */
  readonly #archived = new Set<string>();

  constructor(options: ArchivePagesOptions) {
    this.#o = options;
    for (const record of options.registry.list()) this.feedChanged(record);
  }

  /** A feed's settings changed (archived, reactivated, renamed…): its pages are made again. */
  feedChanged(record: FeedRecord): void {
    const { id, state } = record.settings;
    if (state === 'archived') this.#archived.add(id);
    else this.#archived.delete(id);
    this.invalidate(id);
  }

  /** A feed's posts changed: its pages are made again when next asked for. */
  invalidate(feedId: string): void {
    this.#entries.delete(feedId);
  }

  /** Whether the feed's archive page is public. */
  isArchived(feedId: string): boolean {
    return this.#archived.has(feedId);
  }

  /**
   * The page of a feed in one language: the public page of an archived feed, or with `preview`
   * an organiser's preview of a feed that is not archived yet; undefined otherwise.
   */
  page(feedId: string, locale: PageLocale, preview: boolean): EncodedForms | undefined {
    const record = this.#o.registry.get(feedId);
    if (!record || preview === this.isArchived(feedId)) return undefined;
    const entry = this.#entry(record.settings);
    const key = `${locale}:${preview}`;
    let forms = entry.pages.get(key);
    if (!forms) {
      const page = renderArchivePage({
        feed: record.settings,
        posts: entry.posts,
        stats: entry.stats,
        locale,
        timeZone: this.#o.timeZone,
        stylesheetUrl: ARCHIVE_CSS_PATH,
        publicOrigin: this.#o.publicOrigin,
        preview,
      });
      forms = new EncodedForms(Buffer.from(page.toString()), locale);
      entry.pages.set(key, forms);
    }
    return forms;
  }

  /** Whether an archived feed's page shows this image URL (avatar, photo or preview). */
  showsImage(url: string): boolean {
    for (const feedId of this.#archived) {
      const record = this.#o.registry.get(feedId);
      if (record && this.#entry(record.settings).images.has(url)) return true;
    }
    return false;
  }

  #entry(feed: FeedSettings): FeedArchive {
    let entry = this.#entries.get(feed.id);
    if (!entry) {
      const { store, clock, archiveSize } = this.#o;
      const posts = store.posts.publicPosts(feed.id, archiveSize);
      const images = new Set<string>();
      for (const post of posts) postImageUrls(post, images);
      entry = { posts, images, stats: feedStats(store, feed, clock.now()), pages: new Map() };
      this.#entries.set(feed.id, entry);
    }
    return entry;
  }
}

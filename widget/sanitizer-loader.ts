/**
 * Loads the sanitizer (DOMPurify, about 9 KiB gzip) only when a feed first
 * shows an announcement with markup: most feeds never do, and the embed stays
 * small. The build makes `./sanitize.js` a file of its own beside
 * `commune-feed.js`, fetched relative to it, from the same server.
 */
import type { ReactiveControllerHost } from 'lit';

/** Turns organiser HTML into safe nodes. */
export type Sanitize = (dirty: string) => DocumentFragment;

/** Fetches the sanitizer. */
export type SanitizerLoader = () => Promise<Sanitize>;

/** The real one: the sanitizer chunk. */
export const loadSanitizerChunk: SanitizerLoader = async () => (await import('./sanitize.js')).sanitizeAnnouncementHtml;

/**
 * The sanitizer of one element: undefined until it is loaded, and for good
 * if loading failed (announcements then show their plain text).
 */
export class SanitizerController {
  sanitize: Sanitize | undefined;
  private requested = false;
  private readonly host: ReactiveControllerHost;
  private readonly loader: () => SanitizerLoader;

  constructor(host: ReactiveControllerHost, loader: () => SanitizerLoader) {
    this.host = host;
    this.loader = loader;
  }

  /** Starts loading, once; the host renders again when the sanitizer is there. */
  request(): void {
    if (this.requested) return;
    this.requested = true;
    this.loader()().then(
      (sanitize) => {
        this.sanitize = sanitize;
        this.host.requestUpdate();
      },
      // The plain text stays: an announcement is still read, only unformatted.
      () => undefined,
    );
  }
}

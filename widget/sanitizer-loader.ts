/**
 * Loads the sanitizer (DOMPurify, about 12 KiB gzip) only when a feed first
 * shows an announcement with markup: most feeds never do, and the embed stays
 * small. The build makes `./sanitize.js` a file of its own beside
 * `commune-feed.js`, fetched relative to it, from the same server, and checked
 * against the sha384 the main file carries (lazy-chunk.ts). Until it is there,
 * or if it cannot be loaded, announcements show their plain text.
 */
import { importChunk } from './lazy-chunk.js';
import type { ModuleLoader } from './lazy-module.js';

/** Turns organiser HTML into safe nodes. */
export type Sanitize = (dirty: string) => DocumentFragment;

/** Fetches the sanitizer. */
export type SanitizerLoader = ModuleLoader<Sanitize>;

/** The real one: the sanitizer chunk. */
export const loadSanitizerChunk: SanitizerLoader = async () =>
  (await importChunk('sanitize', () => import('./sanitize.js'))).sanitizeAnnouncementHtml;

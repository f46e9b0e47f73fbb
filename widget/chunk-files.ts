/**
 * The widget's lazily loaded files, as the build writes them beside the main
 * file: each one's name (relative to the main file) and its sha384, in the
 * form of an `integrity` attribute. The build (vite.config.ts) replaces this
 * module with the real list; unbundled (tests, development) it is empty, and
 * each chunk is imported from its source.
 */

/** One file the main module loads lazily. */
export interface ChunkFile {
  /** `./commune-feed-<name>-<hash>.js`, resolved against the main module's URL. */
  file: string;
  /** `sha384-<base64>` of the file's bytes. */
  integrity: string;
}

/** The widget's lazily loaded parts. */
export type ChunkName = 'sanitize' | 'wall';

export const CHUNK_FILES: Partial<Record<ChunkName, ChunkFile>> = {};

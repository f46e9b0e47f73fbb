/**
 * Imports the widget's lazily loaded files checked against the sha384 the
 * build wrote into the main file. The page may load the main file with
 * `integrity` (Subresource Integrity); a dynamic `import()` cannot carry one.
 * So before importing a chunk, the loader preloads it with
 * `<link rel="modulepreload" integrity="sha384-…">`: the browser checks the
 * bytes and keeps the checked module in its module map, where the `import()`
 * that follows finds it. A chunk whose bytes differ is refused, and nothing of
 * it runs. It needs no inline script and no import map, so it works under a
 * strict CSP with Trusted Types: `script-src` already allows the server, and a
 * link's `href` is no Trusted Types sink.
 */
import { CHUNK_FILES } from './chunk-files.js';
import type { ChunkName } from './chunk-files.js';

/**
 * Preloads the module at `url` and resolves once the browser has checked its
 * bytes against `integrity`; rejects when they differ or the file cannot be
 * fetched. A browser without modulepreload resolves at once: it cannot check,
 * just as a browser without Subresource Integrity ignores `integrity`.
 */
export function preloadChecked(url: string, integrity: string, doc: Document = document): Promise<void> {
  const link = doc.createElement('link');
  if (!link.relList.supports('modulepreload')) return Promise.resolve();
  link.rel = 'modulepreload';
  link.href = url;
  link.integrity = integrity;
  return new Promise<void>((resolve, reject) => {
    link.addEventListener('load', () => resolve());
    link.addEventListener('error', () =>
      reject(new Error(`${url} could not be loaded, or its bytes do not match its integrity (${integrity})`)),
    );
    (doc.head ?? doc.documentElement).append(link);
  }).finally(() => link.remove());
}

/**
 * Imports one of the widget's chunks with `load` (a literal `import()`, which
 * the build points at the chunk's file): checked first when the build listed
 * the chunk, as it is in the main file.
 */
export async function importChunk<T>(name: ChunkName, load: () => Promise<T>): Promise<T> {
  const chunk = CHUNK_FILES[name];
  if (chunk) await preloadChecked(new URL(chunk.file, import.meta.url).href, chunk.integrity);
  return load();
}

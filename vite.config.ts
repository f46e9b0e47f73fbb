/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { build, defineConfig } from 'vite';
import type { Plugin } from 'vite';

// `vite build` makes the file webmasters load: dist/commune-feed.js, an ES
// module with Lit inside, and beside it the files that module imports only
// when it needs them: the announcements' sanitizer (DOMPurify), with a feed's
// first formatted announcement, and the wall mode (its view, the QR code
// library), with the first `mode="wall"`. The main file carries each one's
// sha384 and checks it before importing it (widget/lazy-chunk.ts). The build
// also writes dist/commune-feed.manifest.json: the version, and each file
// with its `integrity`, for the versioned URL `/v/<version>/commune-feed.js`
// and the configurator's snippet (server/http/widget-files.ts). vitest runs
// the Node-side tests.

/** The main module, self-contained but for its lazily loaded chunks. */
const MAIN_FILE = 'commune-feed.js';
/** What the server and the configurator read: see `WidgetManifest` in server/http/widget-files.ts. */
const MANIFEST_FILE = 'commune-feed.manifest.json';
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** The module the wall chunk borrows from the main one (widget/wall-shared.ts), and its bindings. */
const WALL_SHARED = './wall-shared.js';
const WALL_SHARED_BINDINGS = ['css', 'html', 'nothing', 'renderPost', 'repeat'];

/** The `integrity` attribute of these bytes. */
function integrityOf(bytes: string | Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/** One lazily loaded file: its source, the one module that imports it, and what that module writes. */
interface LazyChunk {
  /** `sanitize` → `commune-feed-sanitize-<hash>.js`; a key of CHUNK_FILES (widget/chunk-files.ts). */
  name: 'sanitize' | 'wall';
  entry: string;
  /** The literal of the `import()`. */
  specifier: string;
  /** The only module allowed to import it, with `import()`. */
  loader: string;
  /** For the wall: the main module's Lit and post view, lent at load time rather than copied. */
  borrowsFromMain?: boolean;
}

const LAZY_CHUNKS: LazyChunk[] = [
  { name: 'sanitize', entry: 'widget/sanitize.ts', specifier: './sanitize.js', loader: '/widget/sanitizer-loader.ts' },
  {
    name: 'wall',
    entry: 'widget/wall-mode.ts',
    specifier: './wall-mode.js',
    loader: '/widget/wall-loader.ts',
    borrowsFromMain: true,
  },
];

/**
 * The minifier keeps Lit's css`` templates verbatim: squeeze the widget's
 * stylesheets (no interpolations in them) before bundling.
 */
function minifyCssTemplates() {
  return {
    name: 'commune-feed:minify-css-templates',
    transform(code: string, id: string) {
      if (!id.endsWith('.styles.ts')) return null;
      return code.replace(/css`([^`$]*)`/g, (_match: string, text: string) => {
        const minified = text
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,>])\s*/g, '$1')
          .replace(/:\s+/g, ':')
          .replace(/;}/g, '}')
          .trim();
        return `css\`${minified}\``;
      });
    },
  };
}

/**
 * In the wall's chunk, widget/wall-shared.ts becomes bindings that the main
 * module fills with its own (`provide`), so the page runs one Lit, with one
 * `lit-html` Trusted Types policy, and one post view.
 */
function borrowFromMain() {
  const id = '\0commune-feed:wall-shared';
  return {
    name: 'commune-feed:borrow-from-main',
    enforce: 'pre' as const,
    resolveId(source: string) {
      return source === WALL_SHARED ? id : null;
    },
    load(source: string) {
      if (source !== id) return null;
      const names = WALL_SHARED_BINDINGS.join(', ');
      return `export let ${names};\nexport function provide(shared) {\n  ({ ${names} } = shared);\n}\n`;
    },
  };
}

/** Builds one lazy chunk on its own, as a self-contained module. */
async function buildChunk(chunk: LazyChunk): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    plugins: chunk.borrowsFromMain ? [borrowFromMain()] : [],
    build: {
      write: false,
      target: 'es2021',
      lib: { entry: chunk.entry, formats: ['es'], fileName: () => `${chunk.name}.js` },
      rolldownOptions: {
        output: { minify: true, codeSplitting: false },
        plugins: [minifyCssTemplates()],
      },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result) as { output: { code?: string }[] };
  const code = output.output[0]?.code;
  if (!code) throw new Error(`the ${chunk.name} chunk was not built`);
  // A second Lit would ask for a second `lit-html` policy, which a strict CSP refuses.
  if (chunk.borrowsFromMain && /lit-html|reactiveElementVersions/.test(code)) {
    throw new Error(`the ${chunk.name} chunk carries a copy of Lit: import it through ${WALL_SHARED}`);
  }
  return code;
}

/**
 * Builds the lazy chunks, each named after its content
 * (`commune-feed-<name>-<hash>.js`, cached for good), and turns each loader's
 * `import('./<name>.js')` into an import of that file, which the browser
 * resolves against the main module's own URL: it comes from the same server
 * and folder, cross-origin or not, versioned or not. widget/chunk-files.ts
 * becomes the list of those files with their sha384. The main file keeps its
 * lazy `import('./define.js')` inlined (no code splitting), so it stays one
 * file; then the manifest is written.
 */
function lazyChunks(): Plugin {
  const files = new Map<string, { file: string; integrity: string }>();
  const chunkFilesId = '\0commune-feed:chunk-files';
  return {
    name: 'commune-feed:lazy-chunks',
    apply: 'build',
    enforce: 'pre',
    async buildStart() {
      for (const chunk of LAZY_CHUNKS) {
        const code = await buildChunk(chunk);
        const fileName = `commune-feed-${chunk.name}-${createHash('sha256').update(code).digest('base64url').slice(0, 10)}.js`;
        files.set(chunk.name, { file: `./${fileName}`, integrity: integrityOf(code) });
        this.emitFile({ type: 'asset', fileName, source: code });
      }
    },
    resolveId(source, importer) {
      if (source === './chunk-files.js') return chunkFilesId;
      const chunk = LAZY_CHUNKS.find((c) => c.specifier === source);
      if (!chunk) return null;
      if (!importer?.endsWith(chunk.loader)) {
        this.error(`only ${chunk.loader} may import ${source}, and only with import(): ${importer}`);
      }
      return { id: files.get(chunk.name)!.file, external: true };
    },
    load(id) {
      if (id !== chunkFilesId) return null;
      return `export const CHUNK_FILES = ${JSON.stringify(Object.fromEntries(files))};`;
    },
    generateBundle(_options, bundle) {
      const main = bundle[MAIN_FILE];
      const lazy = [...files.values()].map(({ file }) => file);
      // The inlined `import('./define.js')` counts as an import of the file itself.
      const dynamicImports = main?.type === 'chunk' ? main.dynamicImports.filter((file) => file !== MAIN_FILE) : [];
      if (
        main?.type !== 'chunk' ||
        main.imports.length > 0 ||
        dynamicImports.length !== lazy.length ||
        !lazy.every((file) => dynamicImports.includes(file))
      ) {
        this.error(
          `${MAIN_FILE} must import nothing but its lazy chunks (${lazy.join(', ')}), lazily: ${JSON.stringify(main?.type === 'chunk' ? [main.imports, main.dynamicImports] : main?.type)}`,
        );
      }
      const manifest = {
        version: VERSION,
        main: { file: `./${MAIN_FILE}`, integrity: integrityOf(main.code) },
        chunks: Object.fromEntries(files),
      };
      this.emitFile({ type: 'asset', fileName: MANIFEST_FILE, source: `${JSON.stringify(manifest, null, 2)}\n` });
    },
  };
}

export default defineConfig({
  plugins: [lazyChunks()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2021',
    sourcemap: false,
    lib: {
      entry: 'widget/index.ts',
      formats: ['es'],
      fileName: () => MAIN_FILE,
    },
    rolldownOptions: {
      // One file: the entry's lazy import('./define.js') is inlined, not split.
      output: { minify: true, codeSplitting: false },
      plugins: [minifyCssTemplates()],
    },
  },
  test: {
    include: ['test/server/**/*.test.ts', 'test/docs/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});

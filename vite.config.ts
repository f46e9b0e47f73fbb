/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { build, defineConfig } from 'vite';
import type { Plugin } from 'vite';

// `vite build` makes the file webmasters load: dist/commune-feed.js, an ES
// module with Lit and the QR code library inside, and beside it the
// announcements' sanitizer (DOMPurify), a file that module imports only when
// a feed shows formatted announcements. vitest runs the Node-side tests.

/** The main module, self-contained. */
const MAIN_FILE = 'commune-feed.js';
/** The sanitizer's source, and the one module that imports it (dynamically). */
const SANITIZER_ENTRY = 'widget/sanitize.ts';
const SANITIZER_LOADER = '/widget/sanitizer-loader.ts';

/**
 * Builds the sanitizer on its own, as a second self-contained module named
 * after its content (`commune-feed-sanitize-<hash>.js`, cached for good), and
 * turns the loader's `import('./sanitize.js')` into an import of that file,
 * which the browser resolves against the main module's own URL: it comes
 * from the same server, cross-origin or not. The main file keeps its lazy
 * `import('./define.js')` inlined (no code splitting), so it stays one file.
 */
function sanitizerChunk(): Plugin {
  let fileName = '';
  return {
    name: 'commune-feed:sanitizer-chunk',
    apply: 'build',
    enforce: 'pre',
    async buildStart() {
      const result = await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          write: false,
          target: 'es2021',
          lib: { entry: SANITIZER_ENTRY, formats: ['es'], fileName: () => 'sanitize.js' },
          rolldownOptions: { output: { minify: true, codeSplitting: false } },
        },
      });
      const output = (Array.isArray(result) ? result[0] : result) as { output: { code?: string }[] };
      const code = output.output[0]?.code;
      if (!code) this.error('the sanitizer chunk was not built');
      fileName = `commune-feed-sanitize-${createHash('sha256').update(code).digest('base64url').slice(0, 10)}.js`;
      this.emitFile({ type: 'asset', fileName, source: code });
    },
    resolveId(source, importer) {
      if (source !== './sanitize.js') return null;
      if (!importer?.endsWith(SANITIZER_LOADER)) {
        this.error(`only ${SANITIZER_LOADER} may import the sanitizer, and only with import(): ${importer}`);
      }
      return { id: `./${fileName}`, external: true };
    },
    generateBundle(_options, bundle) {
      const main = bundle[MAIN_FILE];
      if (main?.type !== 'chunk' || main.imports.length > 0 || !main.dynamicImports.includes(`./${fileName}`)) {
        this.error(
          `${MAIN_FILE} must import nothing but the sanitizer, lazily: ${JSON.stringify(main?.type === 'chunk' ? [main.imports, main.dynamicImports] : main?.type)}`,
        );
      }
    },
  };
}

export default defineConfig({
  plugins: [sanitizerChunk()],
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
      plugins: [
        {
          // The minifier keeps Lit's css`` templates verbatim: squeeze the
          // widget's stylesheet (no interpolations in it) before bundling.
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
        },
      ],
    },
  },
  test: {
    include: ['test/server/**/*.test.ts', 'test/docs/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});

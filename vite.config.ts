/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// `vite build` makes the one file webmasters load: dist/commune-feed.js, an ES
// module with Lit and the QR code library inside. vitest runs the Node-side tests.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2021',
    sourcemap: false,
    lib: {
      entry: 'widget/index.ts',
      formats: ['es'],
      fileName: () => 'commune-feed.js',
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

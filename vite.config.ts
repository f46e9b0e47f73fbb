/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// `vite build` makes the one file webmasters load: dist/commune-feed.js, an ES
// module with Lit and DOMPurify inside. vitest runs the Node-side tests.
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
      output: { minify: true },
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

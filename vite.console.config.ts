import { defineConfig } from 'vite';

// `vite build --config vite.console.config.ts` makes the organisers' console:
// dist/admin/console.js, one ES module with Lit, the console's elements, the
// widget's post view and its sanitizer (DOMPurify) inside. The server serves
// it at /admin/console.js to demo/admin/index.html, the page at /admin. It is
// a build of its own, so the embed (dist/commune-feed.js) stays as it is.

export default defineConfig({
  build: {
    outDir: 'dist/admin',
    emptyOutDir: true,
    target: 'es2021',
    sourcemap: false,
    lib: {
      entry: 'widget/console/index.ts',
      formats: ['es'],
      fileName: () => 'console.js',
    },
    rolldownOptions: {
      output: { minify: true, codeSplitting: false },
    },
  },
});

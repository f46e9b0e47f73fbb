/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Node as TsNode } from 'typescript';
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

/**
 * What the entry (widget/index.ts) imports with `import()` once the tag is
 * known to be free: the element, and Lit with it. In the main file the
 * element's code takes the place of that import (`lazyChunks`).
 */
const ELEMENT = {
  entry: 'widget/define.ts',
  specifier: './define.js',
  loader: '/widget/index.ts',
  /** The import left in the main file until the element's code replaces it. */
  placeholder: './commune-feed-element.js',
};
/** That import in the main file, however the minifier quotes it. */
const ELEMENT_IMPORT = new RegExp(`import\\((["'\`])${ELEMENT.placeholder.replace(/[.]/g, '\\.')}\\1\\)`, 'g');

/**
 * The element's module without its `export { … }` (nothing imports the
 * element's bindings: the entry only waits for it to be evaluated), so that
 * its code can run inside a function.
 */
function withoutExports(code: string, entry: string): string {
  const body = code.replace(/export\s*\{[^}]*\};?\s*$/, '');
  if (body === code) throw new Error(`${entry} must build into a module that ends with its export { … }`);
  return body;
}

/** Every file is one self-contained module, minified, without the annotations only a bundler would read. */
const ONE_MINIFIED_FILE = { minify: true, codeSplitting: false, comments: { annotation: false } } as const;

/** Matches these names and no other. */
function exactly(names: string[]): RegExp {
  return new RegExp(`^(?:${names.join('|')})$`);
}

/**
 * The names of the widget's private members that the minifier may shorten
 * in the element's file: declared `private` (TypeScript) in one of the
 * widget's modules, not decorated (Lit's reactive properties and attributes
 * keep their names), and written nowhere else: in no other module of the
 * element (Lit included), in no string of their own module (such as
 * `'name'`), in no lazy chunk (`elsewhere`: they are built apart, with their
 * own names) and in no API of the browser or the language (TypeScript's lib
 * files). So every use of the name is a use of that member, renamed with it.
 */
async function privateNames(moduleIds: string[], elsewhere: string[]): Promise<string[]> {
  // Loaded here only: the tests read this file too.
  const { default: ts } = await import('typescript');
  const sources = new Map(moduleIds.filter((id) => existsSync(id)).map((id) => [id, readFileSync(id, 'utf8')]));
  const libDir = path.dirname(createRequire(import.meta.url).resolve('typescript'));
  const libs = readdirSync(libDir)
    .filter((file) => /^lib\..*\.d\.ts$/.test(file))
    .map((file) => readFileSync(path.join(libDir, file), 'utf8'));
  const names = new Map<string, string>();
  for (const [id, text] of sources) {
    if (!id.includes('/widget/') || !id.endsWith('.ts')) continue;
    const file = ts.createSourceFile(id, text, ts.ScriptTarget.Latest, true);
    const visit = (node: TsNode): void => {
      if (ts.isClassElement(node) && node.name && ts.isIdentifier(node.name)) {
        const modifiers = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
        const decorated = ts.canHaveDecorators(node) && (ts.getDecorators(node) ?? []).length > 0;
        if (!decorated && modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) names.set(node.name.text, id);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return [...names]
    .filter(([name, home]) => {
      if (!/^\w+$/.test(name)) return false;
      const word = new RegExp(`\\b${name}\\b`);
      return (
        ![...sources].some(([id, text]) => id !== home && word.test(text)) &&
        !new RegExp(`['"\`]${name}['"\`]`).test(sources.get(home)!) &&
        ![...elsewhere, ...libs].some((text) => word.test(text))
      );
    })
    .map(([name]) => name)
    .sort();
}

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

/** Builds one module graph on its own, from `entry`, into a single self-contained module. */
async function buildOne(
  entry: string,
  plugins: Plugin[],
  minify: boolean | { mangleProps: { include: RegExp } } = true,
): Promise<{ code: string; dynamicImports: string[]; moduleIds: string[] }> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    plugins,
    build: {
      write: false,
      target: 'es2021',
      lib: { entry, formats: ['es'], fileName: () => 'one.js' },
      rolldownOptions: {
        output: { ...ONE_MINIFIED_FILE, minify: minify === true || { compress: true, mangle: true, ...minify } },
        plugins: [minifyCssTemplates()],
      },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result) as {
    output: { code?: string; imports?: string[]; dynamicImports?: string[]; moduleIds?: string[] }[];
  };
  const [chunk] = output.output;
  if (!chunk?.code) throw new Error(`${entry} was not built`);
  if (chunk.imports?.length) throw new Error(`${entry} must import nothing statically: ${chunk.imports.join(', ')}`);
  return { code: chunk.code, dynamicImports: chunk.dynamicImports ?? [], moduleIds: chunk.moduleIds ?? [] };
}

/** Builds one lazy chunk on its own, as a self-contained module. */
async function buildChunk(chunk: LazyChunk): Promise<string> {
  const { code } = await buildOne(chunk.entry, chunk.borrowsFromMain ? [borrowFromMain()] : []);
  // A second Lit would ask for a second `lit-html` policy, which a strict CSP refuses.
  if (chunk.borrowsFromMain && /lit-html|reactiveElementVersions/.test(code)) {
    throw new Error(`the ${chunk.name} chunk carries a copy of Lit: import it through ${WALL_SHARED}`);
  }
  return code;
}

/** Where the lazy chunks' files are, once built: by chunk name. */
type ChunkFiles = Map<string, { file: string; integrity: string }>;

/**
 * Turns each loader's `import('./<name>.js')` into an import of the chunk's
 * file, which the browser resolves against the main module's own URL: it
 * comes from the same server and folder, cross-origin or not, versioned or
 * not. widget/chunk-files.ts becomes the list of those files with their sha384.
 */
function chunkImports(files: ChunkFiles): Plugin {
  const chunkFilesId = '\0commune-feed:chunk-files';
  return {
    name: 'commune-feed:chunk-imports',
    enforce: 'pre',
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
  };
}

/**
 * Builds the lazy chunks, each named after its content
 * (`commune-feed-<name>-<hash>.js`, cached for good), then the element
 * (ELEMENT, with Lit) as one module of its own, and makes the main file of the
 * entry (widget/index.ts) with the element in place of its lazy
 * `import('./define.js')`: evaluated only when the entry asks for it, as that
 * import would be, but in one scope. Inlined by the bundler instead, each of
 * the element's modules would be wrapped in a start-up function of its own,
 * its top-level names kept apart from the minifier. Then the manifest is
 * written.
 */
function lazyChunks(): Plugin {
  const files: ChunkFiles = new Map();
  let element: string | undefined;
  return {
    name: 'commune-feed:lazy-chunks',
    apply: 'build',
    enforce: 'pre',
    async buildStart() {
      const lazyCode: string[] = [];
      for (const chunk of LAZY_CHUNKS) {
        const code = await buildChunk(chunk);
        lazyCode.push(code);
        const fileName = `commune-feed-${chunk.name}-${createHash('sha256').update(code).digest('base64url').slice(0, 10)}.js`;
        files.set(chunk.name, { file: `./${fileName}`, integrity: integrityOf(code) });
        this.emitFile({ type: 'asset', fileName, source: code });
      }
      const graph = await buildOne(ELEMENT.entry, [chunkImports(files)]);
      const names = await privateNames(graph.moduleIds, lazyCode);
      const built = names.length
        ? await buildOne(ELEMENT.entry, [chunkImports(files)], { mangleProps: { include: exactly(names) } })
        : graph;
      const lazy = [...files.values()].map(({ file }) => file);
      if (built.dynamicImports.length !== lazy.length || !lazy.every((file) => built.dynamicImports.includes(file))) {
        this.error(
          `${ELEMENT.entry} must import its lazy chunks (${lazy.join(', ')}), lazily: ${built.dynamicImports}`,
        );
      }
      element = withoutExports(built.code, ELEMENT.entry);
    },
    resolveId(source, importer) {
      if (source !== ELEMENT.specifier) return null;
      if (!importer?.endsWith(ELEMENT.loader)) {
        this.error(`only ${ELEMENT.loader} may import ${source}, and only with import(): ${importer}`);
      }
      return { id: ELEMENT.placeholder, external: true };
    },
    renderChunk(code, chunk) {
      if (chunk.fileName !== MAIN_FILE) return null;
      const imports = [...code.matchAll(ELEMENT_IMPORT)];
      if (imports.length !== 1 || !element) {
        this.error(`${MAIN_FILE} must import ${ELEMENT.specifier} once, with import(): ${imports.length} found`);
      }
      return code.replace(ELEMENT_IMPORT, () => `Promise.resolve().then(()=>{${element}})`);
    },
    generateBundle(_options, bundle) {
      const main = bundle[MAIN_FILE];
      if (
        main?.type !== 'chunk' ||
        main.imports.length > 0 ||
        main.dynamicImports.some((file) => file !== ELEMENT.placeholder) ||
        main.code.includes(ELEMENT.placeholder)
      ) {
        this.error(
          `${MAIN_FILE} must import nothing but the element, lazily: ${JSON.stringify(main?.type === 'chunk' ? [main.imports, main.dynamicImports] : main?.type)}`,
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
      // One file: the entry's lazy import('./define.js') becomes the element's code (`lazyChunks`), not a chunk.
      output: ONE_MINIFIED_FILE,
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

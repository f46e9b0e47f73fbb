/**
 * Static assets, read once and served from memory: the widget (`/commune-feed.js`
 * and the files it loads lazily beside it, such as the announcements'
 * sanitizer `/commune-feed-sanitize-<hash>.js`), the organisers' console
 * (`/admin`, its page in the demo folder and its script `/admin/console.js`)
 * and the demo site.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { etagMatches, strongEtag, variantEtag } from '../delivery/etag.js';
import { negotiateEncoding } from '../delivery/snapshot-cache.js';
import { bodyHeaders, consoleFileHeaders, demoFileHeaders, widgetFileHeaders, type HeaderSet } from './headers.js';
import { jsonError } from './errors.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.json', '.svg', '.txt']);

/** The console's script, as the console build writes it (vite.console.config.ts). */
const CONSOLE_FILE = 'console.js';

/** Whether a demo-folder path belongs to the console (`/admin`, `/admin/…`). */
function isConsolePath(p: string): boolean {
  return p === '/admin' || p.startsWith('/admin/');
}

/**
 * Service workers of the demo pages: checked for updates at every visit
 * (`no-cache`), so a new version reaches a screen that never closes its page.
 */
const SERVICE_WORKERS = new Set(['/mur-sw.js']);

/** One encoded form of a file, with its ETag, both computed when the file is loaded. */
interface AssetBody {
  bytes: Buffer;
  etag: string;
}

interface Asset {
  type: string;
  identity: AssetBody;
  gzip?: AssetBody;
  br?: AssetBody;
}

function loadAsset(file: string): Asset {
  const ext = path.extname(file).toLowerCase();
  const bytes = readFileSync(file);
  const etag = strongEtag(bytes);
  const asset: Asset = { type: CONTENT_TYPES[ext] ?? 'application/octet-stream', identity: { bytes, etag } };
  if (COMPRESSIBLE.has(ext) && bytes.length > 512) {
    asset.gzip = { bytes: gzipSync(bytes, { level: 9 }), etag: variantEtag(etag, 'gzip') };
    asset.br = { bytes: brotliCompressSync(bytes), etag: variantEtag(etag, 'br') };
  }
  return asset;
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? listFiles(full, rel) : [rel];
  });
}

/** Answers with the form of `asset` the client accepts; `policy` is its family's headers (`headers.ts`). */
function serveAsset(c: Context, asset: Asset, policy: HeaderSet): Response {
  const negotiated = asset.gzip ? negotiateEncoding(c.req.header('accept-encoding')) : 'identity';
  const encoding = negotiated === 'identity' || !asset[negotiated] ? 'identity' : negotiated;
  const { bytes, etag } = encoding === 'identity' ? asset.identity : asset[encoding]!;
  const notModified = etagMatches(c.req.header('if-none-match'), etag);
  const headers = { ...bodyHeaders(policy, { etag, encoding }, asset.type, notModified) };
  return notModified ? c.body(null, 304, headers) : c.body(new Uint8Array(bytes), 200, headers);
}

export interface AssetsOptions {
  /** The built widget (dist/commune-feed.js); its lazily loaded files sit beside it. */
  widgetFile: string;
  /** The built console (default: `admin/` beside the widget). */
  consoleDir?: string;
  /** The demo site folder. */
  demoDir: string;
}

export function createAssets({ widgetFile, demoDir, consoleDir }: AssetsOptions) {
  const app = new Hono();
  let widget: Asset | undefined;
  const widgetAsset = () => {
    if (!widget && existsSync(widgetFile)) widget = loadAsset(widgetFile);
    return widget;
  };

  // The demo site: every file read once at start-up; the folder is small.
  const demo = new Map<string, Asset>();
  for (const rel of listFiles(demoDir)) demo.set(`/${rel}`, loadAsset(path.join(demoDir, rel)));

  app.get('/commune-feed.js', (c) => {
    const asset = widgetAsset();
    if (!asset) return jsonError(c, 503, 'the widget is not built: run "npm run build"');
    return serveAsset(c, asset, widgetFileHeaders(false));
  });

  // The widget's lazily loaded files, as the build names them (`commune-feed-<name>-<hash>.js`):
  // only such names, only files that exist beside the main one.
  const chunks = new Map<string, Asset>();
  app.get('/:file{commune-feed-[A-Za-z0-9_-]+\\.js}', (c) => {
    const name = c.req.param('file');
    const file = path.join(path.dirname(widgetFile), name);
    let asset = chunks.get(name);
    if (!asset && existsSync(file)) {
      asset = loadAsset(file);
      chunks.set(name, asset);
    }
    if (!asset) return jsonError(c, 404, `no widget file "${name}": run "npm run build", and reload the page`);
    return serveAsset(c, asset, widgetFileHeaders(true));
  });

  // The console's script, as the console build names it (dist/admin/console.js).
  const consoleFiles = new Map<string, Asset>();
  const consoleRoot = consoleDir ?? path.join(path.dirname(widgetFile), 'admin');
  app.get('/admin/:file{[A-Za-z0-9_-]+\\.js}', (c) => {
    const name = c.req.param('file');
    let asset = consoleFiles.get(name);
    const file = path.join(consoleRoot, name);
    if (!asset && existsSync(file)) {
      asset = loadAsset(file);
      consoleFiles.set(name, asset);
    }
    if (!asset && name === CONSOLE_FILE) return jsonError(c, 503, 'the console is not built: run "npm run build"');
    if (!asset) return jsonError(c, 404, `no console file "${name}"`);
    return serveAsset(c, asset, consoleFileHeaders(asset.type));
  });

  app.get('*', (c, next) => {
    let p: string;
    try {
      p = decodeURIComponent(c.req.path);
    } catch {
      return jsonError(c, 400, 'malformed URL');
    }
    if (p.startsWith('/demo/')) p = p.slice('/demo'.length);
    if (p.endsWith('/')) p += 'index.html';
    const asset = demo.get(p) ?? demo.get(`${p}.html`) ?? demo.get(`${p}/index.html`);
    if (!asset) return next();
    if (isConsolePath(p)) return serveAsset(c, asset, consoleFileHeaders(asset.type));
    return serveAsset(c, asset, demoFileHeaders(asset.type, SERVICE_WORKERS.has(p)));
  });

  return app;
}

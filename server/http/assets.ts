/**
 * Static assets, read once and served from memory: the widget (its files and
 * their versioned URLs, widget-files.ts), the organisers' console
 * (`/admin`, its page in the demo folder and its script `/admin/console.js`)
 * and the demo site.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { jsonError } from './errors.js';
import { consoleFileHeaders, demoFileHeaders } from './headers.js';
import { loadAsset, serveAsset } from './static-file.js';
import type { Asset } from './static-file.js';
import { createWidgetFiles } from './widget-files.js';

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

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? listFiles(full, rel) : [rel];
  });
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
  app.route('/', createWidgetFiles(widgetFile));

  // The demo site: every file read once at start-up; the folder is small.
  const demo = new Map<string, Asset>();
  for (const rel of listFiles(demoDir)) demo.set(`/${rel}`, loadAsset(path.join(demoDir, rel)));

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

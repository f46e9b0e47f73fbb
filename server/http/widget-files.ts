/**
 * The widget's files, as the build writes them in dist/ (vite.config.ts):
 * - `/v/<version>/commune-feed.js` and its chunks beside it: the versioned,
 *   immutable URL a snippet with `integrity` (Subresource Integrity) points
 *   at. Only this server's version is served; any other answers 404.
 * - `/commune-feed.js`: the short alias, always the current version, cached
 *   briefly; its chunks `/commune-feed-<name>-<hash>.js` are named after
 *   their content and cached for good.
 * - `/commune-feed.manifest.json`: the version and each file's `integrity`,
 *   for the configurator's snippet.
 * Each file is read once, the first time it is asked for, and served from memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { jsonError } from './errors.js';
import { widgetFileHeaders } from './headers.js';
import { loadAsset, serveAsset } from './static-file.js';
import type { Asset } from './static-file.js';

/** The build's manifest: what `/v/<version>/` serves and what a snippet's `integrity` says. */
export interface WidgetManifest {
  version: string;
  main: { file: string; integrity: string };
  chunks: Record<string, { file: string; integrity: string }>;
}

export const MANIFEST_FILE = 'commune-feed.manifest.json';

/** A chunk's file name as the build writes it. */
const CHUNK_NAME = '{commune-feed-[A-Za-z0-9_-]+\\.js}';

export function createWidgetFiles(widgetFile: string) {
  const app = new Hono();
  const dir = path.dirname(widgetFile);
  const files = new Map<string, Asset>();
  /** A file of dist/ by name, read once; undefined when the build did not write it. */
  const file = (name: string): Asset | undefined => {
    let asset = files.get(name);
    const full = path.join(dir, name);
    if (!asset && existsSync(full)) {
      asset = loadAsset(full);
      files.set(name, asset);
    }
    return asset;
  };
  let manifest: WidgetManifest | undefined;
  const readManifest = (): WidgetManifest | undefined => {
    const full = path.join(dir, MANIFEST_FILE);
    if (!manifest && existsSync(full)) manifest = JSON.parse(readFileSync(full, 'utf8')) as WidgetManifest;
    return manifest;
  };
  const notBuilt = (c: Context) => jsonError(c, 503, 'the widget is not built: run "npm run build"');

  app.get('/commune-feed.js', (c) => {
    const asset = file('commune-feed.js');
    return asset ? serveAsset(c, asset, widgetFileHeaders(false)) : notBuilt(c);
  });

  app.get(`/:file${CHUNK_NAME}`, (c) => {
    const name = c.req.param('file');
    const asset = file(name);
    if (!asset) return jsonError(c, 404, `no widget file "${name}": run "npm run build", and reload the page`);
    return serveAsset(c, asset, widgetFileHeaders(true));
  });

  app.get(`/${MANIFEST_FILE}`, (c) => {
    const asset = readManifest() && file(MANIFEST_FILE);
    return asset ? serveAsset(c, asset, widgetFileHeaders(false)) : notBuilt(c);
  });

  app.get('/v/:version/:file{commune-feed(?:-[A-Za-z0-9_-]+)?\\.js}', (c) => {
    const current = readManifest();
    if (!current) return notBuilt(c);
    const { version, file: name } = c.req.param();
    if (version !== current.version) {
      return jsonError(
        c,
        404,
        `this server has version ${current.version} of the widget, not ${version}: take the code from its configurator again`,
      );
    }
    const asset = file(name);
    if (!asset) return jsonError(c, 404, `no widget file "${name}" in version ${version}`);
    return serveAsset(c, asset, widgetFileHeaders(true));
  });

  return app;
}

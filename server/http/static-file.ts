/**
 * A file read once and served from memory: its bytes, gzip and brotli forms
 * and their ETags computed when it is loaded, the form picked by
 * `Accept-Encoding`, `304` to a matching `If-None-Match`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { etagMatches, strongEtag, variantEtag } from '../delivery/etag.js';
import { negotiateEncoding } from '../delivery/snapshot-cache.js';

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

/** One encoded form of a file, with its ETag, both computed when the file is loaded. */
interface AssetBody {
  bytes: Buffer;
  etag: string;
}

export interface Asset {
  type: string;
  identity: AssetBody;
  gzip?: AssetBody;
  br?: AssetBody;
}

export function loadAsset(file: string): Asset {
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

/** Answers with the asset in the best encoding the client accepts, and `headers`. */
export function serveAsset(c: Context, asset: Asset, headers: Record<string, string>): Response {
  const encoding = asset.gzip ? negotiateEncoding(c.req.header('accept-encoding')) : 'identity';
  const { bytes, etag } = (encoding === 'identity' ? undefined : asset[encoding]) ?? asset.identity;
  const all: Record<string, string> = { ...headers, etag, vary: 'Accept-Encoding' };
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, all);
  all['content-type'] = asset.type;
  if (encoding !== 'identity') all['content-encoding'] = encoding;
  return c.body(new Uint8Array(bytes), 200, all);
}

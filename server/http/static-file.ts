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
import { bodyHeaders, type HeaderSet } from './headers.js';

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

/** Answers with the form of `asset` the client accepts; `policy` is its family's headers (`headers.ts`). */
export function serveAsset(c: Context, asset: Asset, policy: HeaderSet): Response {
  const negotiated = asset.gzip ? negotiateEncoding(c.req.header('accept-encoding')) : 'identity';
  const encoding = negotiated === 'identity' || !asset[negotiated] ? 'identity' : negotiated;
  const { bytes, etag } = encoding === 'identity' ? asset.identity : asset[encoding]!;
  const notModified = etagMatches(c.req.header('if-none-match'), etag);
  const headers = { ...bodyHeaders(policy, { etag, encoding }, asset.type, notModified) };
  return notModified ? c.body(null, 304, headers) : c.body(new Uint8Array(bytes), 200, headers);
}

/**
 * 5: the widget as webmasters load it (built by `npm run build`): the gzip size of dist/commune-feed.js, which
 * every page loads, and, reported beside it, of each file it loads only when needed (the wall mode, the
 * announcements' sanitizer), as the build's manifest lists them.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { WidgetManifest } from '../server/http/widget-files.js';
import { MANIFEST_FILE } from '../server/http/widget-files.js';
import { ROOT } from './ipc.js';
import { atMost, KiB, round, type BenchOutcome } from './report.js';

const DIST = path.join(ROOT, 'dist');
const MAIN = 'commune-feed.js';

function measure(name: string) {
  const bytes = readFileSync(path.join(DIST, name));
  const gzipBytes = gzipSync(bytes, { level: 9 }).length;
  return {
    file: `dist/${name}`,
    bytes: bytes.length,
    rawKiB: round(bytes.length / KiB, 1),
    gzipBytes,
    gzipKiB: round(gzipBytes / KiB, 1),
    brotliKiB: round(brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length / KiB, 1),
  };
}

export function benchBundle(maxGzipKiB = 25, log = console.log): BenchOutcome {
  let manifest: WidgetManifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(DIST, MANIFEST_FILE), 'utf8')) as WidgetManifest;
  } catch (error) {
    throw new Error(`dist/${MANIFEST_FILE} cannot be read (${String(error)}): run npm run build`);
  }
  const main = measure(MAIN);
  const chunks = Object.fromEntries(
    Object.entries(manifest.chunks).map(([name, { file }]) => [name, measure(path.basename(file))]),
  );
  const figures = { builtAt: statSync(path.join(DIST, MAIN)).mtime.toISOString(), main, ...chunks };
  for (const { file, rawKiB, gzipBytes, gzipKiB, brotliKiB } of [main, ...Object.values(chunks)]) {
    log(`  ${file}: ${rawKiB} KiB, ${gzipKiB} KiB (${gzipBytes} B) gzip -9, ${brotliKiB} KiB brotli 11`);
  }
  return {
    name: 'bundle',
    figures,
    targets: [atMost('widget main file (every page), gzip -9', main.gzipKiB, maxGzipKiB, 'KiB')],
  };
}

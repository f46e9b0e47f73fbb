/**
 * 5: the widget as webmasters load it (built by `npm run build`): the gzip size of dist/commune-feed.js, which
 * every page loads, and, reported beside it, of the sanitizer chunk it loads only for formatted announcements.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ROOT } from './ipc.js';
import { atMost, KiB, round, type BenchOutcome } from './report.js';

const DIST = path.join(ROOT, 'dist');
const MAIN = 'commune-feed.js';
/** The lazily loaded sanitizer, named after its content. */
const CHUNK = /^commune-feed-sanitize-[\w-]+\.js$/;

function measure(name: string) {
  const bytes = readFileSync(path.join(DIST, name));
  return {
    file: `dist/${name}`,
    rawKiB: round(bytes.length / KiB, 1),
    gzipKiB: round(gzipSync(bytes, { level: 9 }).length / KiB, 1),
    brotliKiB: round(brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length / KiB, 1),
  };
}

export function benchBundle(maxGzipKiB = 25, log = console.log): BenchOutcome {
  const chunks = readdirSync(DIST).filter((name) => CHUNK.test(name));
  if (chunks.length !== 1)
    throw new Error(`expected one sanitizer chunk in dist/, found ${chunks.length}: run npm run build`);
  const main = measure(MAIN);
  const sanitizer = measure(chunks[0]!);
  const figures = { builtAt: statSync(path.join(DIST, MAIN)).mtime.toISOString(), main, sanitizer };
  for (const { file, rawKiB, gzipKiB, brotliKiB } of [main, sanitizer]) {
    log(`  ${file}: ${rawKiB} KiB, ${gzipKiB} KiB gzip -9, ${brotliKiB} KiB brotli 11`);
  }
  return {
    name: 'bundle',
    figures,
    targets: [atMost('widget main file (every page), gzip -9', main.gzipKiB, maxGzipKiB, 'KiB')],
  };
}

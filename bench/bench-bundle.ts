/** 5: the widget bundle as webmasters load it: gzip size of dist/commune-feed.js (built by `npm run build`). */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ROOT } from './ipc.js';
import { atMost, KiB, round, type BenchOutcome } from './report.js';

export function benchBundle(maxGzipKiB = 25, log = console.log): BenchOutcome {
  const file = path.join(ROOT, 'dist', 'commune-feed.js');
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const figures = {
    file: 'dist/commune-feed.js',
    builtAt: statSync(file).mtime.toISOString(),
    rawKiB: round(bytes.length / KiB, 1),
    gzipKiB: round(gzip / KiB, 1),
    brotliKiB: round(brotli / KiB, 1),
  };
  log(
    `  dist/commune-feed.js: ${figures.rawKiB} KiB, ${figures.gzipKiB} KiB gzip -9, ${figures.brotliKiB} KiB brotli 11`,
  );
  return { name: 'bundle', figures, targets: [atMost('widget bundle, gzip -9', figures.gzipKiB, maxGzipKiB, 'KiB')] };
}

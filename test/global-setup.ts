/**
 * Before any test file: the compiled server (`dist/server`) that process tests start is brought up
 * to date when a source changed since the last build (`npm test` has just built it, so it is
 * nothing there; a single test file run after an edit pays for one compilation).
 */
import { spawnSync } from 'node:child_process';
import { ROOT, compiledServerIsStale } from './helpers/compiled.js';

export default function setup(): void {
  if (!compiledServerIsStale()) return;
  const run = spawnSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--noCheck'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`the server could not be compiled for the tests:\n${run.stdout}${run.stderr}`);
}

/**
 * The package's own folder, where `package.json`, the built widget (`dist/`) and the demo
 * pages (`demo/`) live, found from this module's place: `server/` when the sources run
 * through tsx, `dist/server/` once compiled, `node_modules/commune-feed/dist/server/` when
 * installed from npm.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The folder of commune-feed's `package.json`. */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The version of this package, from its `package.json`. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

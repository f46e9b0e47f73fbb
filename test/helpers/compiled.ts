/**
 * The compiled server, as `npm start` and the `commune-feed` command run it (`dist/server/…`), for
 * the tests that start real processes: Node starts it in about half the time tsx takes from the
 * sources. `test/global-setup.ts` compiles it first whenever a source is newer than the build.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A compiled module of the server, by its source path: `server/cli/admin.ts` → `dist/server/cli/admin.js`. */
export function compiled(source: string): string {
  return path.join(ROOT, 'dist', source.replace(/\.ts$/, '.js'));
}

/** The sources `tsconfig.build.json` compiles, and the settings that shape the output. */
const SOURCE_DIRS = ['server', 'widget'];
const SETTINGS = ['tsconfig.json', 'tsconfig.build.json'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether `dist/server` is missing or older than a source it is compiled from. */
export function compiledServerIsStale(): boolean {
  const main = compiled('server/main.ts');
  if (!existsSync(main)) return true;
  const built = statSync(main).mtimeMs;
  const newest = Math.max(
    ...SOURCE_DIRS.map((dir) => newestSource(path.join(ROOT, dir))),
    ...SETTINGS.map((file) => statSync(path.join(ROOT, file)).mtimeMs),
  );
  return newest > built;
}

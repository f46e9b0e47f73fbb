/**
 * The package as the town's IT gets it: `npm pack`, installed by docker/install.sh (the
 * Dockerfile's install step) into a clean folder with its runtime dependencies only, then
 * started with its `commune-feed` command (the Dockerfile's CMD) and probed by the
 * Dockerfile's HEALTHCHECK. The one slow test of the suite (about 20 to 40 s): it packs and
 * installs once, and every check below uses that one installation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/config.js';

const ROOT = process.cwd();
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };
const work = tempDir('commune-feed-package-');
const app = path.join(work, 'app');
let server: ChildProcess | undefined;
let url = '';
let serverLog = '';
let exited: Promise<number | string>;

/**
 * A local prebuilt binary of better-sqlite3 (prebuild-install's `local-prebuilds`), made from
 * the addon this checkout already compiled for this Node: the install then skips a 90-second
 * node-gyp build and needs no download. Sites without a compiler can do the same.
 */
function localPrebuild(): Record<string, string> {
  const addon = path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  const sqlite = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as {
    version: string;
  };
  const stage = path.join(work, 'prebuild');
  mkdirSync(path.join(stage, 'build/Release'), { recursive: true });
  execFileSync('cp', [addon, path.join(stage, 'build/Release/')]);
  const name = `better-sqlite3-v${sqlite.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['czf', path.join(work, name), '-C', stage, 'build']);
  return { npm_config_better_sqlite3_local_prebuilds: work };
}

function dockerfileHealthcheck(): string[] {
  const line = readFileSync('Dockerfile', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('HEALTHCHECK'));
  return JSON.parse(line!.slice(line!.indexOf(' CMD ') + 5)) as string[];
}

beforeAll(async () => {
  if (!existsSync('dist/server/cli/commune-feed.js') || !existsSync('dist/commune-feed.js')) {
    throw new Error('run `npm run build` first: the package is made of dist/');
  }
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim();
  const tarball = path.join(work, packed.split('\n').at(-1)!);
  const install = spawnSync('sh', [path.join(ROOT, 'docker/install.sh'), tarball, app], {
    cwd: work,
    env: { ...process.env, ...localPrebuild() },
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (install.status !== 0)
    throw new Error(`install.sh failed (${install.status}):\n${install.stdout}\n${install.stderr}`);

  server = spawn(path.join(app, 'node_modules/.bin/commune-feed'), [], {
    cwd: app,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: path.join(work, 'data'),
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  exited = new Promise((resolve) => server!.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  url = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    server!.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk;
      serverLog = stderr;
      const live = /commune-feed is live: (\S+)/.exec(stderr);
      if (live) resolve(live[1]!);
    });
    void exited.then((code) => reject(new Error(`commune-feed exited (${code}) before serving:\n${stderr}`)));
  });
}, 300_000);

afterAll(() => {
  if (server?.exitCode === null) server.kill('SIGKILL');
});

describe('the npm package, installed in a clean folder', () => {
  it('holds the runtime dependencies only, not the build and test tools', () => {
    const installed = readdirSync(path.join(app, 'node_modules'));
    expect(installed).toEqual(expect.arrayContaining(['commune-feed', 'better-sqlite3', 'hono', 'lit']));
    for (const tool of ['vite', 'tsx', 'typescript', 'vitest', 'playwright-core', 'prettier']) {
      expect(installed).not.toContain(tool);
    }
  });

  it('starts with its commune-feed command on the demo source and answers GET /api/health', async () => {
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', feeds: [{ feed: 'saint-etienne', source: 'demo' }] });
    const bundle = await fetch(`${url}/commune-feed.js`);
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).toBe(readFileSync('dist/commune-feed.js', 'utf8'));
    expect((await fetch(`${url}/mur.html`)).status).toBe(200);
  });

  it('logs one JSON object per line with LOG_FORMAT=json', () => {
    const lines = serverLog.split('\n').filter((line) => line.startsWith('{'));
    const started = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.event === 'server.started');
    expect(started).toMatchObject({ level: 'info', url, feeds: 'saint-etienne:demo' });
  });

  it('answers npx commune-feed --version in its folder', () => {
    const run = spawnSync('npx', ['--no-install', 'commune-feed', '--version'], { cwd: app, encoding: 'utf8' });
    expect(run.stdout).toBe(`${manifest.version}\n`);
  });

  it('passes the Dockerfile health check', () => {
    const [command, ...args] = dockerfileHealthcheck();
    const port = new URL(url).port;
    const probe = spawnSync(command!, args, { env: { ...process.env, PORT: port }, timeout: 10_000 });
    expect(probe.status).toBe(0);
    const down = spawnSync(command!, args, { env: { ...process.env, PORT: '1' }, timeout: 10_000 });
    expect(down.status).toBe(1);
  });

  it('gives bundler users the element as ES modules with types, and the standalone bundle', () => {
    const resolve = (specifier: string) =>
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', `console.log(import.meta.resolve('${specifier}'))`],
        {
          cwd: app,
          encoding: 'utf8',
        },
      ).trim();
    const packageDir = path.join(app, 'node_modules', manifest.name);
    expect(resolve('commune-feed')).toBe(`file://${packageDir}/dist/widget/define.js`);
    expect(resolve('commune-feed/element')).toBe(`file://${packageDir}/dist/widget/commune-feed.js`);
    expect(resolve('commune-feed/bundle')).toBe(`file://${packageDir}/dist/commune-feed.js`);
    const element = readFileSync(path.join(packageDir, 'dist/widget/commune-feed.js'), 'utf8');
    expect(element).toMatch(/^import .* from 'lit';$/m);
    expect(readFileSync(path.join(packageDir, 'dist/widget/commune-feed.d.ts'), 'utf8')).toContain(
      'export declare class CommuneFeed extends LitElement',
    );
    expect(readFileSync(path.join(packageDir, 'dist/widget/define.d.ts'), 'utf8')).toContain('defineCommuneFeed');
  });

  it.skipIf(spawnSync('systemd-analyze', ['--version']).status !== 0)(
    'is what the systemd unit of the docs starts, and the unit is valid',
    () => {
      // The unit as docs/deploy.md installs it, with the package installed here instead of /opt/commune-feed.
      const unit = path.join(work, 'commune-feed.service');
      writeFileSync(
        unit,
        readFileSync('docs/deploy/commune-feed.service', 'utf8').replaceAll('/opt/commune-feed', app),
      );
      const verify = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8', timeout: 20_000 });
      expect(verify.stderr).toBe('');
      expect(verify.status).toBe(0);
    },
  );

  it('stops on SIGTERM with exit status 0', async () => {
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

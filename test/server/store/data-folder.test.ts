import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataFolderError, HOLDER_FILE, lockDataFolder } from '../../../server/store/data-folder.js';
import { tempDir } from '../../helpers/config.js';
import { failedStart, startProcess, type StartedProcess } from '../../helpers/server-process.js';

const running: StartedProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

async function start(dir: string): Promise<StartedProcess> {
  const server = await startProcess({ env: { DATA_DIR: dir } });
  running.push(server);
  return server;
}

describe('lockDataFolder', () => {
  it('lets one holder at a time have the folder, and names the holder to the next', () => {
    const dir = tempDir();
    const first = lockDataFolder(dir, Date.parse('2026-10-10T08:00:00Z'));
    expect(JSON.parse(readFileSync(path.join(dir, HOLDER_FILE), 'utf8'))).toEqual({
      pid: process.pid,
      startedAt: '2026-10-10T08:00:00.000Z',
    });
    let refused: unknown;
    try {
      lockDataFolder(dir);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataFolderError);
    expect(refused).toMatchObject({ problem: 'locked', folder: dir, holder: { pid: process.pid } });

    first.release();
    expect(existsSync(path.join(dir, HOLDER_FILE))).toBe(false);
    lockDataFolder(dir).release();
  });
});

describe('two processes on one DATA_DIR', { timeout: 60_000 }, () => {
  it('refuses the second one, naming the folder and the process that holds it', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const { status, line } = failedStart({ env: { DATA_DIR: dir } });
    expect(status).toBe(3);
    expect(line).toMatch(
      new RegExp(
        `^commune-feed: DATA_DIR ${dir} is in use by another commune-feed process \\(pid ${first.child.pid}, started \\d{4}-.+Z\\): stop that one first, or give this one its own DATA_DIR$`,
      ),
    );
    expect((await fetch(`${first.url}/api/feeds`)).status).toBe(200);
  });

  it('frees the folder by itself when the holder is killed with SIGKILL', async () => {
    const dir = tempDir();
    const first = await start(dir);
    expect(failedStart({ env: { DATA_DIR: dir } }).status).toBe(3);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const second = await start(dir);
    expect((await fetch(`${second.url}/api/feeds`)).status).toBe(200);
  });

  it('frees the folder when the holder stops on SIGTERM', async () => {
    const dir = tempDir();
    const first = await start(dir);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(path.join(dir, HOLDER_FILE))).toBe(false);
    const second = await start(dir);
    expect((await fetch(`${second.url}/api/feeds`)).status).toBe(200);
  });
});

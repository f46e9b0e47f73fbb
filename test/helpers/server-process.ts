/** The real process, as an operator starts it: `node dist/server/main.js` with an environment. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { ROOT, compiled } from './compiled.js';
import { tempDir } from './config.js';

const MAIN = [compiled('server/main.ts')];
/** The user `nobody`, for what root is always allowed to do. */
export const NOBODY = { uid: 65534, gid: 65534 };

export interface ProcessOptions {
  args?: string[];
  /** Added to the test's environment; DATA_DIR defaults to a fresh folder, PORT to 0, HOST to 127.0.0.1. */
  env?: Record<string, string>;
  /** Runs as this user (needs root). */
  user?: { uid: number; gid: number };
  /** Limits the size of any file the process writes (RLIMIT_FSIZE), in KiB. */
  fileSizeLimitKiB?: number;
  /** Called with the child as soon as it is spawned, before it serves (to kill it mid-start). */
  spawned?: (child: ChildProcess) => void;
}

function command(options: ProcessOptions): [string, string[]] {
  const args = [...MAIN, ...(options.args ?? [])];
  if (options.fileSizeLimitKiB === undefined) return [process.execPath, args];
  // `ulimit -f` counts 512-byte blocks in sh.
  return ['sh', ['-c', `ulimit -f ${options.fileSizeLimitKiB * 2} && exec "$0" "$@"`, process.execPath, ...args]];
}

function spawnOptions(options: ProcessOptions) {
  return {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: tempDir(), PORT: '0', HOST: '127.0.0.1', ...options.env },
    ...options.user,
  };
}

/** Runs the process until it exits by itself (a failed start). */
export function runUntilExit(options: ProcessOptions = {}) {
  const [file, args] = command(options);
  return spawnSync(file, args, { ...spawnOptions(options), encoding: 'utf8', timeout: 30_000 });
}

/** Runs a start that must fail: its exit code and its one line, checked to hold no stack trace. */
export function failedStart(options: ProcessOptions = {}) {
  const result = runUntilExit(options);
  expect(result.stderr).not.toContain('    at ');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  return { status: result.status, line: result.stderr.trim() };
}

export interface StartedProcess {
  child: ChildProcess;
  url: string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

/** Starts the process and resolves once it serves; rejects with its stderr if it exits first. */
export function startProcess(options: ProcessOptions = {}): Promise<StartedProcess> {
  const [file, args] = command(options);
  const child = spawn(file, args, { ...spawnOptions(options), stdio: ['ignore', 'ignore', 'pipe'] });
  options.spawned?.(child);
  let stderr = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const live = /commune-feed is live: (\S+)/.exec(stderr);
      if (live) resolve({ child, url: live[1]!, stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`the process exited (${code}) before serving:\n${stderr}`)));
  });
}

/** Whether this test may run a process as `nobody` (it runs as root, and nobody can read the project). */
export function canRunAsNobody(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync(process.execPath, [compiled('server/cli/commune-feed.ts'), '--version'], {
    cwd: ROOT,
    ...NOBODY,
    timeout: 20_000,
  });
  return probe.status === 0;
}

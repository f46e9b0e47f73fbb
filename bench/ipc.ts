/**
 * A tiny request/reply protocol over Node's IPC channel, so that the
 * orchestrator (run.ts) can drive servers, load generators and socket clients
 * that live in their own processes. Every request has a timeout; every child
 * exits when its parent goes away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');

interface Request {
  id: number;
  type: string;
  args?: unknown;
}
interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface ChildOptions {
  /** Extra node flags (e.g. --expose-gc). tsx is always loaded. */
  nodeArgs?: string[];
  /** Pin the process to these CPUs with taskset (e.g. "0"). */
  cpus?: string | undefined;
  /** Raise the soft open-files limit to the hard limit first (through sh). */
  raiseFileLimit?: boolean;
  env?: Record<string, string>;
  /** Arguments after the script. */
  args?: string[];
}

export interface Child {
  name: string;
  process: ChildProcess;
  request<T = unknown>(type: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** SIGKILL, then wait for the exit (bounded). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  exited: Promise<number | null>;
}

const live = new Set<Child>();

/** Every child still running (for the final clean-up). */
export function liveChildren(): Child[] {
  return [...live];
}

let taskset: boolean | undefined;
async function hasTaskset(): Promise<boolean> {
  if (taskset !== undefined) return taskset;
  taskset = await new Promise<boolean>((resolve) => {
    const p = spawn('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    p.on('error', () => resolve(false));
    p.on('exit', (code) => resolve(code === 0));
  });
  return taskset;
}

/** Starts `bench/<script>` in its own node process with an IPC channel. */
export async function spawnChild(script: string, name: string, options: ChildOptions = {}): Promise<Child> {
  const file = path.join(BENCH_DIR, script);
  let argv = [process.execPath, ...(options.nodeArgs ?? []), '--import', 'tsx', file, ...(options.args ?? [])];
  if (options.cpus !== undefined && (await hasTaskset())) argv = ['taskset', '-c', options.cpus, ...argv];
  let command = argv[0]!;
  let args = argv.slice(1);
  if (options.raiseFileLimit) {
    // `exec` keeps the IPC file descriptor: the node process is still our direct channel.
    const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    command = '/bin/sh';
    args = ['-c', `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${quoted}`];
  }
  const proc = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      live.delete(child);
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${name} exited (code ${code}) before answering`));
      }
      pending.clear();
      resolve(code);
    });
  });
  proc.on('message', (msg: Reply) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(`${name}: ${msg.error}`));
  });
  const child: Child = {
    name,
    process: proc,
    exited,
    request<T>(type: string, args?: unknown, timeoutMs = 30_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: "${type}" got no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        if (!proc.connected) {
          clearTimeout(timer);
          pending.delete(id);
          reject(new Error(`${name} is not connected`));
          return;
        }
        proc.send({ id, type, args } satisfies Request);
      });
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      await Promise.race([exited, sleep(5_000)]);
    },
  };
  live.add(child);
  // The child says "ready" once its handlers are installed.
  await child.request('ping', undefined, 30_000);
  return child;
}

export type Handlers = Record<string, (args: any) => unknown>;

/** In a child: answers the parent's requests with these handlers; exits when the parent goes away. */
export function serveIpc(handlers: Handlers): void {
  if (!process.send) throw new Error('this script runs as a child of bench/run.ts');
  process.on('message', async (msg: Request) => {
    const reply = (r: Omit<Reply, 'id'>) => process.connected && process.send!({ id: msg.id, ...r });
    try {
      if (msg.type === 'ping') return reply({ ok: true, result: 'pong' });
      const handler = handlers[msg.type];
      if (!handler) throw new Error(`unknown request "${msg.type}"`);
      reply({ ok: true, result: await handler(msg.args) });
    } catch (err) {
      reply({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 20,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}

export interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** Full GCs (needs --expose-gc), letting finalisers run between them, then memoryUsage(). */
export async function memoryAfterGc(): Promise<Memory> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
    await sleep(10);
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers };
}

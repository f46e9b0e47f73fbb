/**
 * The data folder (`DATA_DIR`): checked, created if missing, and locked for the
 * life of the process, so that two processes never share one folder (each one's
 * snapshot would lack the other's posts). The lock is the fcntl lock SQLite holds
 * on `commune-feed.lock`: the OS drops it when the process dies, even by
 * `kill -9`, so there is never a stale lock for an operator to clean.
 */
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The file whose lock marks the folder as in use. */
export const LOCK_FILE = 'commune-feed.lock';
/** Who holds the lock (pid, start time), for the message a second process prints. */
export const HOLDER_FILE = 'commune-feed.lock.json';

export type DataFolderProblem = 'not-a-folder' | 'unwritable' | 'locked' | 'disk-full' | 'io-error';

export interface LockHolder {
  pid: number;
  startedAt: string;
}

/** The data folder cannot be used; `file` is the file or folder where it showed. */
export class DataFolderError extends Error {
  constructor(
    readonly problem: DataFolderProblem,
    readonly folder: string,
    readonly file: string,
    /** The system or SQLite code behind it (`ENOSPC`, `SQLITE_IOERR_WRITE`…). */
    readonly code: string | undefined,
    message: string,
    readonly holder?: LockHolder,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DataFolderError';
  }
}

export interface DataFolderLock {
  readonly folder: string;
  /** Lets another process use the folder (also done by the OS when this one dies). */
  release(): void;
}

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'SQLITE_FULL']);
const NO_ACCESS = new Set(['EACCES', 'EPERM', 'EROFS', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM']);
const NOT_A_FOLDER = new Set(['ENOTDIR', 'EEXIST']);
/** Bytes a probe writes to tell a full disk from another write error. */
const PROBE_BYTES = 1 << 20;

/**
 * SQLite does not say which system error made a write fail: a probe write in
 * the folder tells a full disk (or a file size limit) from another I/O error.
 */
function diskIsFull(folder: string): boolean {
  const probe = path.join(folder, '.commune-feed-probe');
  try {
    writeFileSync(probe, Buffer.alloc(PROBE_BYTES));
    return false;
  } catch (err) {
    return DISK_FULL.has((err as NodeJS.ErrnoException).code ?? '');
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * Turns a file-system or SQLite error met while using the folder into a
 * `DataFolderError` naming the file; other errors come back unchanged.
 */
export function diskErrorFrom(err: unknown, folder: string, file = folder): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return err;
  const where = (err as NodeJS.ErrnoException).path ?? file;
  const make = (problem: DataFolderProblem, what: string) =>
    new DataFolderError(problem, folder, where, code, `${where}: ${what} (${code})`, undefined, { cause: err });
  if (DISK_FULL.has(code)) return make('disk-full', 'the disk is full');
  if (code.startsWith('SQLITE_IOERR')) {
    return diskIsFull(folder) ? make('disk-full', 'the disk is full') : make('io-error', 'cannot be written');
  }
  if (NO_ACCESS.has(code)) return make('unwritable', 'cannot be written');
  if (NOT_A_FOLDER.has(code)) return make('not-a-folder', 'is not a folder');
  return err;
}

function readHolder(folder: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path.join(folder, HOLDER_FILE), 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' && typeof holder.startedAt === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the folder if missing, checks that this process can write in it, and locks it. */
export function lockDataFolder(folder: string, nowMs: number = Date.now()): DataFolderLock {
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw diskErrorFrom(err, folder);
  }
  const lockFile = path.join(folder, LOCK_FILE);
  let db: Database.Database | undefined;
  try {
    db = new Database(lockFile, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    // Held open for the life of the process; nothing is ever written to the lock file.
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db?.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataFolderError(
        'locked',
        folder,
        folder,
        'SQLITE_BUSY',
        `${folder} is in use by another commune-feed process`,
        readHolder(folder),
        { cause: err },
      );
    }
    throw diskErrorFrom(err, folder, lockFile);
  }
  const holderFile = path.join(folder, HOLDER_FILE);
  const holder: LockHolder = { pid: process.pid, startedAt: new Date(nowMs).toISOString() };
  try {
    writeFileSync(holderFile, JSON.stringify(holder) + '\n');
  } catch (err) {
    db.close();
    throw diskErrorFrom(err, folder, holderFile);
  }
  const lock = db;
  return {
    folder,
    release() {
      if (!lock.open) return;
      if (readHolder(folder)?.pid === process.pid) rmSync(holderFile, { force: true });
      lock.close();
    },
  };
}

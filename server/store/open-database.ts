/**
 * Opens the data file, and refuses what it must not touch: a damaged file, an
 * empty one (a failed restore, not a fresh start) or one written by a newer
 * version. Refusing never modifies the file. A missing file is created whole or
 * not at all, so an empty file is never one this program left behind.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { diskErrorFrom } from './data-folder.js';
import { migrations } from './migrations.js';

export type DatabaseProblem = 'damaged' | 'empty' | 'too-new';

/** The data file is there but cannot be used as it is: an operator must decide. */
export class DatabaseError extends Error {
  constructor(
    readonly problem: DatabaseProblem,
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DatabaseError';
  }
}

function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new DatabaseError(
      'too-new',
      file,
      `${file} has schema version ${current}, newer than this program knows (${migrations.length}); upgrade commune-feed`,
    );
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Builds the schema under a temporary name, then moves it into place. */
function create(file: string): void {
  const temp = `${file}.new`;
  const clean = () => {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
  };
  clean();
  const db = new Database(temp);
  try {
    migrate(db, temp);
    db.close();
    renameSync(temp, file);
  } catch (err) {
    if (db.open) db.close();
    clean();
    throw err;
  }
}

/** SQLite writes a header as soon as it creates a file: an empty one was cut short, not created. */
function refuseEmpty(file: string): void {
  if (statSync(file).size === 0) throw new DatabaseError('empty', file, `${file} is empty (0 bytes)`);
}

/**
 * How long a write waits for another process's lock (ms). better-sqlite3 waits synchronously, so
 * this is how long one write can freeze every visitor: kept short, and a write that cannot be
 * stored now fails (`isBusy`) and is retried by its caller, never dropped.
 */
export const BUSY_TIMEOUT_MS = 200;

/** SQLite could not take its lock in time: another process holds the database; try again later. */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
}

/**
 * Opens (or creates) the data file at `file` inside `folder`, checked and
 * migrated; `:memory:` opens a fresh in-memory store. Throws a `DatabaseError`
 * for a file an operator must look at, a `DataFolderError` for a disk problem.
 */
export function openDatabase(file: string, folder?: string): Database.Database {
  if (file === ':memory:') {
    const db = new Database(file);
    configure(db);
    migrate(db, file);
    return db;
  }
  try {
    if (existsSync(file)) refuseEmpty(file);
    else create(file);
    const db = new Database(file);
    try {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') {
        const report = String(check).replace(/\s+/g, ' ').slice(0, 200);
        throw new DatabaseError('damaged', file, `${file} is damaged (${report})`);
      }
      migrate(db, file);
      configure(db);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  } catch (err) {
    if (err instanceof DatabaseError) throw err;
    if (isDamage(err))
      throw new DatabaseError('damaged', file, `${file} is damaged (${(err as Error).message})`, { cause: err });
    throw diskErrorFrom(err, folder ?? file, file);
  }
}

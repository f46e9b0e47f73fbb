/**
 * What a failed start tells the operator: each known failure becomes one line
 * on stderr (what is wrong, which file or setting, what to do) and an exit
 * code a supervisor can act on. Only an unexpected error prints a stack.
 */
import path from 'node:path';
import { ConfigError } from './config.js';
import { DataFolderError, diskErrorFrom } from './store/data-folder.js';
import { DatabaseError } from './store/open-database.js';
import { DB_FILE } from './store/store.js';
import { EXIT } from './exit-codes.js';

export { EXIT };

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface StartupFailure {
  code: ExitCode;
  /** One line, without a trailing newline. */
  line: string;
}

export interface StartupContext {
  host: string;
  port: number;
  dataDir: string;
}

const PREFIX = 'commune-feed:';

/** One line, whatever the messages inside it hold (SQLite's reports span several). */
function failure(code: ExitCode, line: string): StartupFailure {
  return { code, line: `${PREFIX} ${line.replace(/\s*\n\s*/g, ' ')}` };
}

/** `mv a a.damaged` for the file and, when there is one, its write-ahead log. */
function moveAside(file: string, hasWal: boolean): string {
  const moves = [`mv ${file} ${file}.damaged`];
  if (hasWal) moves.push(`mv ${file}-wal ${file}.damaged-wal`);
  return moves.join(' && ');
}

function explainDatabase(err: DatabaseError, hasWal: boolean): StartupFailure {
  switch (err.problem) {
    case 'too-new':
      return failure(
        EXIT.database,
        `${err.message} (a newer version wrote it): run that version, or restore a backup made for this one`,
      );
    case 'empty':
      return failure(
        EXIT.database,
        `database ${err.file} is empty (0 bytes), as a failed restore or copy leaves it; it is not taken for a fresh start: ` +
          `restore a good backup, or delete the file to start on purpose with an empty wall: rm ${err.file}`,
      );
    case 'damaged':
      return failure(
        EXIT.database,
        `${err.message}; it was left untouched: restore a backup, ` +
          `or move it aside to start with an empty wall: ${moveAside(err.file, hasWal)}`,
      );
  }
}

function explainDataFolder(err: DataFolderError): StartupFailure {
  const where = err.file === err.folder ? `DATA_DIR ${err.folder}` : `DATA_DIR: ${err.file}`;
  switch (err.problem) {
    case 'not-a-folder':
      return failure(
        EXIT.dataFolder,
        `${where} is not a folder (${err.code}): set DATA_DIR to a folder, or to a path where one can be created`,
      );
    case 'unwritable':
      return failure(
        EXIT.dataFolder,
        `${where} cannot be written by this user (${err.code}): give it write permission, or set DATA_DIR to a writable folder`,
      );
    case 'disk-full':
      return failure(
        EXIT.dataFolder,
        `${where}: the disk is full (${err.code}): free some space on it (or raise the file size limit), then start again`,
      );
    case 'io-error':
      return failure(EXIT.dataFolder, `${where} cannot be written (${err.code}): check the disk, then start again`);
    case 'locked': {
      const holder = err.holder ? ` (pid ${err.holder.pid}, started ${err.holder.startedAt})` : '';
      return failure(
        EXIT.dataFolder,
        `DATA_DIR ${err.folder} is in use by another commune-feed process${holder}: ` +
          `stop that one first, or give this one its own DATA_DIR`,
      );
    }
  }
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Errors of `server.listen()`: the address and the port are settings. */
function explainListen(err: NodeJS.ErrnoException, context: StartupContext): StartupFailure | undefined {
  const { host, port } = context;
  switch (err.code) {
    case 'EADDRINUSE':
      return failure(
        EXIT.setting,
        `PORT: ${port} is already in use on ${host} by another program: stop it, or set PORT to a free port`,
      );
    case 'EACCES':
      return failure(
        EXIT.setting,
        `PORT: ${port} needs privileges this user lacks (ports below 1024 do): set PORT to 1024 or more ` +
          `and put a reverse proxy in front, or grant the capability CAP_NET_BIND_SERVICE`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return failure(
        EXIT.setting,
        `HOST: "${host}" is not an address nor a name that resolves here (${err.code}): ` +
          `set HOST to an address of this machine, such as 0.0.0.0 (all) or 127.0.0.1`,
      );
    case 'EADDRNOTAVAIL':
      return failure(
        EXIT.setting,
        `HOST: ${host} is not an address of this machine (${err.code}): ` +
          `set HOST to one of its addresses, such as 0.0.0.0 (all) or 127.0.0.1`,
      );
    default:
      return undefined;
  }
}

/**
 * The exit code and the line for an error that stopped the start. `hasWal`
 * tells whether a damaged database has a write-ahead log to move aside too;
 * `context` is the configuration, when it could be read.
 */
export function explainStartupError(
  err: unknown,
  context: StartupContext | undefined,
  hasWal: (file: string) => boolean = () => false,
): StartupFailure {
  if (err instanceof ConfigError) return failure(EXIT.setting, err.message);
  if (err instanceof DatabaseError) return explainDatabase(err, hasWal(err.file));
  if (err instanceof DataFolderError) return explainDataFolder(err);
  const errno = err as NodeJS.ErrnoException | undefined;
  if (context && (errno?.syscall === 'listen' || errno?.syscall === 'getaddrinfo')) {
    const explained = explainListen(errno, context);
    if (explained) return explained;
  }
  // A file-system error on a path of the data folder (the image cache, say) is a data folder problem.
  if (context && errno?.path && isInside(errno.path, context.dataDir)) {
    const folderError = diskErrorFrom(err, context.dataDir);
    if (folderError instanceof DataFolderError) return explainDataFolder(folderError);
  }
  const code = errno?.code;
  if (context && typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) {
    const file = path.join(context.dataDir, DB_FILE);
    return explainDatabase(new DatabaseError('damaged', file, `${file} is damaged (${errno!.message})`), hasWal(file));
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { code: EXIT.internal, line: `${PREFIX} internal error, please report it: ${stack}` };
}

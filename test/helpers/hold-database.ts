/** Another process's writer on a data file (a backup tool, `npm run admin`) holding its write lock. */
import Database from 'better-sqlite3';

/** Takes the write lock of the SQLite file at `file` until `release()`. */
export function holdDatabase(file: string): { release(): void } {
  const other = new Database(file);
  other.pragma('busy_timeout = 0');
  other.exec('BEGIN IMMEDIATE');
  return {
    release() {
      other.exec('ROLLBACK');
      other.close();
    },
  };
}

/**
 * The process's exit codes (documented in the README and `commune-feed --help`), in a module of
 * their own so that `commune-feed --help` loads nothing else.
 */
export const EXIT = {
  /** Stopped by SIGTERM or SIGINT. */
  stopped: 0,
  /** An unexpected internal error: the only case that prints a stack trace. */
  internal: 1,
  /** A setting to change: the config file, an environment variable, HOST, PORT. */
  setting: 2,
  /** The data folder: not a folder, not writable, disk full, in use by another process. */
  dataFolder: 3,
  /** The database is damaged or newer than this program: restore a backup, or upgrade. */
  database: 4,
} as const;

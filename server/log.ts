/** One-line structured logs on stderr: `level event key=value ...`. */
import type { Redact } from './redact.js';

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** The same logger, with `redact` applied to every line it writes (and its children write). */
  redacting(redact: Redact): Logger;
}

type Level = 'info' | 'warn' | 'error';

function format(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(s ?? '') ? JSON.stringify(s) : String(s);
}

export function createLogger(
  base: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  quiet = false,
): Logger {
  const emit = (level: Level, event: string, fields: Record<string, unknown> = {}) => {
    if (quiet && level === 'info') return;
    const all = { ...base, ...fields };
    const parts = Object.entries(all)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${format(v)}`);
    write([new Date().toISOString(), level, event, ...parts].join(' '));
  };
  return {
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
    child: (fields) => createLogger({ ...base, ...fields }, write, quiet),
    redacting: (redact) => createLogger(base, (line) => write(redact(line)), quiet),
  };
}

/** A logger that keeps lines in memory, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({}, (l) => lines.push(l));
  return Object.assign(logger, { lines });
}

/**
 * One line per event on stderr: `time level event key=value ...`, or, with
 * `LOG_FORMAT=json`, one JSON object a line (`{"time","level","event",...}`)
 * for a log collector.
 */
import type { Redact } from './redact.js';

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** The same logger, with `redact` applied to every line it writes (and its children write). */
  redacting(redact: Redact): Logger;
}

/** The values of `LOG_FORMAT`. */
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

type Level = 'info' | 'warn' | 'error';

function format(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(s ?? '') ? JSON.stringify(s) : String(s);
}

/** One event as a line of the given format; `fields` without undefined values. */
function line(logFormat: LogFormat, level: Level, event: string, fields: [string, unknown][]): string {
  const time = new Date().toISOString();
  if (logFormat === 'json') {
    const values = fields.map(([k, v]) => [k, v instanceof Error ? v.message : v]);
    // The event's own keys come last, so that no field can overwrite them.
    return JSON.stringify({ ...Object.fromEntries(values), time, level, event });
  }
  return [time, level, event, ...fields.map(([k, v]) => `${k}=${format(v)}`)].join(' ');
}

export function createLogger(
  base: Record<string, unknown> = {},
  write: (line: string) => void = (text) => process.stderr.write(text + '\n'),
  quiet = false,
  logFormat: LogFormat = 'text',
): Logger {
  const emit = (level: Level, event: string, fields: Record<string, unknown> = {}) => {
    if (quiet && level === 'info') return;
    const all = Object.entries({ ...base, ...fields }).filter(([, v]) => v !== undefined);
    write(line(logFormat, level, event, all));
  };
  return {
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
    child: (fields) => createLogger({ ...base, ...fields }, write, quiet, logFormat),
    redacting: (redact) => createLogger(base, (text) => write(redact(text)), quiet, logFormat),
  };
}

/** A logger that keeps lines in memory, for tests. */
export function memoryLogger(logFormat: LogFormat = 'text'): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({}, (l) => lines.push(l), false, logFormat);
  return Object.assign(logger, { lines });
}

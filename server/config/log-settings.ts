/** How the server writes its log lines (`LOG_FORMAT`). */
import { LOG_FORMATS, type LogFormat } from '../log.js';
import { ConfigError } from './config-error.js';

export function logFormatFromEnv(env: NodeJS.ProcessEnv): LogFormat {
  const raw = env.LOG_FORMAT;
  if (raw === undefined || raw === '') return 'text';
  if (!(LOG_FORMATS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_FORMAT', `must be ${LOG_FORMATS.map((f) => `"${f}"`).join(' or ')}, got "${raw}"`);
  }
  return raw as LogFormat;
}

import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../server/log.js';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('the log', () => {
  it('writes one key=value line per event by default', () => {
    const log = memoryLogger();
    log.child({ feed: 'roanne' }).warn('source.failed', { status: 503, error: new Error('X said "no"\nat all') });
    expect(log.lines).toHaveLength(1);
    const [time, ...rest] = log.lines[0]!.split(' ');
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(rest.join(' ')).toBe('warn source.failed feed=roanne status=503 error="X said \\"no\\"\\nat all"');
  });

  it('writes one JSON object per event with LOG_FORMAT=json, the event keys untouched by fields', () => {
    const log = memoryLogger('json');
    log.child({ feed: 'roanne' }).error('source.failed', {
      status: 503,
      error: new Error('two\nlines'),
      level: 'forged',
      skipped: undefined,
    });
    log.info('server.started', { url: 'http://localhost:3000' });
    expect(log.lines).toHaveLength(2);
    const [first, second] = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      level: 'error',
      event: 'source.failed',
      feed: 'roanne',
      status: 503,
      error: 'two\nlines',
    });
    expect(second).toMatchObject({ level: 'info', event: 'server.started', url: 'http://localhost:3000' });
  });

  it('keeps redaction in JSON lines', () => {
    const log = memoryLogger('json');
    log
      .redacting((line) => line.replaceAll('secret-token', '[redacted]'))
      .warn('x.failed', { error: 'Bearer secret-token refused' });
    expect(JSON.parse(log.lines[0]!)).toMatchObject({ error: 'Bearer [redacted] refused' });
  });

  it('reads LOG_FORMAT, and names the key when its value is unknown', () => {
    expect(loadConfig({}, []).logFormat).toBe('text');
    expect(loadConfig({ LOG_FORMAT: 'json' }, []).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'JSON' }, [])).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_FORMAT: 'JSON' }, [])).toThrow('LOG_FORMAT: must be "text" or "json", got "JSON"');
  });
});

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/config.js';

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    env: { ...process.env, DATA_DIR: tempDir(), PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('server/main.ts', () => {
  it('stops at once on an invalid config file, naming the key and the reason', () => {
    const file = path.join(tempDir(), 'feeds.json');
    writeFileSync(file, JSON.stringify({ feeds: [{ id: 'roanne', title: 'Fête', accounts: ['ville de roanne'] }] }));
    const result = run(['--config', file]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'commune-feed: configuration error: feeds.json.feeds[0].accounts[0]: must be an X username: 1 to 15 letters, digits or _',
    );
  });

  it('names the variable when the environment is wrong', () => {
    const result = run([], { PORT: 'trois-mille' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT: must be a whole number');
  });
});

/** The `commune-feed` command as an operator runs it: a child process, its output and its exit status. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compiled } from '../../helpers/compiled.js';
import { tempDir } from '../../helpers/config.js';

/** Runs `commune-feed …args` as compiled, in a clean environment apart from `env`. */
function communeFeed(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [compiled('server/cli/commune-feed.ts'), ...args], {
    env: { PATH: process.env.PATH, DATA_DIR: tempDir(), ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('commune-feed', () => {
  it('prints the package version with --version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(communeFeed(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists its commands and options with --help', () => {
    const run = communeFeed(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: commune-feed \[--config feeds\.json\]/);
    for (const word of ['check-config', 'admin', '--config', '--version', 'LOG_FORMAT', 'docs/configuration.md']) {
      expect(run.stdout).toContain(word);
    }
  });

  it('refuses an unknown command or option with exit status 2', () => {
    expect(communeFeed(['frobnicate'])).toMatchObject({ status: 2, stderr: expect.stringContaining('"frobnicate"') });
    expect(communeFeed(['--port', '80'])).toMatchObject({ status: 2, stderr: expect.stringContaining('"--port"') });
  });

  it('check-config prints every error of the environment and the file, each naming its key, and exits 2', () => {
    const file = path.join(tempDir(), 'feeds.json');
    writeFileSync(file, JSON.stringify({ feeds: [{ id: 'Roanne', title: '' }] }));
    const run = communeFeed(['check-config', '--config', file], { PORT: 'eighty', LOG_FORMAT: 'yaml' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'commune-feed: configuration error: PORT: must be a whole number from 0 to 65535 in decimal digits, got "eighty"',
      'commune-feed: configuration error: LOG_FORMAT: must be "text" or "json", got "yaml"',
      'commune-feed: configuration error: feeds.json.feeds[0].id: must be lowercase letters, digits and dashes (like "saint-etienne")',
      'commune-feed: configuration error: feeds.json.feeds[0].title: must not be empty',
      '4 errors: nothing was started',
    ]);
  });

  it('check-config says what it would run when the configuration is good, and starts nothing', () => {
    const file = path.join(tempDir(), 'feeds.json');
    writeFileSync(file, JSON.stringify({ feeds: [{ id: 'roanne', title: 'Roanne en fête' }] }));
    const run = communeFeed(['check-config', `--config=${file}`], { PORT: '8080', LOG_FORMAT: 'json' });
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toContain(`configuration OK: ${file}`);
    expect(run.stdout).toContain('feeds: roanne (demo)');
    expect(run.stdout).toContain(':8080');
    expect(run.stdout).toContain('logs as json');
  });

  it('runs the organisers’ account commands as its admin subcommand', () => {
    const run = communeFeed(['admin', 'list-users']);
    expect(run).toEqual({
      status: 0,
      stdout: 'no accounts yet: commune-feed admin add-user <username> --role admin\n',
      stderr: '',
    });
    const help = communeFeed(['admin', '--help']);
    expect(help.stdout).toMatch(/^Usage: commune-feed admin <command>/);
  });
});

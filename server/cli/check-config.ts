/**
 * `commune-feed check-config [--config feeds.json]`: checks the configuration file and the
 * environment without starting anything, and prints every error at once, each naming its key.
 */
import { checkConfig } from '../config.js';
import { EXIT } from '../startup-errors.js';

export interface CheckOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const standardOutput: CheckOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Checks the configuration of `argv` and `env`; returns the exit status (0, or 2 with the errors printed). */
export function runCheckConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  output: CheckOutput = standardOutput,
): number {
  const checked = checkConfig(env, argv);
  if (!checked.ok) {
    for (const error of checked.errors) output.err(`commune-feed: ${error.message}\n`);
    output.err(`${checked.errors.length} error${checked.errors.length > 1 ? 's' : ''}: nothing was started\n`);
    return EXIT.setting;
  }
  const { config } = checked;
  const feeds = config.feeds.map((f) => `${f.id} (${f.sources.map((s) => s.network).join('+')})`).join(', ');
  output.out(
    [
      `configuration OK: ${config.configFile ?? '(no config file: the built-in default feed)'}`,
      `  feeds: ${feeds}`,
      `  listens on ${config.host}:${config.port}, data folder ${config.dataDir}, logs as ${config.logFormat}`,
      '',
    ].join('\n'),
  );
  return EXIT.stopped;
}

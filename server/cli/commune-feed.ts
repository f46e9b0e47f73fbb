#!/usr/bin/env node
/**
 * The `commune-feed` command (the package's `bin`): starts the server, checks a
 * configuration, or manages the organisers' accounts.
 */
import { EXIT } from '../exit-codes.js';
import { packageVersion } from '../package-root.js';

const HELP = `Usage: commune-feed [--config feeds.json]
       commune-feed check-config [--config feeds.json]
       commune-feed admin <command> [options]
       commune-feed --help | --version

A live wall of a town's event posts: one server that reads the feeds' sources,
keeps the posts in DATA_DIR and serves the widget, its API and the demo pages.

Commands:
  (none), serve   Starts the server. Stop it with SIGTERM or Ctrl-C.
  check-config    Checks the config file and the environment, starts nothing,
                  and prints every error, each naming its key (exit status 2).
  admin           Organisers' accounts: commune-feed admin --help.

Options:
  --config <file> The feeds' config file (or COMMUNE_FEED_CONFIG); without one,
                  the built-in demo feed.
  -h, --help      Shows this help.
  -v, --version   Prints the version.

Environment: PORT (3000), HOST (0.0.0.0), DATA_DIR (./data), PUBLIC_URL,
X_BEARER_TOKEN, LOG_FORMAT (text|json), ... : every setting, its default and its
bounds are in docs/configuration.md.

Exit status: 0 stopped by a signal or done, 1 internal error, 2 a setting to
change, 3 the data folder, 4 the database.
`;

/** The options `serve` and `check-config` accept: `--config file` or `--config=file`. */
function unknownOption(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') i++;
    else if (!arg.startsWith('--config=')) return arg;
  }
  return undefined;
}

function usageError(message: string): number {
  process.stderr.write(`commune-feed: ${message} (commune-feed --help)\n`);
  return EXIT.setting;
}

/** Runs the command line; resolves with an exit status, or never for a running server. */
async function main(argv: string[]): Promise<number | undefined> {
  const [first, ...rest] = argv;
  if (first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(HELP);
    return EXIT.stopped;
  }
  if (first === '-v' || first === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT.stopped;
  }
  // Each command loads only its own modules: `--help` and `--version` answer at once.
  if (first === 'admin') return (await import('./admin-command.js')).runAdmin(rest, 'commune-feed admin');
  const command = first === 'check-config' || first === 'serve' ? first : undefined;
  const options = command ? rest : argv;
  const unknown = unknownOption(options);
  if (unknown !== undefined) {
    return usageError(unknown.startsWith('-') ? `unknown option "${unknown}"` : `unknown command "${unknown}"`);
  }
  if (command === 'check-config') return (await import('./check-config.js')).runCheckConfig(options);
  await (await import('./serve.js')).serve(options);
  return undefined;
}

const status = await main(process.argv.slice(2));
if (status !== undefined) process.exitCode = status;

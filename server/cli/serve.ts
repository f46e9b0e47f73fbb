/**
 * `commune-feed [--config feeds.json]`: reads the configuration, starts the server,
 * stops it in order on SIGTERM/SIGINT. A start that fails prints one line saying
 * what to do and exits with one of the codes of `startup-errors.ts`.
 */
import { existsSync } from 'node:fs';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../log.js';
import { startServer, type RunningServer } from '../server.js';
import { EXIT, explainStartupError } from '../startup-errors.js';

/** Milliseconds a stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000;

/** Starts the server with the command line `argv`; the process then lives until a signal stops it. */
export async function serve(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config | undefined;
  try {
    config = loadConfig(env, argv);
    const log = createLogger({}, undefined, false, config.logFormat);
    process.on('unhandledRejection', (reason) => {
      log.error('process.unhandled_rejection', { error: reason instanceof Error ? reason.message : String(reason) });
    });
    const running: RunningServer = await startServer(config, {
      log,
      // Redis mode: an instance that can no longer trust its copy starts again from Redis.
      onClusterFatal: () => {
        const force = setTimeout(() => process.exit(EXIT.internal), STOP_DEADLINE_MS);
        force.unref();
        void running.close().then(() => process.exit(EXIT.internal));
      },
    });
    // Handlers first: a supervisor may signal as soon as it reads the line below.
    const stop = (signal: string) => {
      log.info('server.stopping', { signal });
      const force = setTimeout(() => process.exit(EXIT.internal), STOP_DEADLINE_MS);
      force.unref();
      void running.close().then(() => process.exit(EXIT.stopped));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    log.info('server.started', {
      url: running.url,
      data: running.store.file,
      config: config.configFile ?? '(built-in default feed)',
      feeds: running.registry
        .list()
        .map((r) => `${r.settings.id}:${r.settings.sources.map((s) => s.network).join('+')}`)
        .join(','),
    });
    process.stderr.write(`\n  commune-feed is live: ${running.url}\n\n`);
  } catch (err) {
    const failure = explainStartupError(err, config, (file) => existsSync(`${file}-wal`));
    process.stderr.write(`${failure.line}\n`);
    process.exit(failure.code);
  }
}

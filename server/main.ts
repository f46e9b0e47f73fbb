/** Entry point: reads the configuration, starts the server, stops it in order on SIGTERM/SIGINT. */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';

const log = createLogger();

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`commune-feed: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const running = await startServer(config, { log });
  log.info('server.started', {
    url: running.url,
    data: running.store.file,
    config: config.configFile ?? '(built-in default feed)',
    feeds: config.feeds.map((f) => `${f.id}:${f.source}`).join(','),
  });
  process.stderr.write(`\n  commune-feed is live: ${running.url}\n\n`);

  const stop = (signal: string) => {
    log.info('server.stopping', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

process.on('unhandledRejection', (reason) => {
  log.error('process.unhandled_rejection', { error: reason instanceof Error ? reason.message : String(reason) });
});

main().catch((err: unknown) => {
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`commune-feed: PORT: ${(err as Error).message} (another program uses it; set PORT)\n`);
  } else {
    process.stderr.write(`commune-feed: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});

/** The real server on the built-in demo source, as `npm start` runs it, on a free port and a fresh data folder. */
import { loadConfig } from '../../server/config.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { tempDir } from '../helpers/config.js';

export interface DemoServerOptions {
  /** Listen on this port (a restart on the port it had); a free one by default. */
  port?: number;
  /** Use this data folder (a restart on the data it had); a fresh one by default. */
  dataDir?: string;
  /** More environment variables. */
  env?: Record<string, string>;
}

/** Starts it releasing a post every `paceSeconds`. */
export function startDemoServer(paceSeconds: number, options: DemoServerOptions = {}): Promise<RunningServer> {
  const config = loadConfig(
    { PORT: String(options.port ?? 0), HOST: '127.0.0.1', DATA_DIR: options.dataDir ?? tempDir(), ...options.env },
    [],
  );
  config.feeds[0]!.paceSeconds = paceSeconds;
  return startServer(config, { log: memoryLogger() });
}

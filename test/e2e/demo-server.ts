/** The real server on the built-in demo source, as `npm start` runs it, on a free port and a fresh data folder. */
import { loadConfig } from '../../server/config.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { tempDir } from '../helpers/config.js';

/** Starts it releasing a post every `paceSeconds`, with more environment variables when given. */
export function startDemoServer(paceSeconds: number, env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir(), ...env }, []);
  config.feeds[0]!.paceSeconds = paceSeconds;
  return startServer(config, { log: memoryLogger() });
}

/** The real server for moderation and feed tests: a temporary store, a fake clock, scripted sources per feed and network. */
import type { Config } from '../../server/config.js';
import { memoryLogger } from '../../server/log.js';
import { createServices, startServer, type ServerDeps } from '../../server/server.js';
import { testConfig } from './config.js';
import { FakeClock } from './fake-clock.js';
import { ScriptedSource } from './scripted-source.js';

/** Scripted sources, one per feed and network, made when the server asks for them (the same one when it asks again). */
export class Sources {
  readonly #sources = new Map<string, ScriptedSource>();
  get(feedId: string, network = 'demo'): ScriptedSource {
    const key = `${feedId}:${network}`;
    let source = this.#sources.get(key);
    if (!source) {
      source = new ScriptedSource();
      this.#sources.set(key, source);
    }
    return source;
  }
  readonly sourceFor: NonNullable<ServerDeps['sourceFor']> = (feed, _context, network) => this.get(feed.id, network);
}

const cleanups: (() => Promise<void> | void)[] = [];

/** Runs the clean-ups of the services and servers started by the test (call in afterEach). */
export async function cleanUp(): Promise<void> {
  for (const f of cleanups.splice(0).reverse()) await f();
}

/** The services without listening (`app.request()`), scripted sources unless `deps` says otherwise. */
export function services(config: Config = testConfig(), deps: ServerDeps & { clock?: FakeClock } = {}) {
  const clock = deps.clock ?? new FakeClock();
  const sources = new Sources();
  const s = createServices(config, { log: memoryLogger(), sourceFor: sources.sourceFor, ...deps, clock });
  cleanups.push(async () => {
    s.moderation.stop();
    await s.runtime.stop();
    s.delivery.close();
    s.store.close();
  });
  return { ...s, clock, sources, config };
}

/** The server listening on a port (live streams over real sockets), engines not started. */
export async function server(config: Config = testConfig(), deps: ServerDeps & { clock?: FakeClock } = {}) {
  const clock = deps.clock ?? new FakeClock();
  const sources = new Sources();
  const s = await startServer(config, {
    log: memoryLogger(),
    sourceFor: sources.sourceFor,
    startEngines: false,
    ...deps,
    clock,
  });
  cleanups.push(() => s.close());
  return { ...s, clock, sources, config };
}

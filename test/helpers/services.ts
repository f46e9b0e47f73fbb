/** The real server for moderation and feed tests: a temporary store, a fake clock, scripted sources per feed and network. */
import { afterEach, beforeEach } from 'vitest';
import type { Config } from '../../server/config.js';
import { memoryLogger } from '../../server/log.js';
import { startServer } from '../../server/server.js';
import { createServices, type ServerDeps } from '../../server/services.js';
import { testConfig } from './config.js';
import { FakeClock } from './fake-clock.js';
import { startFakeX, type FakeX } from '../fake-x/fake-x-server.js';
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

/** A fake X API on a fake clock for each test of the file (closed after the services), as `h.x` and `h.clock`. */
export function useFakeX(token: string) {
  const h = {} as { x: FakeX; clock: FakeClock };
  beforeEach(async () => {
    h.clock = new FakeClock(Date.parse('2026-10-10T10:00:00Z'));
    h.x = await startFakeX({ token, now: () => h.clock.now() });
  });
  afterEach(async () => {
    await cleanUp();
    await h.x.close();
  });
  return h;
}

/** The services reading X (the fake) for real, with one X feed `fete` on #FeteDuLivre made in the console. */
export function xServices(
  h: { x: FakeX; clock: FakeClock },
  token: string,
  dataDir?: string,
  overrides: Partial<Config> = {},
) {
  const config = testConfig({
    feeds: [],
    x: { bearerToken: token, baseUrl: h.x.baseUrl },
    ...(dataDir ? { dataDir } : {}),
    ...overrides,
  });
  const s = services(config, { clock: h.clock, sourceFor: () => undefined });
  if (!s.registry.get('fete')) s.registry.create(X_FEED, { username: 'alex', role: 'admin' });
  return s;
}

/** The X feed of `xServices`. */
export const X_FEED = {
  id: 'fete',
  title: 'Fête',
  sources: [{ network: 'x', accounts: [] }],
  hashtags: ['FeteDuLivre'],
};

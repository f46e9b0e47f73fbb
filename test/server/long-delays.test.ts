/**
 * Long delays on the real clock: a real server reading the fake X through the real client.
 * Node fires a timer longer than 2^31 − 1 ms after 1 ms; the server must wait the whole delay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { INTERVAL_LIMITS, loadConfig } from '../../server/config.js';
import { memoryLogger } from '../../server/log.js';
import { startServer } from '../../server/server.js';
import { startFakeX, type FakeX } from '../fake-x/fake-x-server.js';
import { tempDir } from '../helpers/config.js';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAALongDelaysBearerToken';
const DAY = 86_400_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Names of the process warnings emitted from now on. */
function watchWarnings(): string[] {
  const names: string[] = [];
  const listener = (warning: Error) => names.push(warning.name);
  process.on('warning', listener);
  cleanups.push(() => void process.off('warning', listener));
  return names;
}

/** Starts the server as `main.ts` does (config file and environment), on the system clock. */
async function serverOn(x: FakeX, file: object) {
  const configFile = path.join(tempDir(), 'feeds.json');
  writeFileSync(configFile, JSON.stringify(file));
  const env = { X_BEARER_TOKEN: TOKEN, X_API_BASE_URL: x.baseUrl, DATA_DIR: tempDir(), PORT: '0', HOST: '127.0.0.1' };
  const server = await startServer(loadConfig(env, ['--config', configFile]), { log: memoryLogger() });
  cleanups.push(() => server.close());
  const engine = server.engines.get('fete')!;
  for (let waited = 0; !engine.health()[0]!.lastSuccessAt && !engine.health()[0]!.lastError; waited += 20) {
    if (waited > 10_000) throw new Error('the first poll did not end');
    await sleep(20);
  }
  return engine;
}

async function fakeX(): Promise<FakeX> {
  const x = await startFakeX({ token: TOKEN });
  cleanups.push(() => x.close());
  x.addUser({ username: 'saint_etienne_' });
  return x;
}

describe('a real server on the real clock', () => {
  it('makes no second call to X soon after the first with the longest slow interval allowed', async () => {
    const warnings = watchWarnings();
    const x = await fakeX();
    const engine = await serverOn(x, {
      feeds: [{ id: 'fete', title: 'Fête', source: 'x', accounts: ['saint_etienne_'], hashtags: ['FeteDuLivre'] }],
      x: { slowPollSeconds: INTERVAL_LIMITS.slowPollSeconds.max },
    });
    const calls = x.calls.length;
    expect(calls).toBeGreaterThan(0);
    await sleep(2_000);
    expect(x.calls.length).toBe(calls);
    expect(warnings).toEqual([]);
    expect(Date.parse(engine.health()[0]!.nextPollAt!) - Date.now()).toBeGreaterThan(23 * 3_600_000);
  }, 20_000);

  it('waits the 30 days of a rate-limit reset X announces, without a timer overflow', async () => {
    const warnings = watchWarnings();
    const x = await fakeX();
    x.fault('search/recent', { kind: 'rate-limit', resetInSeconds: (30 * DAY) / 1000 });
    const engine = await serverOn(x, {
      feeds: [{ id: 'fete', title: 'Fête', source: 'x', hashtags: ['FeteDuLivre'] }],
    });
    expect(x.calls).toHaveLength(1);
    await sleep(2_000);
    expect(x.calls).toHaveLength(1);
    expect(warnings).toEqual([]);
    expect(engine.health()[0]).toMatchObject({ consecutiveFailures: 1, details: { state: 'rate-limited' } });
    expect(Date.parse(engine.health()[0]!.nextPollAt!) - Date.now()).toBeGreaterThan(29 * DAY);
  }, 20_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { feedSchema } from '../../../server/config.js';
import { memoryLogger } from '../../../server/log.js';
import { createServices } from '../../../server/services.js';
import { startFakeX } from '../../fake-x/fake-x-server.js';
import { testConfig } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAHealthRouteBearerToken';
const ADMIN = 'operator-token-for-health-tests';
const ECHOES = [TOKEN.toLowerCase(), TOKEN.toUpperCase()];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** A server whose X feed reads a gateway that echoes the token in its error bodies. */
async function echoingGateway(adminToken = ADMIN) {
  const x = await startFakeX({ token: TOKEN });
  cleanups.push(() => x.close());
  x.fault('search/recent', { kind: 'echo-token' });
  const feed = feedSchema.parse({ id: 'fete', title: 'Fête', source: 'x', hashtags: ['FeteDuLivre'] });
  const log = memoryLogger();
  const services = createServices(testConfig({ feeds: [feed], x: { bearerToken: TOKEN, baseUrl: x.baseUrl } }), {
    clock: new FakeClock(),
    log,
    adminToken,
  });
  cleanups.push(async () => {
    await services.engines.get('fete')!.stop();
    services.hub.close();
    services.store.close();
  });
  await services.engines.get('fete')!.pollNow();
  return { ...services, log };
}

async function health(app: { request(path: string, init?: RequestInit): Response | Promise<Response> }, auth?: string) {
  const res = await app.request('/api/health', auth ? { headers: { authorization: auth } } : {});
  return { res, text: await res.text() };
}

describe('GET /api/health', () => {
  it('tells the public the state and when, without what upstream said', async () => {
    const { app } = await echoingGateway();
    const { res, text } = await health(app);
    expect(res.status).toBe(200);
    const body = JSON.parse(text);
    expect(body.view).toBe('public');
    expect(body.feeds[0].lastError).toEqual({ at: expect.any(String), state: 'misconfigured' });
    expect(body.feeds[0].details).toMatchObject({ state: 'misconfigured', lastError: { kind: 'auth' } });
    expect(text).not.toMatch(/gateway|refused|redacted/i);
    for (const echo of ECHOES) expect(text).not.toContain(echo);
  });

  it("shows operators upstream's words, with the token hidden in every letter case", async () => {
    const { app } = await echoingGateway();
    const { res, text } = await health(app, `Bearer ${ADMIN}`);
    expect(res.status).toBe(200);
    const body = JSON.parse(text);
    expect(body.view).toBe('operator');
    expect(body.feeds[0].lastError.message).toContain('Gateway refused bearer [redacted]');
    expect(body.feeds[0].details.lastError.message).toContain('TOKEN [redacted] IS NOT VALID HERE');
    for (const echo of ECHOES) expect(text).not.toContain(echo);
  });

  it('refuses a wrong operator token, and any when operator actions are off', async () => {
    const { app } = await echoingGateway();
    expect((await health(app, `Bearer ${ADMIN}x`)).res.status).toBe(401);
    expect((await health(app, ADMIN)).res.status).toBe(401);
    const off = await echoingGateway('');
    expect((await health(off.app, `Bearer ${ADMIN}`)).res.status).toBe(403);
  });

  it('keeps the echoed token out of the logs', async () => {
    const { log } = await echoingGateway();
    expect(log.lines.join('\n')).toContain('[redacted]');
    for (const line of log.lines) for (const echo of ECHOES) expect(line).not.toContain(echo);
  });
});

describe('the server log', () => {
  it('hides the X token even when a source echoes it unredacted', async () => {
    const log = memoryLogger();
    const source = new ScriptedSource().push(new Error(`upstream said ${TOKEN.toUpperCase()}`));
    const services = createServices(testConfig({ x: { bearerToken: TOKEN } }), {
      clock: new FakeClock(),
      log,
      sourceFor: () => source,
    });
    cleanups.push(() => services.store.close());
    await services.engines.get('saint-etienne')!.pollNow();
    expect(log.lines.join('\n')).toContain('upstream said [redacted]');
    for (const line of log.lines) for (const echo of ECHOES) expect(line).not.toContain(echo);
  });
});

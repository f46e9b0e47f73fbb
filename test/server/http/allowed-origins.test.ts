/**
 * A feed's `allowedOrigins`: open by default; when set, its API routes (snapshot on the fast path
 * and through Hono, live events, preflight) grant only the listed origins, and the other feeds stay open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfigFile } from '../../../server/config.js';
import { InputError } from '../../../server/errors.js';
import { parseFeedSettings, settingsHash } from '../../../server/feeds/settings.js';
import { memoryLogger } from '../../../server/log.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { testConfig, testFeed } from '../../helpers/config.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';

const TOWN = 'https://www.ville.fr';
const OTHER = 'https://evil.example';
const admin = { username: 'camille', role: 'admin' } as const;

function errorOf(input: unknown): string {
  try {
    parseFeedSettings(input);
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('allowedOrigins in the settings', () => {
  const base = { id: 'fete', title: 'Fête' };

  it('keeps origins as browsers send them: lowercase, no default port, no trailing slash, each once', () => {
    const settings = parseFeedSettings({
      ...base,
      allowedOrigins: ['HTTPS://WWW.Ville.fr:443/', 'http://localhost:8080', 'https://www.ville.fr'],
    });
    expect(settings.allowedOrigins).toEqual(['https://www.ville.fr', 'http://localhost:8080']);
    expect(parseFeedSettings(settings)).toEqual(settings);
  });

  it('is absent unless set, so that the settings of existing feeds (and their hash) do not change', () => {
    const settings = parseFeedSettings(base);
    expect('allowedOrigins' in settings).toBe(false);
    expect(settingsHash(parseFeedSettings(base))).toBe(settingsHash(settings));
  });

  it.each([
    ['https://www.ville.fr/agenda', 'allowedOrigins[0]: must be an origin like "https://www.ville.fr"'],
    ['www.ville.fr', 'allowedOrigins[0]: must be an origin'],
    ['ftp://www.ville.fr', 'allowedOrigins[0]: must be an origin'],
    ['https://www.ville.fr?x=1', 'allowedOrigins[0]: must be an origin'],
    ['https://user:pw@www.ville.fr', 'allowedOrigins[0]: must be an origin'],
    ['*', 'allowedOrigins[0]: must be an origin'],
  ])('refuses %s, naming the key', (origin, message) => {
    expect(errorOf({ ...base, allowedOrigins: [origin] })).toContain(message);
  });

  it('refuses an empty list, and says how to open the feed to every site', () => {
    expect(errorOf({ ...base, allowedOrigins: [] })).toBe(
      'allowedOrigins: must list at least one origin; leave the key out to let every site read the feed',
    );
  });

  it('names the key in the config file', () => {
    const text = JSON.stringify({ feeds: [{ ...base, allowedOrigins: [TOWN, 'ville.fr'] }] });
    let error: unknown;
    try {
      parseConfigFile(text, 'feeds.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('feeds.json.feeds[0].allowedOrigins[1]');
  });
});

describe('allowedOrigins on the API', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const restricted = testFeed({ allowedOrigins: [TOWN] });
    const open = testFeed({ id: 'roanne', title: 'Roanne' });
    server = await startServer(testConfig({ feeds: [restricted, open] }), {
      log: memoryLogger(),
      sourceFor: () => new ScriptedSource(),
      startEngines: false,
    });
  });
  afterAll(() => server.close());

  /** The CORS headers a request from `origin` gets (a live stream is cut once its headers arrived). */
  async function cors(path: string, origin?: string, init: RequestInit = {}) {
    const controller = new AbortController();
    const headers = new Headers(init.headers);
    if (origin) headers.set('origin', origin);
    const res = await fetch(`${server.url}${path}`, { ...init, headers, signal: controller.signal });
    controller.abort();
    return {
      status: res.status,
      allow: res.headers.get('access-control-allow-origin'),
      vary: res.headers.get('vary'),
      methods: res.headers.get('access-control-allow-methods'),
    };
  }

  /** The same request through Hono's route (what `app.request()` and HEAD go through). */
  async function corsThroughHono(path: string, origin?: string) {
    const res = await server.app.request(path, origin ? { headers: { origin } } : {});
    return { status: res.status, allow: res.headers.get('access-control-allow-origin'), vary: res.headers.get('vary') };
  }

  const preflight = (origin: string) => ({
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
  });

  it('grants the snapshot to a listed origin only, on the fast path and through Hono alike', async () => {
    for (const ask of [cors, corsThroughHono]) {
      expect(await ask('/api/feeds/saint-etienne', TOWN)).toMatchObject({
        status: 200,
        allow: TOWN,
        vary: 'Accept-Encoding, Origin',
      });
      expect(await ask('/api/feeds/saint-etienne', OTHER)).toMatchObject({ status: 200, allow: null });
      expect(await ask('/api/feeds/saint-etienne')).toMatchObject({ allow: null, vary: 'Accept-Encoding, Origin' });
    }
  });

  it('grants the live events to a listed origin only', async () => {
    expect(await cors('/api/feeds/saint-etienne/events', TOWN)).toMatchObject({ status: 200, allow: TOWN });
    expect(await cors('/api/feeds/saint-etienne/events', OTHER)).toMatchObject({ status: 200, allow: null });
  });

  it('grants the HTML fragment and its errors to a listed origin only', async () => {
    expect(await cors('/api/feeds/saint-etienne.html', TOWN)).toMatchObject({ status: 200, allow: TOWN });
    expect(await cors('/api/feeds/saint-etienne.html', OTHER)).toMatchObject({ status: 200, allow: null });
    expect(await cors('/api/feeds/saint-etienne.html?limit=0', OTHER)).toMatchObject({ status: 400, allow: null });
  });

  it('answers the preflight as the request it announces', async () => {
    for (const path of [
      '/api/feeds/saint-etienne',
      '/api/feeds/saint-etienne/events',
      '/api/feeds/saint-etienne.html',
    ]) {
      expect(await cors(path, undefined, preflight(TOWN)), path).toMatchObject({
        status: 204,
        allow: TOWN,
        methods: 'GET, HEAD, OPTIONS',
      });
      expect(await cors(path, undefined, preflight(OTHER)), path).toMatchObject({
        status: 204,
        allow: null,
        methods: null,
      });
    }
  });

  it('leaves the other feeds, the feed list and unknown feeds open to every site', async () => {
    expect(await cors('/api/feeds/roanne', OTHER)).toMatchObject({ allow: '*', vary: 'Accept-Encoding' });
    expect(await cors('/api/feeds/roanne/events', OTHER)).toMatchObject({ allow: '*' });
    expect(await cors('/api/feeds/roanne', undefined, preflight(OTHER))).toMatchObject({ status: 204, allow: '*' });
    expect(await cors('/api/feeds', OTHER)).toMatchObject({ allow: '*' });
    expect(await cors('/api/feeds/nowhere', OTHER)).toMatchObject({ status: 404, allow: '*' });
  });

  it('follows the organisers: a change of allowedOrigins applies to the next request', async () => {
    const settings = server.registry.get('roanne')!.settings;
    server.registry.update('roanne', { ...settings, allowedOrigins: [TOWN] }, admin);
    expect(await cors('/api/feeds/roanne', OTHER)).toMatchObject({ allow: null });
    expect(await cors('/api/feeds/roanne', TOWN)).toMatchObject({ allow: TOWN });
    const { allowedOrigins: _, ...open } = server.registry.get('roanne')!.settings;
    server.registry.update('roanne', open, admin);
    expect(await cors('/api/feeds/roanne', OTHER)).toMatchObject({ allow: '*' });
  });
});

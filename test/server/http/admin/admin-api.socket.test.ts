/** The admin API over a real socket: cookies, origins and client addresses as a browser and the network give them. */
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { Config } from '../../../../server/config.js';
import { memoryLogger } from '../../../../server/log.js';
import { startServer, type RunningServer } from '../../../../server/server.js';
import { testConfig } from '../../../helpers/config.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { ScriptedSource } from '../../../helpers/scripted-source.js';
import { TEST_PASSWORD, addOrganiser } from '../../../helpers/admin.js';

let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function start(config: Config = testConfig()) {
  const server = await startServer(config, {
    clock: new FakeClock(),
    log: memoryLogger(),
    sourceFor: () => new ScriptedSource(),
    startEngines: false,
  });
  servers.push(server);
  return server;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request from a chosen local address (127.0.0.x are all this machine). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; from?: string } = {},
): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, localAddress: options.from },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function login(
  server: RunningServer,
  password: string,
  options: { from?: string; headers?: Record<string, string> } = {},
) {
  return send(`${server.url}/api/admin/login`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/json', ...options.headers },
    body: { username: 'mona', password },
    from: options.from,
  });
}

function sessionCookieOf(answer: Answer): string {
  const setCookie = answer.headers['set-cookie'];
  const header = (Array.isArray(setCookie) ? setCookie : [setCookie ?? '']).find((c) => c.startsWith('cf_session='));
  if (!header) throw new Error(`no session cookie (status ${answer.status})`);
  return header.split(';')[0]!;
}

describe('the admin API over HTTP', () => {
  it('signs in, is recognised by its cookie, refuses another site, and signs out', async () => {
    const server = await start();
    await addOrganiser(server.auth, 'admin', 'mona');
    const signedIn = await login(server, TEST_PASSWORD);
    expect(signedIn.status).toBe(200);
    const cookie = sessionCookieOf(signedIn);

    const session = await send(`${server.url}/api/admin/session`, { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(session.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(session.body)).toMatchObject({ user: { username: 'mona', role: 'admin' } });

    const forged = await send(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: { username: 'eve', role: 'admin', password: TEST_PASSWORD },
    });
    expect(forged.status).toBe(403);
    expect(server.auth.accounts.get('eve')).toBeUndefined();

    const out = await send(`${server.url}/api/admin/logout`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
    });
    expect(out.status).toBe(204);
    expect((await send(`${server.url}/api/admin/session`, { headers: { cookie } })).status).toBe(401);
  });

  it("throttles by the socket's address", async () => {
    const server = await start();
    await addOrganiser(server.auth, 'moderator', 'mona');
    await addOrganiser(server.auth, 'moderator', 'other');
    for (let i = 0; i < 5; i++) {
      const res = await send(`${server.url}/api/admin/login`, {
        method: 'POST',
        headers: { origin: server.url, 'content-type': 'application/json' },
        body: { username: `guess${i}`, password: 'mauvais mot de passe' },
        from: '127.0.0.2',
      });
      expect(res.status).toBe(401);
    }
    const blocked = await login(server, TEST_PASSWORD, { from: '127.0.0.2' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('1');
    expect((await login(server, TEST_PASSWORD, { from: '127.0.0.3' })).status).toBe(200);
  });

  it('marks the cookie Secure behind a trusted HTTPS proxy only', async () => {
    const direct = await start();
    await addOrganiser(direct.auth, 'moderator', 'mona');
    const spoofed = await login(direct, TEST_PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.status).toBe(200);
    expect(String(spoofed.headers['set-cookie'])).not.toMatch(/Secure/);

    const proxied = await start(testConfig({ trustProxy: 1 }));
    await addOrganiser(proxied.auth, 'moderator', 'mona');
    const secure = await login(proxied, TEST_PASSWORD, {
      headers: { 'x-forwarded-proto': 'https', origin: proxied.url.replace('http:', 'https:') },
    });
    expect(secure.status).toBe(200);
    expect(String(secure.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('keeps sessions across a restart', async () => {
    const config = testConfig();
    const first = await start(config);
    await addOrganiser(first.auth, 'moderator', 'mona');
    const cookie = sessionCookieOf(await login(first, TEST_PASSWORD));
    await first.close();

    const second = await start(config);
    const session = await send(`${second.url}/api/admin/session`, { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(JSON.parse(session.body)).toMatchObject({ user: { username: 'mona' } });
  });
});

/**
 * Planted secrets (the X token, a Bluesky app password, a Mastodon token, the admin token, an
 * organiser's password and their session) never come back in any response nor in any log line of
 * a run of the real process, in any letter case or URL-encoded, even when X echoes the token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeX, type FakeX } from '../../fake-x/fake-x-server.js';
import { startProcess, type StartedProcess } from '../../helpers/server-process.js';

const SECRETS = {
  xToken: 'AAAAplantedXbearerToken7f3k9Q',
  blueskyAppPassword: 'abcd-efgh-ijkl-mnop',
  mastodonToken: 'planted-mastodon-token-Zx81Lm',
  adminToken: 'planted-admin-token-0123456789abcdef',
  password: 'planted organiser password 42',
};

let child: StartedProcess | undefined;
let x: FakeX | undefined;
afterEach(async () => {
  child?.child.kill('SIGKILL');
  await child?.exited;
  await x?.close();
});

/** Every form in which a secret could leak. */
function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')].map((s) => s.toLowerCase());
}

describe('secrets planted in a run of the real process', () => {
  it('appear in no response and no log line, even when X echoes the token', async () => {
    x = await startFakeX({ token: SECRETS.xToken });
    x.fault('*', { kind: 'echo-token', status: 401 }, 3);
    x.fault('*', { kind: 'echo-token', status: 503 }, 3);
    child = await startProcess({
      env: {
        X_BEARER_TOKEN: SECRETS.xToken,
        X_API_BASE_URL: x.baseUrl,
        BLUESKY_HANDLE: 'ville.example',
        BLUESKY_APP_PASSWORD: SECRETS.blueskyAppPassword,
        MASTODON_TOKEN: SECRETS.mastodonToken,
        ADMIN_TOKEN: SECRETS.adminToken,
      },
    });
    const url = child.url;
    const answers: string[] = [];
    let session = '';
    const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
      const headers = new Headers(init.headers);
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        headers.set('origin', url);
      }
      if (session) headers.set('cookie', session);
      const res = await fetch(`${url}${path}`, {
        ...init,
        headers,
        body: init.json === undefined ? init.body : JSON.stringify(init.json),
      });
      const text = await res.text();
      const setCookie = res.headers.get('set-cookie') ?? '';
      // The session cookie goes to its owner once, at sign-in: that header is the one exception.
      const shown = [...res.headers].filter(([k]) => !(k === 'set-cookie' && path === '/api/admin/setup'));
      answers.push(`${res.status} ${path}\n${shown.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}`);
      return { res, text, setCookie };
    };

    // X fails with the echoed token while the public and the operators look.
    await new Promise((r) => setTimeout(r, 1500));
    await call('/api/health');
    await call('/api/health', { headers: { authorization: `Bearer ${SECRETS.adminToken}` } });
    await call('/api/health', { headers: { authorization: `Bearer ${SECRETS.adminToken.toUpperCase()}` } });
    await call('/api/feeds');
    await call('/api/feeds/saint-etienne');
    // The first admin, made with the admin token, signs in with the planted password.
    const setup = await call('/api/admin/setup', {
      method: 'POST',
      json: { token: SECRETS.adminToken, username: 'alice', displayName: 'Alice', password: SECRETS.password },
    });
    expect(setup.res.status).toBe(201);
    session = setup.setCookie.split(';')[0]!;
    const sessionId = session.split('=')[1]!;
    expect(sessionId.length).toBeGreaterThan(20);
    await call('/api/admin/session');
    await call('/api/admin/users');
    await call('/api/admin/health');
    await call('/api/admin/feeds');
    // Wrong passwords and tokens, with the secrets typed in the wrong place.
    const anonymous = session;
    session = '';
    await call('/api/admin/login', { method: 'POST', json: { username: 'alice', password: SECRETS.password + 'x' } });
    await call('/api/admin/login', { method: 'POST', json: { username: SECRETS.password, password: 'x' } });
    await call('/api/admin/setup', { method: 'POST', json: { token: SECRETS.adminToken.slice(1) } });
    await call('/api/health', { headers: { authorization: `Bearer ${SECRETS.xToken}` } });
    session = anonymous;
    await call('/api/admin/logout', { method: 'POST', json: {} });
    session = '';
    await call('/api/admin/session', { headers: { cookie: `cf_session=${sessionId}` } });
    await new Promise((r) => setTimeout(r, 300));

    const everything = [...answers, child.stderr()].join('\n').toLowerCase();
    expect(x.calls.length).toBeGreaterThan(0);
    for (const [name, secret] of Object.entries({ ...SECRETS, sessionId })) {
      for (const form of forms(secret)) expect(everything.includes(form), `${name} leaked`).toBe(false);
    }
    // The log still names a known account whose password was wrong.
    expect(child.stderr()).toMatch(/admin\.login_failed part=admin user=alice/);
    expect(child.stderr()).toMatch(/admin\.login_failed part=admin user="\(no such account\)"/);
    // The log did see what X said, redacted.
    expect(child.stderr()).toMatch(/x\.misconfigured|x\.|feed\.poll_failed/);
  }, 60_000);
});

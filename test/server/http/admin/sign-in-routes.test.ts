import { afterEach, describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_TOKEN,
  TEST_PASSWORD,
  addOrganiser,
  adminRequest,
  adminServices,
  cookieFrom,
  fromAddress,
  type AdminRequestInit,
} from '../../../helpers/admin.js';

const LOGIN_FAILED = { error: { status: 401, message: "nom d'utilisateur ou mot de passe incorrect" } };

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((f) => f());
  cleanups = [];
});

function setup(options: Parameters<typeof adminServices>[0] = {}) {
  const services = adminServices(options);
  cleanups.push(services.close);
  const login = (username: string, password: string, init: AdminRequestInit = {}) =>
    adminRequest(services.app, 'login', { body: { username, password }, ...init });
  return { ...services, login };
}

/** Everything a client can see of an answer but its date. */
async function visible(res: Response) {
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== 'date'));
  return { status: res.status, headers, body: await res.text() };
}

describe('POST /api/admin/login', () => {
  it('opens a session: the user, and an HttpOnly SameSite=Strict cookie for the whole site', async () => {
    const { auth, app, login } = setup();
    await addOrganiser(auth, 'moderator', 'mona');
    const res = await login('mona', TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { username: 'mona', displayName: 'Test moderator', role: 'moderator' } });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^cf_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Strict$/);
    const session = await adminRequest(app, 'session', { cookie: cookieFrom(res) });
    expect(session.status).toBe(200);
  });

  it('accepts the username in any case', async () => {
    const { auth, login } = setup();
    await addOrganiser(auth, 'moderator', 'Mona');
    const res = await login('mONA', TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { username: 'Mona' } });
  });

  it('answers an unknown user, a wrong password and a disabled user alike', async () => {
    const { auth, login } = setup();
    await addOrganiser(auth, 'admin', 'alice');
    await addOrganiser(auth, 'moderator', 'dora');
    await auth.accounts.update('dora', { disabled: true });
    const answers = [
      await visible(await login('nobody', TEST_PASSWORD, { env: fromAddress('198.51.100.1') })),
      await visible(await login('alice', 'pas le bon mot de passe', { env: fromAddress('198.51.100.2') })),
      await visible(await login('dora', TEST_PASSWORD, { env: fromAddress('198.51.100.3') })),
    ];
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toEqual(answers[2]);
    expect(answers[0]!.status).toBe(401);
    expect(JSON.parse(answers[0]!.body)).toEqual(LOGIN_FAILED);
    expect(answers[0]!.headers['set-cookie']).toBeUndefined();
  });

  it('names the missing field', async () => {
    const { app } = setup();
    const res = await adminRequest(app, 'login', { body: { username: 'mona' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { status: 400, message: 'password: is required' } });
  });

  it('slows down guesses at one account, from any address, until a success', async () => {
    const { auth, clock, login } = setup();
    await addOrganiser(auth, 'moderator', 'mona');
    for (let i = 0; i < 5; i++) {
      const res = await login('mona', `mauvais mot de passe ${i}`, { env: fromAddress(`198.51.100.${i}`) });
      expect(res.status).toBe(401);
    }
    // Even the right password waits, from another address too.
    const throttled = await login('mona', TEST_PASSWORD, { env: fromAddress('203.0.113.50') });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(throttled.headers.get('set-cookie')).toBeNull();
    expect(await throttled.json()).toEqual({
      error: { status: 429, message: 'trop de tentatives : réessayez dans 1 s' },
    });
    // Unknown accounts are slowed down the same way (the answer says nothing of who exists).
    for (let i = 0; i < 5; i++)
      await login('nobody', 'mauvais mot de passe', { env: fromAddress(`198.51.100.${10 + i}`) });
    expect((await login('nobody', 'mauvais mot de passe', { env: fromAddress('203.0.113.51') })).status).toBe(429);

    await clock.advance(1000);
    expect((await login('mona', TEST_PASSWORD, { env: fromAddress('203.0.113.50') })).status).toBe(200);
    // The success cleared the account's failures.
    for (let i = 0; i < 4; i++) await login('mona', 'encore faux', { env: fromAddress(`198.51.100.${20 + i}`) });
    expect((await login('mona', TEST_PASSWORD, { env: fromAddress('203.0.113.52') })).status).toBe(200);
  });

  it('slows down one address guessing at many accounts, not the others', async () => {
    const { auth, login } = setup();
    await addOrganiser(auth, 'moderator', 'mona');
    const attacker = fromAddress('203.0.113.66');
    for (let i = 0; i < 5; i++)
      expect((await login(`user${i}`, 'mauvais mot de passe', { env: attacker })).status).toBe(401);
    expect((await login('mona', TEST_PASSWORD, { env: attacker })).status).toBe(429);
    expect((await login('mona', TEST_PASSWORD, { env: fromAddress('203.0.113.67') })).status).toBe(200);
  });

  it('counts wrong operator tokens against the address', async () => {
    const { app } = setup();
    const attacker = fromAddress('203.0.113.66');
    for (let i = 0; i < 5; i++) {
      expect((await adminRequest(app, 'session', { token: `guess-${i}`, env: attacker })).status).toBe(401);
    }
    expect((await adminRequest(app, 'session', { token: TEST_ADMIN_TOKEN, env: attacker })).status).toBe(429);
    expect(
      (await adminRequest(app, 'session', { token: TEST_ADMIN_TOKEN, env: fromAddress('203.0.113.1') })).status,
    ).toBe(200);
  });
});

describe('the Secure flag of the session cookie', () => {
  async function cookieOf(
    options: Parameters<typeof adminServices>[0],
    url: string,
    headers: Record<string, string> = {},
  ) {
    const { auth, app } = setup(options);
    await addOrganiser(auth, 'moderator', 'mona');
    const origin = new URL(url).origin;
    const res = await app.request(url, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username: 'mona', password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!;
  }

  it('is set when PUBLIC_URL is https', async () => {
    const cookie = await cookieOf(
      { config: { publicUrl: 'https://flux.ville.fr' } },
      'https://flux.ville.fr/api/admin/login',
    );
    expect(cookie).toMatch(/; Secure/);
  });

  it('is set when the request itself came over HTTPS', async () => {
    expect(await cookieOf({}, 'https://localhost/api/admin/login')).toMatch(/; Secure/);
  });

  it('is set when a trusted proxy says X-Forwarded-Proto: https', async () => {
    const cookie = await cookieOf({ config: { trustProxy: 1 } }, 'http://localhost/api/admin/login', {
      'x-forwarded-proto': 'https',
      origin: 'https://localhost',
    });
    expect(cookie).toMatch(/; Secure/);
  });

  it('is not set over plain HTTP, nor on an X-Forwarded-Proto header without TRUST_PROXY', async () => {
    expect(await cookieOf({}, 'http://localhost/api/admin/login')).not.toMatch(/Secure/);
    expect(await cookieOf({}, 'http://localhost/api/admin/login', { 'x-forwarded-proto': 'https' })).not.toMatch(
      /Secure/,
    );
  });
});

describe('POST /api/admin/logout', () => {
  it('ends the session and clears the cookie', async () => {
    const { auth, app, login } = setup();
    await addOrganiser(auth, 'moderator', 'mona');
    const cookie = cookieFrom(await login('mona', TEST_PASSWORD));
    const res = await adminRequest(app, 'logout', { method: 'POST', cookie });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^cf_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/);
    expect((await adminRequest(app, 'session', { cookie })).status).toBe(401);
  });

  it('ends only the session it is sent from', async () => {
    const { auth, app, login } = setup();
    await addOrganiser(auth, 'moderator', 'mona');
    const phone = cookieFrom(await login('mona', TEST_PASSWORD));
    const desk = cookieFrom(await login('mona', TEST_PASSWORD));
    await adminRequest(app, 'logout', { method: 'POST', cookie: phone });
    expect((await adminRequest(app, 'session', { cookie: desk })).status).toBe(200);
  });
});

describe('/api/admin/setup: the first admin, from ADMIN_TOKEN', () => {
  const firstAdmin = { username: 'alice', displayName: 'Alice Martin', password: TEST_PASSWORD };

  it('creates the first admin with the token, signs them in, then is closed', async () => {
    const { app } = setup();
    expect(await (await adminRequest(app, 'setup')).json()).toEqual({ needsFirstAdmin: true, tokenConfigured: true });
    const res = await adminRequest(app, 'setup', { body: { token: TEST_ADMIN_TOKEN, ...firstAdmin } });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ user: { username: 'alice', displayName: 'Alice Martin', role: 'admin' } });
    const session = await adminRequest(app, 'session', { cookie: cookieFrom(res) });
    expect(await session.json()).toMatchObject({ user: { username: 'alice', role: 'admin' } });

    expect(await (await adminRequest(app, 'setup')).json()).toEqual({ needsFirstAdmin: false, tokenConfigured: true });
    const again = await adminRequest(app, 'setup', {
      body: { token: TEST_ADMIN_TOKEN, ...firstAdmin, username: 'eve' },
    });
    expect(again.status).toBe(409);
  });

  it('refuses a wrong token, and slows down guesses', async () => {
    const { app, auth } = setup();
    const attacker = fromAddress('203.0.113.66');
    for (let i = 0; i < 5; i++) {
      const res = await adminRequest(app, 'setup', { body: { token: `guess-${i}`, ...firstAdmin }, env: attacker });
      expect(res.status).toBe(403);
    }
    const throttled = await adminRequest(app, 'setup', {
      body: { token: TEST_ADMIN_TOKEN, ...firstAdmin },
      env: attacker,
    });
    expect(throttled.status).toBe(429);
    expect(auth.accounts.hasUsers()).toBe(false);
  });

  it('is off when ADMIN_TOKEN is not set', async () => {
    const { app } = setup({ adminToken: null });
    expect(await (await adminRequest(app, 'setup')).json()).toEqual({ needsFirstAdmin: true, tokenConfigured: false });
    const res = await adminRequest(app, 'setup', { body: { token: 'anything', ...firstAdmin } });
    expect(res.status).toBe(403);
  });

  it('names the field that does not fit', async () => {
    const { app } = setup();
    const res = await adminRequest(app, 'setup', {
      body: { token: TEST_ADMIN_TOKEN, ...firstAdmin, password: 'court' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { status: 400, message: 'password: must be at least 12 characters' } });
  });
});

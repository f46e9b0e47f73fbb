import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImageHost } from '../../media/image-host.js';
import { matrixServices, routeCases } from './route-cases.js';
import type { User } from '../../../../server/auth/accounts.js';
import {
  TEST_ADMIN_TOKEN,
  TEST_PASSWORD,
  addOrganiser,
  adminRequest,
  adminServices,
  fromAddress,
  sessionCookie,
  type AdminRequestInit,
} from '../../../helpers/admin.js';

const HOUR = 3_600_000;
const UNAUTHENTICATED = { error: { status: 401, message: 'authentication required' } };

let services: ReturnType<typeof adminServices>;
let admin: User;
let moderator: User;
let disabled: User;
let created = 0;
let closeImageHost: () => Promise<void>;

beforeAll(async () => {
  const imageHost = await startImageHost();
  closeImageHost = imageHost.close;
  services = await matrixServices(imageHost.base);
  [admin, moderator, disabled] = await Promise.all([
    addOrganiser(services.auth, 'admin', 'alice'),
    addOrganiser(services.auth, 'moderator', 'mona'),
    addOrganiser(services.auth, 'moderator', 'dora'),
  ]);
  await services.auth.accounts.update('dora', { disabled: true });
});
afterAll(async () => {
  services.close();
  await closeImageHost();
});

type Who = 'nobody' | 'expired session' | 'disabled user' | 'wrong token' | 'moderator' | 'admin' | 'admin token';

/** What a request carries to act as `who`; sessions are new for each request. */
async function credentials(who: Who): Promise<AdminRequestInit> {
  const { auth, clock } = services;
  switch (who) {
    case 'nobody':
      return {};
    case 'expired session': {
      const cookie = sessionCookie(auth, admin);
      await clock.advance(12 * HOUR + 1);
      return { cookie };
    }
    case 'disabled user':
      // A session row that outlived the disabling (the rule holds even then).
      return { cookie: sessionCookie(auth, disabled) };
    case 'wrong token':
      // From an address of its own each time: wrong tokens count as failed logins of the address.
      return { token: 'not-the-admin-token', env: fromAddress(`198.51.100.${++created % 250}`) };
    case 'moderator':
      return { cookie: sessionCookie(auth, moderator) };
    case 'admin':
      return { cookie: sessionCookie(auth, admin) };
    case 'admin token':
      return { token: TEST_ADMIN_TOKEN };
  }
}

const routes = routeCases(() => services);

describe('the authentication matrix of the admin API', () => {
  it.each(routes)('$route: 401 and nothing else without a valid session', async (c) => {
    for (const who of ['nobody', 'expired session', 'disabled user', 'wrong token'] as const) {
      const { path, ...init } = await c.request(++created);
      const res = await adminRequest(services.app, path, { ...init, ...(await credentials(who)) });
      expect({ who, status: res.status }).toEqual({ who, status: 401 });
      expect(await res.json()).toEqual(UNAUTHENTICATED);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it.each(routes)('$route: answered for a moderator only when any organiser may', async (c) => {
    const { path, ...init } = await c.request(++created);
    const res = await adminRequest(services.app, path, { ...init, ...(await credentials('moderator')) });
    if (c.role === 'any') {
      expect(res.status).toBe(c.success);
    } else {
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { status: 403, message: 'this action needs the admin role' } });
    }
  });

  it.each(routes)("$route: answered with an admin's session and with ADMIN_TOKEN", async (c) => {
    for (const who of ['admin', 'admin token'] as const) {
      const { path, ...init } = await c.request(++created);
      const res = await adminRequest(services.app, path, { ...init, ...(await credentials(who)) });
      expect({ who, status: res.status }).toEqual({ who, status: c.success });
    }
  });

  it('answers 401 to an unknown admin path without a session, 404 with one', async () => {
    const without = await adminRequest(services.app, 'nothing-here');
    expect(without.status).toBe(401);
    expect(await without.json()).toEqual(UNAUTHENTICATED);
    const withSession = await adminRequest(services.app, 'nothing-here', await credentials('moderator'));
    expect(withSession.status).toBe(404);
  });

  it('tells who is signed in', async () => {
    const res = await adminRequest(services.app, 'session', await credentials('moderator'));
    expect(await res.json()).toEqual({
      user: { username: 'mona', displayName: expect.any(String), role: 'moderator' },
    });
    const token = await adminRequest(services.app, 'session', await credentials('admin token'));
    expect(await token.json()).toEqual({
      user: { username: 'admin-token', displayName: 'ADMIN_TOKEN', role: 'admin' },
    });
  });
});

describe('the cross-site check', () => {
  const changing = routes.filter((c) => !c.route.startsWith('GET '));

  it.each(changing)('$route: refused without our Origin or without a JSON body, even with a session', async (c) => {
    for (const headers of [{ origin: null }, { origin: 'https://evil.example' }, { contentType: 'text/plain' }]) {
      const { path, ...init } = await c.request(++created);
      const res = await adminRequest(services.app, path, { ...init, ...(await credentials('admin')), ...headers });
      expect({ headers, status: res.status }).toEqual({ headers, status: 403 });
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /^cross-site request refused/,
      );
    }
  });

  const newUser = () => ({ username: `csrf-${++created}`, role: 'moderator', password: TEST_PASSWORD });

  it.each([
    ['no Origin', { origin: null }],
    ['another Origin', { origin: 'https://evil.example' }],
    ['an opaque Origin', { origin: 'null' }],
    ['the same host on another scheme', { origin: 'https://localhost' }],
    ['a form content type', { contentType: 'application/x-www-form-urlencoded' }],
    ['a multipart form', { contentType: 'multipart/form-data; boundary=x' }],
    ['a plain-text body', { contentType: 'text/plain' }],
    ['no content type', { contentType: null }],
  ])('refuses a state-changing request with %s, even with a valid session', async (_what, headers) => {
    const res = await adminRequest(services.app, 'users', {
      body: newUser(),
      ...(await credentials('admin')),
      ...headers,
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^cross-site request refused/);
  });

  it('accepts the same request with our Origin and a JSON body', async () => {
    const res = await adminRequest(services.app, 'users', {
      body: newUser(),
      ...(await credentials('admin')),
      contentType: 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(201);
  });

  it('checks login and logout too, and lets GET requests through without an Origin', async () => {
    const login = await adminRequest(services.app, 'login', {
      body: { username: 'alice', password: TEST_PASSWORD },
      origin: null,
    });
    expect(login.status).toBe(403);
    const logout = await adminRequest(services.app, 'logout', {
      method: 'POST',
      contentType: 'text/plain',
      ...(await credentials('admin')),
    });
    expect(logout.status).toBe(403);
    expect((await adminRequest(services.app, 'session', await credentials('admin'))).status).toBe(200);
  });

  it('compares the Origin with PUBLIC_URL when it is set', async () => {
    const other = adminServices({ config: { publicUrl: 'https://flux.ville.fr' } });
    try {
      const cookie = sessionCookie(other.auth, await addOrganiser(other.auth, 'admin'));
      const body = { displayName: 'Admin' };
      const local = await adminRequest(other.app, 'users/admin', { method: 'PATCH', body, cookie });
      expect(local.status).toBe(403);
      const ours = await adminRequest(other.app, 'users/admin', {
        method: 'PATCH',
        body,
        cookie,
        origin: 'https://flux.ville.fr',
      });
      expect(ours.status).toBe(200);
    } finally {
      other.close();
    }
  });

  it('lets the operator token through without an Origin: no browser sends it by itself', async () => {
    const res = await adminRequest(services.app, `users/mona`, {
      method: 'PATCH',
      body: { displayName: 'Mona' },
      token: TEST_ADMIN_TOKEN,
      origin: null,
    });
    expect(res.status).toBe(200);
  });
});

describe('admin answers', () => {
  it('are never cached nor sniffed, whatever their status', async () => {
    const answers = [
      await adminRequest(services.app, 'session'),
      await adminRequest(services.app, 'session', await credentials('admin')),
      await adminRequest(services.app, 'users', await credentials('moderator')),
      await adminRequest(services.app, 'users', { body: { username: 'x' }, ...(await credentials('admin')) }),
      await adminRequest(services.app, 'users/nobody', { method: 'DELETE', ...(await credentials('admin')) }),
      await adminRequest(services.app, 'setup'),
      await adminRequest(services.app, 'logout', { method: 'POST', ...(await credentials('admin')) }),
    ];
    expect(answers.map((r) => r.status)).toEqual([401, 200, 403, 400, 404, 200, 204]);
    for (const res of answers) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('refuse a body over 64 KiB with 413', async () => {
    const res = await adminRequest(services.app, 'users/mona', {
      method: 'PATCH',
      body: { displayName: 'x'.repeat(70_000) },
      ...(await credentials('admin')),
    });
    expect(res.status).toBe(413);
  });
});

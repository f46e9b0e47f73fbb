import { afterEach, describe, expect, it } from 'vitest';
import {
  TEST_PASSWORD,
  addOrganiser,
  adminRequest,
  adminServices,
  cookieFrom,
  signedInAs,
} from '../../../helpers/admin.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((f) => f());
  cleanups = [];
});

async function setup() {
  const services = adminServices();
  cleanups.push(services.close);
  const admin = await signedInAs(services.auth, 'admin', 'alice');
  const as = (path: string, init: Parameters<typeof adminRequest>[2] = {}) =>
    adminRequest(services.app, path, { cookie: admin.cookie, ...init });
  return { ...services, admin, as };
}

async function message(res: Response) {
  return ((await res.json()) as { error: { message: string } }).error.message;
}

describe('/api/admin/users', () => {
  it('lists the accounts without their password hashes', async () => {
    const { auth, as } = await setup();
    await addOrganiser(auth, 'moderator', 'mona');
    const res = await as('users');
    const body = (await res.json()) as { users: unknown[] };
    expect(body.users).toEqual([
      expect.objectContaining({ username: 'alice', role: 'admin', disabledAt: null }),
      expect.objectContaining({ username: 'mona', role: 'moderator', disabledAt: null }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/scrypt|password/i);
  });

  it('creates an account that can sign in', async () => {
    const { app, as } = await setup();
    const res = await as('users', {
      body: { username: 'mona', displayName: 'Mona Lefèvre', role: 'moderator', password: TEST_PASSWORD },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      user: expect.objectContaining({ username: 'mona', displayName: 'Mona Lefèvre', role: 'moderator' }),
    });
    const login = await adminRequest(app, 'login', { body: { username: 'mona', password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
  });

  it('refuses a name already taken, whatever its case, with 409', async () => {
    const { as } = await setup();
    const res = await as('users', { body: { username: 'ALICE', role: 'moderator', password: TEST_PASSWORD } });
    expect(res.status).toBe(409);
    expect(await message(res)).toBe('user "ALICE" already exists');
  });

  it.each([
    [{ username: 'mona', role: 'moderator', password: 'court' }, 'password: must be at least 12 characters'],
    [{ username: 'mona', password: TEST_PASSWORD }, 'role: is required'],
    [{ username: 'mona', role: 'chef', password: TEST_PASSWORD }, 'role: must be one of admin, moderator'],
    [
      { username: 'mona lisa', role: 'moderator', password: TEST_PASSWORD },
      'username: must be 1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    ],
    [{ username: 'admin-token', role: 'admin', password: TEST_PASSWORD }, 'username: is reserved'],
    [{ username: 'mona', role: 'moderator', password: TEST_PASSWORD, admin: true }, 'admin: is not a known field'],
    [
      { username: 'mona', role: 'moderator', password: TEST_PASSWORD, displayName: '  ' },
      'displayName: must not be empty',
    ],
  ])('names the field of a bad account: %j', async (body, expected) => {
    const { as } = await setup();
    const res = await as('users', { body });
    expect(res.status).toBe(400);
    expect(await message(res)).toBe(expected);
  });

  it('changes the name and the role', async () => {
    const { auth, as } = await setup();
    await addOrganiser(auth, 'moderator', 'mona');
    const res = await as('users/MONA', { method: 'PATCH', body: { displayName: 'Mona L.', role: 'admin' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      user: expect.objectContaining({ username: 'mona', displayName: 'Mona L.', role: 'admin' }),
    });
  });

  it('refuses an empty change, naming what can change', async () => {
    const { as } = await setup();
    const res = await as('users/alice', { method: 'PATCH', body: {} });
    expect(res.status).toBe(400);
    expect(await message(res)).toBe('body: must change at least one of displayName, role, password, disabled');
    const bad = await as('users/alice', { method: 'PATCH', body: { disabled: 'yes' } });
    expect(await message(bad)).toBe('disabled: must be true or false');
  });

  it('ends the sessions of a user it disables, who can no longer sign in', async () => {
    const { auth, app, as } = await setup();
    const mona = await signedInAs(auth, 'moderator', 'mona');
    const res = await as('users/mona', { method: 'PATCH', body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: expect.objectContaining({ disabledAt: expect.any(String) }) });
    expect((await adminRequest(app, 'session', { cookie: mona.cookie })).status).toBe(401);
    const login = await adminRequest(app, 'login', { body: { username: 'mona', password: TEST_PASSWORD } });
    expect(login.status).toBe(401);
    await as('users/mona', { method: 'PATCH', body: { disabled: false } });
    const again = await adminRequest(app, 'login', { body: { username: 'mona', password: TEST_PASSWORD } });
    expect(again.status).toBe(200);
  });

  it("ends a user's sessions when an admin changes its password; the new one works", async () => {
    const { auth, app, as } = await setup();
    const mona = await signedInAs(auth, 'moderator', 'mona');
    await as('users/mona', { method: 'PATCH', body: { password: 'un nouveau mot de passe' } });
    expect((await adminRequest(app, 'session', { cookie: mona.cookie })).status).toBe(401);
    const login = await adminRequest(app, 'login', { body: { username: 'mona', password: 'un nouveau mot de passe' } });
    expect(login.status).toBe(200);
  });

  it('keeps the session an admin changes its own password from, and ends its others', async () => {
    const { app, as } = await setup();
    const other = cookieFrom(
      await adminRequest(app, 'login', { body: { username: 'alice', password: TEST_PASSWORD } }),
    );
    const res = await as('users/alice', { method: 'PATCH', body: { password: 'un nouveau mot de passe' } });
    expect(res.status).toBe(200);
    expect((await as('session')).status).toBe(200);
    expect((await adminRequest(app, 'session', { cookie: other })).status).toBe(401);
  });

  it('never removes, disables or demotes the last enabled admin', async () => {
    const { as } = await setup();
    for (const [method, body] of [
      ['DELETE', undefined],
      ['PATCH', { role: 'moderator' }],
      ['PATCH', { disabled: true }],
    ] as const) {
      const res = await as('users/alice', { method, body });
      expect(res.status).toBe(409);
      expect(await message(res)).toBe('"alice" is the last enabled administrator: make another account admin first');
    }
    expect((await as('session')).status).toBe(200);
  });

  it('removes an account and its sessions', async () => {
    const { auth, app, as } = await setup();
    const mona = await signedInAs(auth, 'moderator', 'mona');
    expect((await as('users/mona', { method: 'DELETE' })).status).toBe(204);
    expect((await adminRequest(app, 'session', { cookie: mona.cookie })).status).toBe(401);
    expect((await as('users/mona', { method: 'DELETE' })).status).toBe(404);
    expect(await message(await as('users/mona', { method: 'PATCH', body: { role: 'admin' } }))).toBe('no user "mona"');
  });

  it('takes effect at once on a demoted admin', async () => {
    const { auth, app, as } = await setup();
    const bob = await signedInAs(auth, 'admin', 'bob');
    expect((await adminRequest(app, 'users', { cookie: bob.cookie })).status).toBe(200);
    await as('users/bob', { method: 'PATCH', body: { role: 'moderator' } });
    expect((await adminRequest(app, 'users', { cookie: bob.cookie })).status).toBe(403);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../../server/auth/account-store.js';
import { AccountError, Accounts, usernameSchema } from '../../../server/auth/accounts.js';
import { Sessions } from '../../../server/auth/sessions.js';
import { Store } from '../../../server/store/store.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { TEST_PASSWORD } from '../../helpers/admin.js';

let stores: Store[] = [];
afterEach(() => {
  stores.forEach((s) => s.close());
  stores = [];
});

function setup() {
  const store = new Store({ location: ':memory:' });
  stores.push(store);
  const clock = new FakeClock();
  const accountStore = new AccountStore(store.db);
  const accounts = new Accounts(accountStore, clock);
  const sessions = new Sessions(accountStore, clock);
  const add = (username: string, role: 'admin' | 'moderator') =>
    accounts.add({ username, role, password: TEST_PASSWORD });
  return { clock, accounts, sessions, add };
}

async function refusal(promise: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    if (err instanceof AccountError) return err.problem;
    throw err;
  }
  throw new Error('expected an AccountError');
}

describe('Accounts', () => {
  it('creates an account, shown without its password hash, named by its username by default', async () => {
    const { accounts, clock } = setup();
    const user = await accounts.add({ username: 'marie', role: 'admin', password: TEST_PASSWORD });
    expect(user).toEqual({
      username: 'marie',
      displayName: 'marie',
      role: 'admin',
      createdAt: new Date(clock.now()).toISOString(),
      disabledAt: null,
    });
    expect(accounts.list()).toEqual([user]);
    expect(JSON.stringify(accounts.list())).not.toContain('scrypt');
  });

  it('refuses a second account whose name differs only by case', async () => {
    const { add } = setup();
    await add('Marie', 'admin');
    expect(await refusal(add('marie', 'moderator'))).toBe('exists');
  });

  it('finds a user whatever the case of the name typed at login', async () => {
    const { add, accounts } = setup();
    await add('Marie', 'moderator');
    expect((await accounts.authenticate('MARIE', TEST_PASSWORD))?.username).toBe('Marie');
  });

  it('refuses the names the audit log uses for the config file and the operator token', () => {
    expect(usernameSchema.safeParse('admin-token').success).toBe(false);
    expect(usernameSchema.safeParse('Config-File').success).toBe(false);
    expect(usernameSchema.safeParse('marie.dupont').success).toBe(true);
    expect(usernameSchema.safeParse('-marie').success).toBe(false);
  });

  it('creates the first admin from the token only while no account exists', async () => {
    const { accounts, add } = setup();
    await accounts.add({ username: 'marie', role: 'admin', password: TEST_PASSWORD }, { onlyIfNone: true });
    expect(
      await refusal(accounts.add({ username: 'paul', role: 'admin', password: TEST_PASSWORD }, { onlyIfNone: true })),
    ).toBe('setup-done');
    await add('paul', 'moderator');
  });

  it('authenticates an enabled user with the right password only', async () => {
    const { accounts, add } = setup();
    await add('marie', 'moderator');
    expect(await accounts.authenticate('marie', TEST_PASSWORD)).toMatchObject({ username: 'marie', role: 'moderator' });
    expect(await accounts.authenticate('marie', `${TEST_PASSWORD}!`)).toBeUndefined();
    expect(await accounts.authenticate('nobody', TEST_PASSWORD)).toBeUndefined();
    await accounts.update('marie', { disabled: true });
    expect(await accounts.authenticate('marie', TEST_PASSWORD)).toBeUndefined();
    await accounts.update('marie', { disabled: false });
    expect(await accounts.authenticate('marie', TEST_PASSWORD)).toBeDefined();
  });

  it('never removes, disables or demotes the last enabled admin', async () => {
    const { accounts, add } = setup();
    await add('marie', 'admin');
    await add('mona', 'moderator');
    expect(await refusal(() => accounts.remove('marie'))).toBe('last-admin');
    expect(await refusal(accounts.update('marie', { role: 'moderator' }))).toBe('last-admin');
    expect(await refusal(accounts.update('marie', { disabled: true }))).toBe('last-admin');
    expect(accounts.get('marie')).toMatchObject({ role: 'admin', disabledAt: null });

    await add('paul', 'admin');
    await accounts.update('paul', { disabled: true });
    // A disabled admin does not count.
    expect(await refusal(() => accounts.remove('marie'))).toBe('last-admin');
    await accounts.update('paul', { disabled: false });
    await accounts.update('marie', { role: 'moderator' });
    expect(accounts.get('marie')?.role).toBe('moderator');
    expect(await refusal(() => accounts.remove('paul'))).toBe('last-admin');
    accounts.remove('mona');
  });

  it('says which user is unknown', async () => {
    const { accounts } = setup();
    expect(await refusal(accounts.update('nobody', { disabled: true }))).toBe('not-found');
    expect(await refusal(() => accounts.remove('nobody'))).toBe('not-found');
  });

  it("ends a user's sessions when it is disabled or removed", async () => {
    const { accounts, sessions, add } = setup();
    const marie = await add('marie', 'admin');
    const mona = await add('mona', 'moderator');
    const first = sessions.create(mona);
    const kept = sessions.create(marie);
    await accounts.update('mona', { disabled: true });
    await accounts.update('mona', { disabled: false });
    expect(sessions.resolve(first.cookie)).toBeUndefined();
    const second = sessions.create(mona);
    accounts.remove('mona');
    expect(sessions.resolve(second.cookie)).toBeUndefined();
    expect(sessions.resolve(kept.cookie)?.user.username).toBe('marie');
  });

  it("ends a user's other sessions when its password changes, keeping the one it was changed from", async () => {
    const { accounts, sessions, add } = setup();
    const mona = await add('mona', 'moderator');
    const phone = sessions.create(mona);
    const desk = sessions.create(mona);
    await accounts.update('mona', { password: 'un tout nouveau mot de passe' }, { keepSession: desk.idHash });
    expect(sessions.resolve(phone.cookie)).toBeUndefined();
    expect(sessions.resolve(desk.cookie)).toBeDefined();
    await accounts.update('mona', { password: 'encore un autre mot de passe' });
    expect(sessions.resolve(desk.cookie)).toBeUndefined();
    expect(await accounts.authenticate('mona', 'encore un autre mot de passe')).toBeDefined();
  });

  it('keeps sessions when only the name or the role changes', async () => {
    const { accounts, sessions, add } = setup();
    await add('marie', 'admin');
    const mona = await add('mona', 'moderator');
    const session = sessions.create(mona);
    await accounts.update('mona', { role: 'admin', displayName: 'Mona L.' });
    expect(sessions.resolve(session.cookie)?.user).toMatchObject({ role: 'admin', displayName: 'Mona L.' });
  });
});

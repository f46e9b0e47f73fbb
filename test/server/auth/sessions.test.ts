import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../../server/auth/account-store.js';
import { Accounts } from '../../../server/auth/accounts.js';
import { SESSIONS_PER_USER, Sessions } from '../../../server/auth/sessions.js';
import { sha256 } from '../../../server/auth/secret.js';
import { Store } from '../../../server/store/store.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { TEST_PASSWORD } from '../../helpers/admin.js';
import { tempDir } from '../../helpers/config.js';
import { holdDatabase } from '../../helpers/hold-database.js';

const HOUR = 3_600_000;
let stores: Store[] = [];
afterEach(() => {
  stores.forEach((s) => s.close());
  stores = [];
});

async function setup(location = ':memory:') {
  const store = new Store({ location });
  stores.push(store);
  const clock = new FakeClock();
  const accountStore = new AccountStore(store.db);
  const sessions = new Sessions(accountStore, clock);
  const user = await new Accounts(accountStore, clock).add({
    username: 'mona',
    role: 'moderator',
    password: TEST_PASSWORD,
  });
  const count = () => store.db.prepare('SELECT COUNT(*) FROM sessions').pluck().get() as number;
  return { clock, sessions, user, store, count };
}

describe('Sessions', () => {
  it('keeps only the SHA-256 of the 32-byte random id it gives the browser', async () => {
    const { sessions, user, store } = await setup();
    const session = sessions.create(user, 'Mozilla/5.0');
    expect(Buffer.from(session.cookie, 'base64url')).toHaveLength(32);
    const rows = store.db.prepare('SELECT id_hash, user_agent FROM sessions').all();
    expect(rows).toEqual([{ id_hash: sha256(session.cookie), user_agent: 'Mozilla/5.0' }]);
    expect(JSON.stringify(rows)).not.toContain(session.cookie);
    expect(sessions.resolve(session.cookie)?.user.username).toBe('mona');
  });

  it('ends after 12 hours without a request', async () => {
    const { clock, sessions, user } = await setup();
    const session = sessions.create(user);
    await clock.advance(11 * HOUR);
    expect(sessions.resolve(session.cookie)).toBeDefined();
    await clock.advance(11 * HOUR);
    expect(sessions.resolve(session.cookie)).toBeDefined();
    await clock.advance(12 * HOUR);
    expect(sessions.resolve(session.cookie)).toBeUndefined();
  });

  it('ends 7 days after it began, however active', async () => {
    const { clock, sessions, user } = await setup();
    const session = sessions.create(user);
    expect(session.maxAgeSeconds).toBe(7 * 86_400);
    for (let i = 0; i < 27; i++) {
      await clock.advance(6 * HOUR);
      expect(sessions.resolve(session.cookie)).toBeDefined();
    }
    await clock.advance(6 * HOUR);
    expect(sessions.resolve(session.cookie)).toBeUndefined();
  });

  it('ends at logout', async () => {
    const { sessions, user } = await setup();
    const session = sessions.create(user);
    sessions.end(session.idHash);
    expect(sessions.resolve(session.cookie)).toBeUndefined();
  });

  it('ignores cookies that are not session ids', async () => {
    const { sessions } = await setup();
    expect(sessions.resolve(undefined)).toBeUndefined();
    expect(sessions.resolve('')).toBeUndefined();
    expect(sessions.resolve("' OR 1=1 --")).toBeUndefined();
    expect(sessions.resolve('A'.repeat(43))).toBeUndefined();
  });

  it('deletes ended sessions and keeps at most 20 per user', async () => {
    const { clock, sessions, user, count } = await setup();
    sessions.create(user);
    await clock.advance(13 * HOUR);
    sessions.create(user);
    expect(count()).toBe(1);
    const all = [];
    for (let i = 0; i < SESSIONS_PER_USER + 5; i++) {
      await clock.advance(1000);
      all.push(sessions.create(user));
    }
    expect(count()).toBe(SESSIONS_PER_USER);
    expect(sessions.resolve(all.at(-1)!.cookie)).toBeDefined();
    expect(sessions.resolve(all[0]!.cookie)).toBeUndefined();
  });
});

describe('Sessions on a database another process holds busy', () => {
  it('keeps the organiser signed in when the last-seen time cannot be written now, and writes it later', async () => {
    const { sessions, user, store, clock } = await setup(tempDir());
    const session = sessions.create(user, 'Mozilla/5.0');
    const lastSeen = () =>
      store.db.prepare('SELECT last_seen_ms FROM sessions WHERE id_hash = ?').pluck().get(sha256(session.cookie));
    const created = lastSeen();
    await clock.advance(5 * 60_000);
    const other = holdDatabase(store.file);
    try {
      expect(sessions.resolve(session.cookie)?.user.username).toBe('mona');
    } finally {
      other.release();
    }
    expect(lastSeen()).toBe(created);
    expect(sessions.resolve(session.cookie)?.user.username).toBe('mona');
    expect(lastSeen()).toBe(clock.now());
  });
});

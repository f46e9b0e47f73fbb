/** An instance's copy of the shared tables: written from rows that come in no particular order. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Outbox, type RowChange } from '../../../server/cluster/outbox.js';

function database(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec(`
    CREATE TABLE users (username TEXT PRIMARY KEY, role TEXT NOT NULL);
    CREATE TABLE sessions (
      id_hash TEXT PRIMARY KEY,
      username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE
    ) WITHOUT ROWID;`);
  return db;
}

describe('the outbox', () => {
  it('replaces every table with rows in any order, an organiser’s session before their account', () => {
    const db = database();
    const outbox = new Outbox(db);
    db.prepare("INSERT INTO users VALUES ('paul', 'admin')").run();
    db.prepare("INSERT INTO sessions VALUES ('old', 'paul')").run();
    // As Redis hands them (one hash per table, tables in no set order): the session comes first.
    const rows: RowChange[] = [
      { t: 'sessions', k: JSON.stringify(['s1']), r: { id_hash: 's1', username: 'marie' } },
      { t: 'users', k: JSON.stringify(['marie']), r: { username: 'marie', role: 'admin' } },
    ];
    outbox.replaceAll(rows);
    expect(db.prepare('SELECT * FROM users').all()).toEqual([{ username: 'marie', role: 'admin' }]);
    expect(db.prepare('SELECT * FROM sessions').all()).toEqual([{ id_hash: 's1', username: 'marie' }]);
    // The foreign keys still hold once the copy is in.
    expect(() => db.prepare("INSERT INTO sessions VALUES ('s2', 'nobody')").run()).toThrow(/FOREIGN KEY/);
  });
});

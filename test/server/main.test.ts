import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE, Store } from '../../server/store/store.js';
import { migrations } from '../../server/store/migrations.js';
import { tempDir } from '../helpers/config.js';
import { testPost } from '../helpers/posts.js';
import { canRunAsNobody, failedStart, NOBODY, startProcess, type StartedProcess } from '../helpers/server-process.js';

const asNobody = canRunAsNobody();
const running: StartedProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

/** A data folder holding a real database with posts p1 and p2 of the default feed. */
function folderWithPosts(): { dir: string; file: string } {
  const dir = tempDir();
  const store = new Store({ location: dir });
  store.applyPoll('saint-etienne', 'demo', { posts: [testPost(1), testPost(2)], removals: [], cursor: null }, 1);
  store.close();
  return { dir, file: path.join(dir, DB_FILE) };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('a start that fails on a setting (exit 2)', () => {
  it('stops at once on an invalid config file, naming the key and the reason', () => {
    const file = path.join(tempDir(), 'feeds.json');
    writeFileSync(file, JSON.stringify({ feeds: [{ id: 'roanne', title: 'Fête', accounts: ['ville de roanne'] }] }));
    expect(failedStart({ args: ['--config', file] })).toEqual({
      status: 2,
      line: 'commune-feed: configuration error: feeds.json.feeds[0].accounts[0]: must be an X username: 1 to 15 letters, digits or _',
    });
  });

  it('names the variable when the environment is wrong', () => {
    const { status, line } = failedStart({ env: { PORT: 'trois-mille' } });
    expect(status).toBe(2);
    expect(line).toContain('PORT: must be a whole number');
  });

  it('says which port is taken when PORT is in use', async () => {
    const other = http.createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const port = (other.address() as AddressInfo).port;
    try {
      expect(failedStart({ env: { PORT: String(port) } })).toEqual({
        status: 2,
        line: `commune-feed: PORT: ${port} is already in use on 127.0.0.1 by another program: stop it, or set PORT to a free port`,
      });
    } finally {
      other.close();
    }
  });

  it('says HOST is unknown when it does not resolve', () => {
    const { status, line } = failedStart({ env: { HOST: 'no-such-host.invalid' } });
    expect(status).toBe(2);
    expect(line).toMatch(
      /^commune-feed: HOST: "no-such-host\.invalid" is not an address nor a name that resolves here/,
    );
    expect(line).toContain('set HOST to an address of this machine');
  });

  it.runIf(asNobody)('says a port below 1024 needs a privilege the user lacks', () => {
    const dir = tempDir();
    chownSync(dir, NOBODY.uid, NOBODY.gid);
    const { status, line } = failedStart({ env: { PORT: '80', DATA_DIR: dir }, user: NOBODY });
    expect(status).toBe(2);
    expect(line).toMatch(/^commune-feed: PORT: 80 needs privileges this user lacks .*set PORT to 1024 or more/);
  });
});

describe('a start that fails on the data folder (exit 3)', () => {
  it('says DATA_DIR is not a folder when it is a file', () => {
    const file = path.join(tempDir(), 'data');
    writeFileSync(file, 'not a folder');
    const { status, line } = failedStart({ env: { DATA_DIR: file } });
    expect(status).toBe(3);
    expect(line).toBe(
      `commune-feed: DATA_DIR ${file} is not a folder (EEXIST): set DATA_DIR to a folder, or to a path where one can be created`,
    );
  });

  it.runIf(asNobody)('says DATA_DIR cannot be written when this user may not write there', () => {
    const dir = tempDir();
    const { status, line } = failedStart({ env: { DATA_DIR: dir }, user: NOBODY });
    expect(status).toBe(3);
    expect(line).toBe(
      `commune-feed: DATA_DIR ${dir} cannot be written by this user (EACCES): give it write permission, or set DATA_DIR to a writable folder`,
    );
  });

  it('says the disk is full, leaves no half-made database behind, and starts once there is room', async () => {
    const dir = tempDir();
    // A file size limit makes every write past 8 KiB fail, as a full disk does.
    const full = failedStart({ env: { DATA_DIR: dir, TSX_DISABLE_CACHE: '1' }, fileSizeLimitKiB: 8 });
    expect(full.status).toBe(3);
    expect(full.line).toMatch(/^commune-feed: DATA_DIR: .*commune-feed\.db: the disk is full \(\w+\): free some space/);
    expect(existsSync(path.join(dir, DB_FILE))).toBe(false);

    const server = await startProcess({ env: { DATA_DIR: dir } });
    running.push(server);
    expect((await fetch(`${server.url}/api/feeds`)).status).toBe(200);
  });
});

describe('a start that fails on the database (exit 4)', () => {
  it('refuses a damaged database, leaves it untouched, and says how to restore or move it aside', () => {
    const { dir, file } = folderWithPosts();
    const bytes = readFileSync(file);
    bytes.fill(0xab, 4096, 8192);
    writeFileSync(file, bytes);
    const before = sha(file);
    for (let start = 0; start < 2; start++) {
      const { status, line } = failedStart({ env: { DATA_DIR: dir } });
      expect(status).toBe(4);
      expect(line).toMatch(
        new RegExp(`^commune-feed: ${file} is damaged \\(.+\\); it was left untouched: restore a backup`),
      );
      expect(line).toContain(`move it aside to start with an empty wall: mv ${file} ${file}.damaged`);
    }
    expect(sha(file)).toBe(before);
  });

  it('refuses a file that is not a database, and one cut short', () => {
    const notDb = tempDir();
    writeFileSync(path.join(notDb, DB_FILE), 'this is not SQLite '.repeat(300));
    const garbage = failedStart({ env: { DATA_DIR: notDb } });
    expect(garbage.status).toBe(4);
    expect(garbage.line).toContain('is damaged (file is not a database)');

    const { dir, file } = folderWithPosts();
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length / 2));
    const truncated = failedStart({ env: { DATA_DIR: dir } });
    expect(truncated.status).toBe(4);
    expect(truncated.line).toContain(`${file} is damaged (`);
  });

  it('refuses an empty database file instead of taking it for a fresh start', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    writeFileSync(file, '');
    const { status, line } = failedStart({ env: { DATA_DIR: dir } });
    expect(status).toBe(4);
    expect(line).toContain(`database ${file} is empty (0 bytes), as a failed restore or copy leaves it`);
    expect(line).toContain(`delete the file to start on purpose with an empty wall: rm ${file}`);
    expect(readFileSync(file)).toHaveLength(0);
  });

  it('refuses a database written by a newer version', () => {
    const { dir, file } = folderWithPosts();
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    const { status, line } = failedStart({ env: { DATA_DIR: dir } });
    expect(status).toBe(4);
    expect(line).toContain(`has schema version ${migrations.length + 1}, newer than this program knows`);
    expect(line).toContain('run that version, or restore a backup');
  });
});

describe('a start with one unreadable post', () => {
  it('serves the other posts, reports the row once in the log and in /api/health, and stops with 0 on SIGTERM', async () => {
    const { dir, file } = folderWithPosts();
    const raw = new Database(file);
    raw.prepare('UPDATE posts SET body = \'{"id": "p2", broken\' WHERE id = \'p2\'').run();
    raw.close();

    const server = await startProcess({ env: { DATA_DIR: dir, RETENTION_DAYS: '3650' } });
    running.push(server);
    const snapshot = (await (await fetch(`${server.url}/api/feeds/saint-etienne`)).json()) as {
      posts: { id: string }[];
    };
    const ids = snapshot.posts.map((p) => p.id);
    expect(ids).toContain('p1');
    expect(ids).not.toContain('p2');
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { store: { skippedRows: number } };
    expect(health.store).toEqual({ skippedRows: 1 });
    const skipped = server
      .stderr()
      .split('\n')
      .filter((l) => l.includes('store.row_skipped'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/feed=saint-etienne post=p2/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

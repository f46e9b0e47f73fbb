/**
 * `kill -9` of the real process (as an operator starts it) during a poll, during organisers'
 * decisions and during a retention sweep: the next start serves what was committed, loses no
 * acknowledged decision, and goes on by itself.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSnapshot } from '../../../server/contract.js';
import { Store, DB_FILE } from '../../../server/store/store.js';
import { fakeTweet, snowflakeAt, startFakeX, type FakeX } from '../../fake-x/fake-x-server.js';
import { tempDir } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';
import { startProcess, type StartedProcess } from '../../helpers/server-process.js';

const X_TOKEN = 'process-fault-x-token-0123456789';
const ADMIN_TOKEN = 'process-fault-admin-token-0123456789';

const running: StartedProcess[] = [];
const fakes: FakeX[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  for (const x of fakes.splice(0)) await x.close();
});

async function start(env: Record<string, string>) {
  const p = await startProcess({ env });
  running.push(p);
  return p;
}

async function killHard(p: StartedProcess) {
  p.child.kill('SIGKILL');
  expect(await p.exited).toBe('SIGKILL');
  running.splice(running.indexOf(p), 1);
}

async function snapshot(p: StartedProcess, feed: string): Promise<FeedSnapshot> {
  const res = await fetch(`${p.url}/api/feeds/${feed}`);
  expect(res.status).toBe(200);
  return (await res.json()) as FeedSnapshot;
}

async function eventually(check: () => Promise<void>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function integrity(dataDir: string) {
  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
}

describe('kill -9 of the real process', () => {
  it('during a poll: the next start serves what was committed, then reads what the killed poll was reading', async () => {
    const x = await startFakeX({ token: X_TOKEN });
    fakes.push(x);
    const town = x.addUser({ username: 'saint_etienne_' });
    const add = (text: string) => {
      const { tweet } = fakeTweet({ id: snowflakeAt(Date.now() - 60_000), author: town, text });
      x.addTweet(tweet);
      return text;
    };
    const dataDir = tempDir();
    const configFile = path.join(dataDir, '..', `${path.basename(dataDir)}.json`);
    writeFileSync(
      configFile,
      JSON.stringify({ feeds: [{ id: 'fete', title: 'Fête', source: 'x', hashtags: ['FeteDuLivre'] }] }),
    );
    const env = {
      DATA_DIR: dataDir,
      X_BEARER_TOKEN: X_TOKEN,
      X_API_BASE_URL: x.baseUrl,
      COMMUNE_FEED_CONFIG: configFile,
    };

    const first = add('Ouverture #FeteDuLivre');
    const one = await start(env);
    await eventually(async () => expect((await snapshot(one, 'fete')).posts.map((p) => p.text)).toEqual([first]));
    await killHard(one);

    // The next start polls at once; X drips its answer, and the process dies in the middle of it.
    const second = add('Dédicaces #FeteDuLivre');
    x.fault('search/recent', { kind: 'drip', everyMs: 50 });
    const calls = x.callsTo('search/recent').length;
    const two = await start(env);
    await eventually(async () => expect(x.callsTo('search/recent').length).toBeGreaterThan(calls));
    await new Promise((r) => setTimeout(r, 200));
    await killHard(two);
    expect(integrity(dataDir)).toBe('ok');

    const three = await start(env);
    expect((await snapshot(three, 'fete')).posts.map((p) => p.text)).toContain(first);
    await eventually(async () =>
      expect((await snapshot(three, 'fete')).posts.map((p) => p.text)).toEqual([second, first]),
    );
  }, 60_000);

  it('during organisers’ decisions: every decision acknowledged before the kill is still in force', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN };
    const one = await start(env);
    let posts: FeedSnapshot['posts'] = [];
    await eventually(async () => {
      posts = (await snapshot(one, 'saint-etienne')).posts;
      expect(posts.length).toBeGreaterThanOrEqual(8);
    });
    const acknowledged = new Set<string>();
    const decide = async (id: string) => {
      const res = await fetch(`${one.url}/api/admin/feeds/saint-etienne/posts/${encodeURIComponent(id)}/decision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'hide', reason: 'test' }),
      }).catch(() => undefined);
      if (res?.status === 200) {
        acknowledged.add(id);
        firstAcknowledged();
      }
    };
    let firstAcknowledged!: () => void;
    const acknowledgedOne = new Promise<void>((r) => (firstAcknowledged = r));
    // Decisions in flight when the process dies: those answered 200 must survive.
    const inFlight = posts.map((p, i) => new Promise((r) => setTimeout(r, i * 2)).then(() => decide(p.id)));
    await acknowledgedOne;
    await killHard(one);
    await Promise.all(inFlight);
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(integrity(dataDir)).toBe('ok');

    const two = await start(env);
    const shown = new Set((await snapshot(two, 'saint-etienne')).posts.map((p) => p.id));
    for (const id of acknowledged) expect(shown.has(id), `hidden post ${id} is back`).toBe(false);
  }, 60_000);

  it('during a retention sweep: the next start finishes it, keeps every recent post, and the file is whole', async () => {
    const dataDir = tempDir();
    const now = Date.now();
    const store = new Store({ location: dataDir });
    // 4,000 posts past the 30-day retention and 50 recent ones.
    for (let batch = 0; batch < 40; batch++) {
      const old = Array.from({ length: 100 }, (_, i) =>
        testPost(batch * 100 + i, { createdAt: new Date(now - 60 * 86_400_000 + batch * 100 + i).toISOString() }),
      );
      store.applyPoll('saint-etienne', 'demo', { posts: old, removals: [], cursor: null }, now - 60 * 86_400_000);
    }
    const recent = Array.from({ length: 50 }, (_, i) =>
      testPost(10_000 + i, { createdAt: new Date(now - i * 60_000).toISOString() }),
    );
    store.applyPoll('saint-etienne', 'demo', { posts: recent, removals: [], cursor: null }, now);
    store.close();

    // The sweep runs at start, before the process serves: it is killed once the sweep writes.
    let child: ChildProcess | undefined;
    const starting = startProcess({ env: { DATA_DIR: dataDir }, spawned: (c) => (child = c) });
    starting.catch(() => {});
    const wal = path.join(dataDir, `${DB_FILE}-wal`);
    await eventually(async () => expect(existsSync(wal) && statSync(wal).size > 100_000).toBe(true), 30_000);
    child!.kill('SIGKILL');
    await expect(starting).rejects.toThrow(/SIGKILL/);
    expect(integrity(dataDir)).toBe('ok');

    const two = await start({ DATA_DIR: dataDir });
    const ids = new Set((await snapshot(two, 'saint-etienne')).posts.map((q) => q.id));
    for (const post of recent) expect(ids.has(post.id), `recent post ${post.id} lost`).toBe(true);
    await killHard(two);
    const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
    const left = db.prepare("SELECT count(*) AS n FROM posts WHERE id LIKE 'p%' AND id < 'p10000'").get() as {
      n: number;
    };
    db.close();
    expect(left.n).toBe(0);
  }, 60_000);
});

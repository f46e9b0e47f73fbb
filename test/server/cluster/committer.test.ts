/** The leader's commits on a real Redis: a write Redis refused is never reported as committed. */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FencedError } from '../../../server/cluster/change-log.js';
import { Committer } from '../../../server/cluster/committer.js';
import { Outbox } from '../../../server/cluster/outbox.js';
import { connectRedis, KEYS } from '../../../server/cluster/redis.js';
import { memoryLogger } from '../../../server/log.js';
import { startRedis } from '../../helpers/redis-server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('the committer', () => {
  it('rejects the commit an organiser waits on when Redis refused it because the lease changed hands', async () => {
    const server = await startRedis();
    cleanups.push(() => server.stop());
    const redis = await connectRedis(server.url, memoryLogger(), 'test');
    cleanups.push(() => redis.destroy());
    const db = new Database(':memory:');
    db.exec('CREATE TABLE decisions (post TEXT PRIMARY KEY, action TEXT)');
    const outbox = new Outbox(db);
    const fenced: string[] = [];
    const committer = new Committer({
      redis,
      outbox,
      log: memoryLogger(),
      instance: 'i0',
      onFenced: (token) => fenced.push(token),
    });
    committer.token = 'mine';

    await redis.sendCommand(['SET', KEYS.lease, 'mine']);
    db.prepare('INSERT INTO decisions VALUES (?, ?)').run('p1', 'hide');
    const at = await committer.commit();
    expect(at).toMatch(/^\d+-\d+$/);

    // Another instance holds the lease now: this write is refused, and the organiser must not be told otherwise.
    await redis.sendCommand(['SET', KEYS.lease, 'theirs']);
    db.prepare('INSERT INTO decisions VALUES (?, ?)').run('p2', 'hide');
    await expect(committer.commit()).rejects.toBeInstanceOf(FencedError);
    expect(fenced).toEqual(['mine']);
    expect(await redis.sendCommand(['HGET', `${KEYS.rowsPrefix}decisions`, JSON.stringify(['p2'])])).toBeNull();
  });
});

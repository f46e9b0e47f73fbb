import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { memoryLogger } from '../../../server/log.js';
import { Store, DB_FILE } from '../../../server/store/store.js';
import { migrations } from '../../../server/store/migrations.js';
import { tempDir } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));
function open(dir: string, log = memoryLogger()) {
  const s = new Store({ location: dir, log });
  stores.push(s);
  return s;
}

describe('Store', () => {
  it('keeps posts, cursors, revisions and source state across a restart', () => {
    const dir = tempDir();
    const a = open(dir);
    a.applyPoll('f', 'x', { posts: [testPost(1), testPost(2)], removals: [], cursor: '{"since":"2"}' }, 1000);
    a.sourceState('f:x').set('userIds', { saint_etienne_: '123' });
    a.close();

    const b = open(dir);
    expect(b.recentPosts('f', 10).map((p) => p.id)).toEqual(['p2', 'p1']);
    expect(b.recentPosts('f', 10)[0]).toEqual(testPost(2));
    expect(b.cursor('f', 'x')).toBe('{"since":"2"}');
    expect(b.feed('f')).toEqual({ revision: 2, lastSuccessMs: 1000, lastChangeMs: 1000 });
    expect(b.sourceState('f:x').get('userIds')).toEqual({ saint_etienne_: '123' });
    expect(b.schemaVersion).toBe(migrations.length);
  });

  it('reports only real changes: an unchanged post gives no event, an edit does', () => {
    const s = open(':memory:');
    expect(s.applyPoll('f', 'x', { posts: [testPost(1)], removals: [], cursor: null }, 1)).toHaveLength(1);
    expect(s.applyPoll('f', 'x', { posts: [testPost(1)], removals: [], cursor: null }, 2)).toEqual([]);
    const edited = testPost(1, { text: 'corrigé', edited: true, entities: { hashtags: [], mentions: [], links: [] } });
    expect(s.applyPoll('f', 'x', { posts: [edited], removals: [], cursor: null }, 3)).toEqual([
      { kind: 'post', revision: 2, post: edited },
    ]);
  });

  it('never shows a removed post again, even if a source sends it back', () => {
    const s = open(':memory:');
    s.applyPoll('f', 'x', { posts: [testPost(1)], removals: [], cursor: null }, 1);
    expect(s.applyPoll('f', 'x', { posts: [], removals: ['p1', 'unknown'], cursor: null }, 2)).toEqual([
      { kind: 'remove', revision: 2, id: 'p1' },
    ]);
    expect(s.applyPoll('f', 'x', { posts: [testPost(1)], removals: [], cursor: null }, 3)).toEqual([]);
    expect(s.recentPosts('f', 10)).toEqual([]);
  });

  it('keeps feeds apart', () => {
    const s = open(':memory:');
    s.applyPoll('a', 'demo', { posts: [testPost(1)], removals: [], cursor: 'ca' }, 1);
    s.applyPoll('b', 'demo', { posts: [testPost(2)], removals: [], cursor: 'cb' }, 1);
    expect(s.recentPosts('a', 10).map((p) => p.id)).toEqual(['p1']);
    expect(s.cursor('b', 'demo')).toBe('cb');
  });

  it('deletes posts older than the retention age', () => {
    const s = open(':memory:');
    s.applyPoll('f', 'x', { posts: [testPost(1), testPost(100)], removals: [], cursor: null }, 1);
    const cutoff = Date.parse(testPost(50).createdAt);
    const changes = s.prune([{ feedId: 'f', beforeMs: cutoff }], cutoff, 2);
    expect(changes.get('f')?.changes).toEqual([{ kind: 'remove', revision: 3, id: 'p1' }]);
    expect(s.recentPosts('f', 10).map((p) => p.id)).toEqual(['p100']);
  });

  it('keeps the posts a plan keeps longer until their own cutoff, and shows the others to the figures before deleting them', () => {
    const s = open(':memory:');
    s.applyPoll(
      'f',
      'x',
      { posts: [testPost(1), testPost(2), testPost(3), testPost(100)], removals: [], cursor: null },
      1,
    );
    const cutoff = Date.parse(testPost(50).createdAt);
    const seen: string[] = [];
    const keep = { ids: new Set(['p1', 'p2']), beforeMs: Date.parse(testPost(2).createdAt) };
    s.prune([{ feedId: 'f', beforeMs: cutoff, keep }], cutoff, 2, (feedId, ids) => {
      // Still stored when the figures see them.
      seen.push(...ids.filter((id) => s.posts.item(feedId, id)).map((id) => `${feedId}:${id}`));
    });
    expect(seen.sort()).toEqual(['f:p1', 'f:p3']);
    expect(s.recentPosts('f', 10).map((p) => p.id)).toEqual(['p100', 'p2']);
  });

  it('refuses a data file written by a newer version instead of damaging it', () => {
    const dir = tempDir();
    open(dir).close();
    const raw = new Database(path.join(dir, DB_FILE));
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    expect(() => open(dir)).toThrow(/newer than this program knows/);
  });

  it('skips a stored post it cannot read, logs it once and counts it, and serves the others', () => {
    const log = memoryLogger();
    const s = open(':memory:', log);
    s.applyPoll('f', 'x', { posts: [testPost(1), testPost(2), testPost(3)], removals: [], cursor: null }, 1);
    s.db.prepare("UPDATE posts SET body = '{\"id\":' WHERE id = 'p2'").run();
    s.db.prepare("UPDATE posts SET body = 'null' WHERE id = 'p3'").run();
    expect(s.recentPosts('f', 10).map((p) => p.id)).toEqual(['p1']);
    expect(s.recentPosts('f', 10).map((p) => p.id)).toEqual(['p1']);
    expect(s.health()).toEqual({ skippedRows: 2 });
    const skipped = log.lines.filter((l) => l.includes('store.row_skipped'));
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/feed=f post=p3 reason="not a post"/);
    expect(skipped[1]).toMatch(/feed=f post=p2 reason=/);
    // The source sends the post again: it is stored whole and shown.
    expect(s.applyPoll('f', 'x', { posts: [testPost(2)], removals: [], cursor: null }, 2)).toHaveLength(1);
    expect(s.recentPosts('f', 10).map((p) => p.id)).toEqual(['p2', 'p1']);
  });

  it('skips a source state value it cannot read instead of failing to start', () => {
    const dir = tempDir();
    const a = open(dir);
    a.sourceState('x').set('monthlyReads', 10);
    a.sourceState('x').set('pause', { until: 5 });
    a.db.prepare("UPDATE source_state SET value = '{oops' WHERE key = 'pause'").run();
    a.close();
    const b = open(dir);
    expect(b.sourceState('x').get('monthlyReads')).toBe(10);
    expect(b.sourceState('x').get('pause')).toBeUndefined();
    expect(b.health()).toEqual({ skippedRows: 1 });
  });

  it('loses nothing committed and corrupts nothing when the process is killed with SIGKILL mid-write', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'store-writer.fixture.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let committed = 0;
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: string) => {
        // The writer prints the number of polls committed after each transaction.
        const last = chunk.trim().split('\n').pop();
        if (last) committed = Number(last);
        if (committed >= 200) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const s = open(dir);
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = s.recentPosts('f', 100_000);
    // Every poll reported as committed is there, whole: 5 posts and its cursor.
    expect(stored.length).toBeGreaterThanOrEqual(committed * 5);
    expect(stored.length % 5).toBe(0);
    const cursor = Number(s.cursor('f', 'x'));
    expect(cursor).toBeGreaterThanOrEqual(committed);
    expect(stored.length).toBe(cursor * 5);
  });
});

describe('Store.sourceState', () => {
  it('gives every holder of a scope the same state, so feeds share what is shared', () => {
    const s = open(':memory:');
    s.sourceState('x').set('monthlyReads', 10);
    expect(s.sourceState('x').get('monthlyReads')).toBe(10);
    expect(s.sourceState('saint-etienne:x').get('monthlyReads')).toBeUndefined();
  });
});

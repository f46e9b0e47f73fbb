/**
 * Decisions taken through the admin API last: across a restart, and on X across a re-poll that
 * returns the hidden post and across the compliance re-check.
 */
import { describe, expect, it } from 'vitest';
import type { FeedSnapshot } from '../../../../server/contract.js';
import type { FeedsAnswer, QueueAnswer } from '../../../../server/http/admin/admin-contract.js';
import { fakeTweet } from '../../../fake-x/fake-x-server.js';
import {
  TEST_ADMIN_TOKEN,
  adminRequest,
  sessionCookie,
  signedInAs,
  type RequestTarget,
} from '../../../helpers/admin.js';
import { tempDir, testConfig, testFeed } from '../../../helpers/config.js';
import { testPost } from '../../../helpers/posts.js';
import { services, useFakeX, xServices } from '../../../helpers/services.js';

const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };

async function shownIds(app: RequestTarget, feed: string): Promise<string[]> {
  const snapshot = (await (await app.request(`/api/feeds/${feed}`)).json()) as FeedSnapshot;
  return snapshot.posts.map((p) => p.id);
}

describe('decisions taken through the admin API', () => {
  const h = useFakeX('x-admin-decisions-token-0123');

  it('survive a restart: hidden, approved and pinned posts, the audit log, the settings and the session', async () => {
    const dataDir = tempDir();
    const config = testConfig({ dataDir, feeds: [testFeed({ moderation: { mode: 'pre' } })] });
    const a = services(config, { adminToken: TEST_ADMIN_TOKEN, clock: h.clock });
    a.sources.get('saint-etienne').posts([1, 2, 3].map((n) => testPost(n, { author: resident })));
    await a.engines.get('saint-etienne')!.pollNow();
    const { cookie } = await signedInAs(a.auth, 'admin', 'alice');
    const decide = (app: RequestTarget, post: string, action: string) =>
      adminRequest(app, `feeds/saint-etienne/posts/${post}/decision`, { body: { action }, cookie });
    await decide(a.app, 'p1', 'approve');
    await decide(a.app, 'p2', 'approve');
    await decide(a.app, 'p2', 'pin');
    await decide(a.app, 'p3', 'hide');
    const { settings } = a.registry.require('saint-etienne');
    await adminRequest(a.app, 'feeds/saint-etienne', { method: 'PUT', body: { ...settings, title: 'Fête' }, cookie });
    expect(await shownIds(a.app, 'saint-etienne')).toEqual(['p2', 'p1']);
    a.moderation.stop();
    await a.runtime.stop();
    a.delivery.close();
    a.store.close();

    // The same data folder: the file's entry is unchanged, so the console's settings stay.
    const b = services(config, { adminToken: TEST_ADMIN_TOKEN, clock: h.clock });
    expect(await shownIds(b.app, 'saint-etienne')).toEqual(['p2', 'p1']);
    // The posts come again from the network: the decisions hold.
    b.sources.get('saint-etienne').posts([1, 2, 3].map((n) => testPost(n, { author: resident })));
    await b.engines.get('saint-etienne')!.pollNow();
    expect(await shownIds(b.app, 'saint-etienne')).toEqual(['p2', 'p1']);
    const queue = await adminRequest(b.app, 'feeds/saint-etienne/queue', { cookie });
    expect(queue.status).toBe(200);
    expect(((await queue.json()) as QueueAnswer).items.map((i) => [i.post.id, i.visibility, i.decision])).toEqual([
      ['p3', 'hidden', 'hidden'],
      ['p2', 'shown', 'approved'],
      ['p1', 'shown', 'approved'],
    ]);
    const audit = await adminRequest(b.app, 'feeds/saint-etienne/audit?limit=5', { cookie });
    expect((await audit.json()).entries.map((e: { action: string }) => e.action)).toEqual([
      'feed.update',
      'hide',
      'pin',
      'approve',
      'approve',
    ]);
    const feeds = (await (await adminRequest(b.app, 'feeds', { cookie })).json()) as FeedsAnswer;
    expect(feeds.feeds[0]).toMatchObject({ settings: { title: 'Fête' }, origin: 'console', updatedBy: 'alice' });
  });

  it('on X, a post hidden through the API stays hidden after a re-poll that returns it and after the compliance re-check', async () => {
    const TOKEN = 'x-admin-decisions-token-0123';
    const s = xServices(h, TOKEN);
    const { cookie, user } = await signedInAs(s.auth, 'moderator', 'mona');
    const author = h.x.addUser({ username: 'troll' });
    const spam = h.x.addTweet(
      fakeTweet({ author, text: 'Pub #FeteDuLivre', createdAt: new Date(h.clock.now() - 60_000).toISOString() }).tweet,
    );
    const reader = h.x.addUser({ username: 'lecteur42' });
    const kind = h.x.addTweet(
      fakeTweet({
        author: reader,
        text: 'Super #FeteDuLivre',
        createdAt: new Date(h.clock.now() - 120_000).toISOString(),
      }).tweet,
    );
    const engine = s.engines.get('fete')!;
    await engine.pollNow();
    expect(await shownIds(s.app, 'fete')).toEqual([spam.id, kind.id]);
    const res = await adminRequest(s.app, `feeds/fete/posts/${spam.id}/decision`, {
      body: { action: 'hide', reason: 'publicité' },
      cookie,
    });
    expect(res.status).toBe(200);
    expect(await shownIds(s.app, 'fete')).toEqual([kind.id]);

    // X returns it again (the cursor is lost).
    s.store.db.prepare('DELETE FROM cursors').run();
    const searches = h.x.callsTo('search/recent').length;
    await engine.pollNow();
    expect(h.x.callsTo('search/recent').length).toBe(searches + 1);
    expect(await shownIds(s.app, 'fete')).toEqual([kind.id]);

    // The compliance re-check a day later: still on X, still hidden here.
    const lookups = h.x.callsTo('tweets').length;
    await h.clock.advance(24 * 3_600_000 + 1_000);
    await engine.pollNow();
    expect(h.x.callsTo('tweets').length).toBeGreaterThan(lookups);
    expect(await shownIds(s.app, 'fete')).toEqual([kind.id]);
    // A day later, the organiser signs in again (the session has ended).
    const queue = await adminRequest(s.app, 'feeds/fete/queue', { cookie: sessionCookie(s.auth, user) });
    expect(((await queue.json()) as QueueAnswer).items.map((i) => [i.post.id, i.visibility])).toEqual([
      [spam.id, 'hidden'],
      [kind.id, 'shown'],
    ]);
  });
});

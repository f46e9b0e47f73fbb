/** Feeds at run time through the admin API: listed with where their settings come from, created, replaced, paused. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedList, FeedSnapshot } from '../../../../server/contract.js';
import type { FeedAnswer, FeedsAnswer } from '../../../../server/http/admin/admin-contract.js';
import { TEST_ADMIN_TOKEN, adminRequest, signedInAs } from '../../../helpers/admin.js';
import { testConfig, testFeed } from '../../../helpers/config.js';
import { testPost } from '../../../helpers/posts.js';
import { cleanUp, services } from '../../../helpers/services.js';

afterEach(cleanUp);

const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };

async function start() {
  const s = services(testConfig({ feeds: [testFeed({ moderation: { mode: 'pre' } })] }), {
    adminToken: TEST_ADMIN_TOKEN,
  });
  const { cookie } = await signedInAs(s.auth, 'admin', 'alice');
  return { s, cookie };
}

describe('feeds through the admin API', () => {
  it('lists each feed with its settings, where they come from, its posts by where they stand, and its state', async () => {
    const { s, cookie } = await start();
    s.sources.get('saint-etienne').posts([testPost(1), testPost(2, { author: resident })]);
    await s.engines.get('saint-etienne')!.pollNow();
    const res = await adminRequest(s.app, 'feeds', { cookie });
    expect(res.status).toBe(200);
    const { feeds } = (await res.json()) as FeedsAnswer;
    expect(feeds).toEqual([
      {
        settings: s.registry.require('saint-etienne').settings,
        origin: 'file',
        updatedAt: new Date(s.clock.now()).toISOString(),
        updatedBy: 'config-file',
        fileAppliedAt: null,
        counts: { shown: 1, held: 1, hidden: 0 },
        health: { stale: false, updatedAt: expect.any(String) },
      },
    ]);
  });

  it('creates a feed that is served at once, and refuses an id already taken', async () => {
    const { s, cookie } = await start();
    const settings = { id: 'bal', title: 'Bal du 14 juillet', hashtags: ['Bal'], sources: [{ network: 'demo' }] };
    const res = await adminRequest(s.app, 'feeds', { body: settings, cookie });
    expect(res.status).toBe(201);
    const { feed } = (await res.json()) as FeedAnswer;
    expect(feed).toMatchObject({
      settings: { id: 'bal', title: 'Bal du 14 juillet', state: 'active', moderation: { mode: 'post' } },
      origin: 'console',
      updatedBy: 'alice',
      counts: { shown: 0, held: 0, hidden: 0 },
    });
    const list = (await (await s.app.request('/api/feeds')).json()) as FeedList;
    expect(list.feeds.map((f) => f.id)).toEqual(['saint-etienne', 'bal']);
    expect((await s.app.request('/api/feeds/bal')).status).toBe(200);

    const again = await adminRequest(s.app, 'feeds', { body: settings, cookie });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: { status: 409, message: 'a feed "bal" already exists' } });
  });

  it('replaces the settings of a feed: visitors get the new title, and the console sees who changed it', async () => {
    const { s, cookie } = await start();
    await s.clock.advance(60_000);
    const { settings } = s.registry.require('saint-etienne');
    const res = await adminRequest(s.app, 'feeds/saint-etienne', {
      method: 'PUT',
      body: { ...settings, title: 'Fête du livre 2026' },
      cookie,
    });
    expect(res.status).toBe(200);
    const { feed } = (await res.json()) as FeedAnswer;
    expect(feed).toMatchObject({
      settings: { title: 'Fête du livre 2026' },
      origin: 'console',
      updatedBy: 'alice',
      updatedAt: new Date(s.clock.now()).toISOString(),
    });
    const snapshot = (await (await s.app.request('/api/feeds/saint-etienne')).json()) as FeedSnapshot;
    expect(snapshot.feed.title).toBe('Fête du livre 2026');
    const unknown = await adminRequest(s.app, 'feeds/nowhere', { method: 'PUT', body: settings, cookie });
    expect(unknown.status).toBe(404);
  });

  it('pauses, archives and reactivates a feed', async () => {
    const { s, cookie } = await start();
    for (const state of ['paused', 'archived', 'active'] as const) {
      const res = await adminRequest(s.app, 'feeds/saint-etienne/state', { body: { state }, cookie });
      expect(((await res.json()) as FeedAnswer).feed.settings.state).toBe(state);
    }
    const unknown = await adminRequest(s.app, 'feeds/nowhere/state', { body: { state: 'paused' }, cookie });
    expect(unknown.status).toBe(404);
  });

  it('says when the config file took over the console’s settings at a start', async () => {
    const { s, cookie } = await start();
    const { settings } = s.registry.require('saint-etienne');
    await adminRequest(s.app, 'feeds/saint-etienne', {
      method: 'PUT',
      body: { ...settings, title: 'Console' },
      cookie,
    });
    await s.clock.advance(60_000);
    // An operator edits the file's entry; the next start applies it.
    s.registry.seed([testFeed({ title: 'Fichier', moderation: { mode: 'pre' } })]);
    const { feeds } = (await (await adminRequest(s.app, 'feeds', { cookie })).json()) as FeedsAnswer;
    expect(feeds[0]).toMatchObject({
      settings: { title: 'Fichier' },
      origin: 'file',
      updatedBy: 'config-file',
      fileAppliedAt: new Date(s.clock.now()).toISOString(),
    });
  });
});

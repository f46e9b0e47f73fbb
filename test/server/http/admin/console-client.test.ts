/**
 * The console's own client (`widget/console/api.ts`) against the real admin routes: every method
 * the screens call reads what the server really answers (its browser tests use a fake).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleApi, type ConsoleEnvironment } from '../../../../widget/console/api.js';
import { TEST_ADMIN_TOKEN, TEST_ORIGIN, signedInAs } from '../../../helpers/admin.js';
import { testConfig, testFeed } from '../../../helpers/config.js';
import { testPost } from '../../../helpers/posts.js';
import { cleanUp, services } from '../../../helpers/services.js';

afterEach(cleanUp);

const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };

/** The client as a signed-in browser uses it: same origin, with the session cookie. */
async function client() {
  const s = services(testConfig({ feeds: [testFeed({ moderation: { mode: 'pre' } })] }), {
    adminToken: TEST_ADMIN_TOKEN,
  });
  s.sources.get('saint-etienne').posts([testPost(1, { author: resident }), testPost(2)]);
  await s.engines.get('saint-etienne')!.pollNow();
  const { cookie } = await signedInAs(s.auth, 'admin', 'alice');
  let unauthorized = 0;
  const environment = {
    fetch: (url: string, init: RequestInit = {}) =>
      Promise.resolve(
        s.app.request(url, { ...init, headers: { ...(init.headers as object), origin: TEST_ORIGIN, cookie } }),
      ),
    now: () => s.clock.now(),
    random: () => 0.5,
    setTimeout: (fn: () => void) => setTimeout(fn, 0),
    clearTimeout: () => undefined,
  } as unknown as ConsoleEnvironment;
  const api = new ConsoleApi(() => environment, { onUnauthorized: () => unauthorized++ });
  return { s, api, unauthorized: () => unauthorized };
}

describe("the console's client against the real admin API", () => {
  it('reads the feeds and changes their settings and state', async () => {
    const { api } = await client();
    const [feed] = await api.feeds();
    expect(feed).toMatchObject({ settings: { id: 'saint-etienne' }, origin: 'file', counts: { held: 1, shown: 1 } });
    const updated = await api.updateFeed('saint-etienne', { ...feed!.settings, title: 'Fête' });
    expect(updated).toMatchObject({ settings: { title: 'Fête' }, origin: 'console', updatedBy: 'alice' });
    expect((await api.setFeedState('saint-etienne', 'paused')).settings.state).toBe('paused');
    const created = await api.createFeed({ ...feed!.settings, id: 'bal', title: 'Bal' });
    expect(created.settings.id).toBe('bal');
    expect((await api.feeds()).map((f) => f.settings.id)).toEqual(['bal', 'saint-etienne']);
  });

  it('moderates: the queue, a decision, its undo and the audit log', async () => {
    const { api } = await client();
    expect((await api.queue('saint-etienne', { visibility: ['held'] })).map((i) => i.post.id)).toEqual(['p1']);
    const approved = await api.decide('saint-etienne', 'p1', 'approve', 'bienvenue');
    expect(approved.item).toMatchObject({ visibility: 'shown', decision: 'approved', decidedBy: 'alice' });
    const undone = await api.undo('saint-etienne', approved.auditId!);
    expect(undone.item.visibility).toBe('held');
    const entries = await api.audit('saint-etienne', { limit: 2 });
    expect(entries.map((e) => [e.action, e.undoable])).toEqual([
      ['undo', false],
      ['approve', false],
    ]);
  });

  it('writes, lists, edits and deletes announcements, and raises and withdraws the alert', async () => {
    const { api } = await client();
    const announcement = await api.announce('saint-etienne', {
      html: '<p>Bal à <strong>21 h</strong></p>',
      pinned: true,
    });
    expect(announcement).toMatchObject({ source: 'organisers', text: 'Bal à 21 h' });
    expect(await api.announcements('saint-etienne')).toEqual([announcement]);
    const edited = await api.editAnnouncement('saint-etienne', announcement.id, {
      html: '<p>Bal annulé</p>',
      pinned: false,
    });
    expect(edited.text).toBe('Bal annulé');
    await api.deleteAnnouncement('saint-etienne', announcement.id);
    expect(await api.announcements('saint-etienne')).toEqual([]);

    expect(await api.currentAlert('saint-etienne')).toBeNull();
    const alert = await api.raiseAlert('saint-etienne', { text: 'Orage : le site est évacué' });
    expect(await api.currentAlert('saint-etienne')).toEqual(alert);
    await api.withdrawAlert('saint-etienne');
    expect(await api.currentAlert('saint-etienne')).toBeNull();
  });

  it('reads the sources’ health, and names the field of a refusal', async () => {
    const { api, unauthorized } = await client();
    const health = await api.health();
    expect(health.feeds.map((f) => [f.feed, f.source, f.monthReads])).toEqual([['saint-etienne', 'demo', null]]);
    expect(health.x).toBeNull();
    const [feed] = await api.feeds();
    const refused = await api.updateFeed('saint-etienne', { ...feed!.settings, hashtags: ['pas bon'] }).catch((e) => e);
    expect([refused.status, refused.field, refused.reason]).toEqual([
      400,
      'hashtags[0]',
      'must be a hashtag: letters, digits or _, without spaces',
    ]);
    expect(unauthorized()).toBe(0);
  });
});

/** Announcements and the urgent alert through the admin API: sanitised, listed, edited, deleted, raised, withdrawn. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSnapshot } from '../../../../server/contract.js';
import type {
  AlertAnswer,
  AnnouncementAnswer,
  AnnouncementsAnswer,
} from '../../../../server/http/admin/admin-contract.js';
import { TEST_ADMIN_TOKEN, adminRequest, signedInAs } from '../../../helpers/admin.js';
import { cleanUp, services } from '../../../helpers/services.js';

afterEach(cleanUp);

async function start() {
  const s = services(undefined, { adminToken: TEST_ADMIN_TOKEN });
  const { cookie } = await signedInAs(s.auth, 'moderator', 'mona');
  const snapshot = async () => (await (await s.app.request('/api/feeds/saint-etienne')).json()) as FeedSnapshot;
  return { s, cookie, snapshot };
}

describe('announcements through the admin API', () => {
  it('publishes sanitised markup, lists it, edits it and deletes it, the wall following each step', async () => {
    const { s, cookie, snapshot } = await start();
    const path = 'feeds/saint-etienne/announcements';
    const html =
      '<p onclick="alert(1)">Bal à <strong>21 h</strong> <a href="https://ville.fr/bal">programme</a></p><script>x()</script>';
    const created = await adminRequest(s.app, path, { body: { html, pinned: true }, cookie });
    expect(created.status).toBe(201);
    const { announcement } = (await created.json()) as AnnouncementAnswer;
    expect(announcement).toMatchObject({
      source: 'organisers',
      text: 'Bal à 21 h programme',
      author: { name: 'Organisateurs' },
      pinnedAt: expect.any(String),
    });
    expect(announcement.html).toBe(
      '<p>Bal à <strong>21 h</strong> <a href="https://ville.fr/bal" rel="noopener noreferrer nofollow ugc">programme</a></p>',
    );
    const listed = (await (await adminRequest(s.app, path, { cookie })).json()) as AnnouncementsAnswer;
    expect(listed.announcements).toEqual([announcement]);
    expect((await snapshot()).posts).toEqual([announcement]);

    const edited = await adminRequest(s.app, `${path}/${announcement.id}`, {
      method: 'PUT',
      body: { html: '<p>Bal <em>annulé</em></p>', pinned: false },
      cookie,
    });
    expect(edited.status).toBe(200);
    const after = ((await edited.json()) as AnnouncementAnswer).announcement;
    expect(after).toMatchObject({ id: announcement.id, text: 'Bal annulé', html: '<p>Bal <em>annulé</em></p>' });
    expect(after.pinnedAt).toBeUndefined();
    expect((await snapshot()).posts.map((p) => p.text)).toEqual(['Bal annulé']);

    const deleted = await adminRequest(s.app, `${path}/${announcement.id}`, { method: 'DELETE', cookie });
    expect(deleted.status).toBe(204);
    expect(((await (await adminRequest(s.app, path, { cookie })).json()) as AnnouncementsAnswer).announcements).toEqual(
      [],
    );
    expect((await snapshot()).posts).toEqual([]);
    const gone = await adminRequest(s.app, `${path}/${announcement.id}`, { method: 'DELETE', cookie });
    expect(gone.status).toBe(404);
  });

  it('refuses to edit or delete a post of the networks as if it were an announcement', async () => {
    const { s, cookie } = await start();
    const res = await adminRequest(s.app, 'feeds/saint-etienne/announcements/p1', { method: 'DELETE', cookie });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { status: 404, message: 'no announcement "p1" in feed "saint-etienne"' },
    });
  });
});

describe('the urgent alert through the admin API', () => {
  it('raises an alert that replaces the one in force, reads it back, and withdraws it', async () => {
    const { s, cookie, snapshot } = await start();
    const path = 'feeds/saint-etienne/alert';
    expect(await (await adminRequest(s.app, path, { cookie })).json()).toEqual({ alert: null });

    const first = await adminRequest(s.app, path, { body: { text: 'Orage annoncé à 18 h' }, cookie });
    expect(first.status).toBe(201);
    const text = 'Orage : le site est évacué, suivez les consignes des agents';
    const expiresAt = new Date(s.clock.now() + 3_600_000).toISOString();
    const raised = await adminRequest(s.app, path, { body: { text, expiresAt }, cookie });
    const { alert } = (await raised.json()) as AlertAnswer;
    expect(alert).toMatchObject({ text, expiresAt, lang: 'fr' });
    expect(await (await adminRequest(s.app, path, { cookie })).json()).toEqual({ alert });
    expect((await snapshot()).alert).toEqual(alert);

    const withdrawn = await adminRequest(s.app, path, { method: 'DELETE', cookie });
    expect(withdrawn.status).toBe(204);
    expect(await (await adminRequest(s.app, path, { cookie })).json()).toEqual({ alert: null });
    expect((await snapshot()).alert).toBeNull();
    // Nothing in force: withdrawing again changes nothing, and says so plainly.
    expect((await adminRequest(s.app, path, { method: 'DELETE', cookie })).status).toBe(204);
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSnapshot } from '../../../server/contract.js';
import { InputError, NotFoundError } from '../../../server/errors.js';
import { testConfig } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';
import { cleanUp, server, services } from '../../helpers/services.js';
import { openSse } from '../../helpers/sse-client.js';
import { ADMIN_STREAM_HEADERS } from '../../../server/http/headers.js';
import { memoryLogger } from '../../../server/log.js';
import { EXPIRE_RETRY_MS } from '../../../server/moderation/notices.js';
import { holdDatabase } from '../../helpers/hold-database.js';

afterEach(cleanUp);

const camille = { username: 'camille', role: 'moderator' } as const;
const inHours = (clockNow: number, hours: number) => new Date(clockNow + hours * 3_600_000).toISOString();

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
}

describe('announcements', () => {
  it('are sanitised on the server, signed by the organisers, and derive their text from the markup', () => {
    const s = services();
    const post = s.moderation.announce(
      'saint-etienne',
      {
        html: '<p onclick="x()">Navette <strong>gratuite</strong><script>alert(1)</script></p><p>Voir <a href="javascript:alert(1)">ici</a>, <a href="https://stas.fr" target="_blank" style="x">le plan</a><br>ou <img src=x onerror=alert(1)>appelez <a href="tel:+33477000000">nous</a></p><ul><li>arrêt A</li><li>arrêt B</li></ul>',
        pinned: false,
      },
      camille,
    );
    expect(post.html).toBe(
      '<p>Navette <strong>gratuite</strong></p><p>Voir <a rel="noopener noreferrer nofollow ugc">ici</a>, <a href="https://stas.fr" rel="noopener noreferrer nofollow ugc">le plan</a><br>ou appelez <a href="tel:+33477000000" rel="noopener noreferrer nofollow ugc">nous</a></p><ul><li>arrêt A</li><li>arrêt B</li></ul>',
    );
    expect(post.text).toBe('Navette gratuite\n\nVoir ici, le plan\nou appelez nous\n\narrêt A\n\narrêt B');
    expect(post).toMatchObject({
      source: 'organisers',
      url: '',
      author: { name: 'Organisateurs', handle: '', avatarUrl: '', profileUrl: '' },
      lang: 'fr',
      createdAt: new Date(s.clock.now()).toISOString(),
    });
    expect(s.delivery.snapshot('saint-etienne')!.posts.map((p) => p.id)).toEqual([post.id]);
    expect(s.moderation.audit('saint-etienne', { limit: 1 })[0]).toMatchObject({
      action: 'announcement.create',
      actor: 'camille',
      postId: post.id,
      summary: expect.stringMatching(/^Annonce publiée : Organisateurs « Navette gratuite/),
    });
  });

  it('are signed again when the organisers change their name', () => {
    const s = services();
    const post = s.moderation.announce('saint-etienne', { html: 'Bienvenue', pinned: false }, camille);
    const settings = s.registry.get('saint-etienne')!.settings;
    s.registry.update('saint-etienne', { ...settings, organiserName: 'Mairie' }, { username: 'alex', role: 'admin' });
    expect(s.delivery.snapshot('saint-etienne')!.posts.find((p) => p.id === post.id)!.author.name).toBe('Mairie');
    expect(s.moderation.announce('saint-etienne', { html: 'Suite', pinned: false }, camille).author.name).toBe(
      'Mairie',
    );
  });

  it('refuses markup without text, too long, and an expiry in the past, naming the field', () => {
    const s = services();
    expect(
      refusal(() => s.moderation.announce('saint-etienne', { html: '<img src=x>', pinned: false }, camille)),
    ).toMatchObject({ field: 'html' });
    expect(
      refusal(() => s.moderation.announce('saint-etienne', { html: 'x'.repeat(5001), pinned: false }, camille)),
    ).toMatchObject({ field: 'html' });
    expect(
      refusal(() => s.moderation.announce('saint-etienne', { html: 'x '.repeat(600), pinned: false }, camille)),
    ).toMatchObject({
      field: 'html',
      message: expect.stringMatching(/at most 1000/),
    });
    const past = refusal(() =>
      s.moderation.announce('saint-etienne', { html: 'ok', pinned: false, expiresAt: '2020-01-01T00:00:00Z' }, camille),
    );
    expect(past).toBeInstanceOf(InputError);
    expect(past).toMatchObject({ field: 'expiresAt' });
    expect(
      refusal(() => s.moderation.announce('saint-etienne', { html: 'ok', pinned: 'yes' } as never, camille)),
    ).toMatchObject({ field: 'pinned' });
    expect(
      refusal(() => s.moderation.announce('saint-etienne', { html: 'ok', pinned: false, at: 'demain' }, camille)),
    ).toMatchObject({ field: 'at' });
  });

  it('are pinned at the top or placed in time, edited and deleted, each change reaching open streams', async () => {
    const s = await server();
    s.sources.get('saint-etienne').posts([testPost(1), testPost(2)]);
    await s.engines.get('saint-etienne')!.pollNow();
    const snap = (await (await fetch(`${s.url}/api/feeds/saint-etienne`)).json()) as FeedSnapshot;
    const sse = await openSse(`${s.url}/api/feeds/saint-etienne/events?since=${snap.revision}`);

    const between = s.moderation.announce(
      'saint-etienne',
      { html: 'Entre les deux', pinned: false, at: '2026-10-10T09:01:30Z' },
      camille,
    );
    const top = s.moderation.announce('saint-etienne', { html: 'En tête', pinned: true }, camille);
    expect(top.pinnedAt).toBe(new Date(s.clock.now()).toISOString());
    expect(s.delivery.snapshot('saint-etienne')!.posts.map((p) => p.id)).toEqual([top.id, 'p2', between.id, 'p1']);

    const edited = s.moderation.editAnnouncement(
      'saint-etienne',
      top.id,
      { html: 'En tête, <em>corrigé</em>', pinned: false },
      camille,
    );
    expect(edited).toMatchObject({ id: top.id, text: 'En tête, corrigé', createdAt: top.createdAt });
    expect(edited.pinnedAt).toBeUndefined();
    s.moderation.deleteAnnouncement('saint-etienne', between.id, camille);
    expect(s.delivery.snapshot('saint-etienne')!.posts.map((p) => p.id)).toEqual([top.id, 'p2', 'p1']);

    const frames = await sse.waitFor((f) => f.event === 'post' || f.event === 'remove', 4);
    expect(frames.map((f) => [f.event, JSON.parse(f.data!).id])).toEqual([
      ['post', between.id],
      ['post', top.id],
      ['post', top.id],
      ['remove', between.id],
    ]);
    expect(frames.map((f) => Number(f.id))).toEqual([1, 2, 3, 4].map((n) => snap.revision + n));
    sse.close();
    expect(s.moderation.audit('saint-etienne', { limit: 4 }).map((e) => e.action)).toEqual([
      'announcement.delete',
      'announcement.edit',
      'announcement.create',
      'announcement.create',
    ]);
    expect(() => s.moderation.deleteAnnouncement('saint-etienne', 'p1', camille)).toThrow(NotFoundError);
    expect(() => s.moderation.editAnnouncement('saint-etienne', 'nope', { html: 'x', pinned: false }, camille)).toThrow(
      NotFoundError,
    );
  });

  it('leave by themselves at their expiry, on the clock, also after a restart', async () => {
    const config = testConfig();
    const a = services(config);
    const soon = a.moderation.announce(
      'saint-etienne',
      { html: 'Dans une heure', pinned: false, expiresAt: inHours(a.clock.now(), 1) },
      camille,
    );
    const later = a.moderation.announce(
      'saint-etienne',
      { html: 'Dans deux heures', pinned: true, expiresAt: inHours(a.clock.now(), 2) },
      camille,
    );
    const revision = a.delivery.snapshot('saint-etienne')!.revision;
    await a.clock.advance(3_600_000 - 1);
    expect(a.delivery.snapshot('saint-etienne')!.posts).toHaveLength(2);
    await a.clock.advance(1);
    expect(a.delivery.snapshot('saint-etienne')!.posts.map((p) => p.id)).toEqual([later.id]);
    expect(a.delivery.snapshot('saint-etienne')!.revision).toBe(revision + 1);
    expect(a.moderation.audit('saint-etienne', { limit: 1 })[0]).toMatchObject({
      action: 'announcement.expire',
      actor: 'system',
      postId: soon.id,
    });
    a.moderation.stop();
    a.store.close();

    // Stopped before the second one expired; started again after.
    const b = services(config, { clock: a.clock });
    expect(b.delivery.snapshot('saint-etienne')!.posts.map((p) => p.id)).toEqual([later.id]);
    await b.clock.advance(3_600_000);
    expect(b.delivery.snapshot('saint-etienne')!.posts).toEqual([]);
    b.store.close();
    a.clock.advance(1);
    const c = services(config, { clock: a.clock });
    expect(c.delivery.snapshot('saint-etienne')!.posts).toEqual([]);
  });
});

describe('alerts', () => {
  it('are raised (replacing the one in force), withdrawn and expire, each an alert event with its revision, in the snapshot, audited', async () => {
    const s = await server();
    const snap = (await (await fetch(`${s.url}/api/feeds/saint-etienne`)).json()) as FeedSnapshot;
    expect(snap.alert).toBeNull();
    const sse = await openSse(`${s.url}/api/feeds/saint-etienne/events?since=${snap.revision}`);

    const storm = s.moderation.raiseAlert(
      'saint-etienne',
      { text: 'Orage : le site est évacué, suivez les consignes des agents' },
      camille,
    );
    expect(storm).toMatchObject({
      text: expect.stringMatching(/^Orage/),
      lang: 'fr',
      createdAt: new Date(s.clock.now()).toISOString(),
    });
    const again = s.moderation.raiseAlert(
      'saint-etienne',
      { text: 'Orage : restez à l’abri', expiresAt: inHours(s.clock.now(), 1) },
      camille,
    );
    const current = (await (await fetch(`${s.url}/api/feeds/saint-etienne`)).json()) as FeedSnapshot;
    expect(current.alert).toEqual(again);
    s.moderation.withdrawAlert('saint-etienne', camille);
    s.moderation.withdrawAlert('saint-etienne', camille); // nothing in force: nothing happens
    expect(((await (await fetch(`${s.url}/api/feeds/saint-etienne`)).json()) as FeedSnapshot).alert).toBeNull();

    s.moderation.raiseAlert('saint-etienne', { text: 'Fin à 18 h', expiresAt: inHours(s.clock.now(), 1) }, camille);
    await s.clock.advance(3_600_000);
    expect(s.delivery.snapshot('saint-etienne')!.alert).toBeNull();

    const frames = await sse.waitFor((f) => f.event === 'alert', 5);
    expect(frames.map((f) => JSON.parse(f.data!).alert?.text ?? null)).toEqual([
      storm.text,
      again.text,
      null,
      'Fin à 18 h',
      null,
    ]);
    expect(frames.map((f) => Number(f.id))).toEqual([1, 2, 3, 4, 5].map((n) => snap.revision + n));
    sse.close();
    expect(s.moderation.audit('saint-etienne', { limit: 5 }).map((e) => [e.action, e.actor])).toEqual([
      ['alert.expire', 'system'],
      ['alert.raise', 'camille'],
      ['alert.withdraw', 'camille'],
      ['alert.raise', 'camille'],
      ['alert.raise', 'camille'],
    ]);
    expect(refusal(() => s.moderation.raiseAlert('saint-etienne', { text: '  ' }, camille))).toMatchObject({
      field: 'text',
    });
  });

  it('expire shortly after their time when the database was busy at that time', async () => {
    const log = memoryLogger();
    const s = services(testConfig(), { log });
    s.moderation.raiseAlert('saint-etienne', { text: 'Fin à 18 h', expiresAt: inHours(s.clock.now(), 1) }, camille);
    const other = holdDatabase(s.store.file);
    try {
      await s.clock.advance(3_600_000);
    } finally {
      other.release();
    }
    expect(s.delivery.snapshot('saint-etienne')!.alert?.text).toBe('Fin à 18 h');
    expect(log.lines.join('\n')).toMatch(/notices\.expire_busy.*database is locked/);

    await s.clock.advance(EXPIRE_RETRY_MS);
    expect(s.delivery.snapshot('saint-etienne')!.alert).toBeNull();
    expect(s.moderation.audit('saint-etienne', { limit: 1 })[0]).toMatchObject({ action: 'alert.expire' });
  });

  it('survives a restart, and one past its expiry is over at the start', async () => {
    const config = testConfig();
    const a = services(config);
    a.moderation.raiseAlert('saint-etienne', { text: 'Orage', expiresAt: inHours(a.clock.now(), 1) }, camille);
    a.moderation.stop();
    a.store.close();
    const b = services(config, { clock: a.clock });
    expect(b.delivery.snapshot('saint-etienne')!.alert?.text).toBe('Orage');
    b.moderation.stop();
    b.store.close();
    await a.clock.advance(2 * 3_600_000);
    const c = services(config, { clock: a.clock });
    expect(c.delivery.snapshot('saint-etienne')!.alert).toBeNull();
    expect(c.moderation.audit('saint-etienne', { limit: 1 })[0]).toMatchObject({ action: 'alert.expire' });
  });
});

describe('the organisers stream', () => {
  it('carries queue and audit events, and never the public route', async () => {
    const s = await server();
    const admin = createServer(
      (req, res) =>
        void s.delivery.admin.hub.subscribe('saint-etienne', res, undefined, '127.0.0.1', ADMIN_STREAM_HEADERS),
    );
    await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
    const stream = await openSse(`http://127.0.0.1:${(admin.address() as AddressInfo).port}/`);
    const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };
    s.sources.get('saint-etienne').posts([testPost(1, { author: resident })]);
    await s.engines.get('saint-etienne')!.pollNow();
    s.moderation.decide('saint-etienne', 'p1', 'hide', camille);
    const frames = await stream.waitFor((f) => f.event === 'queue' || f.event === 'audit', 3);
    expect(frames.map((f) => [f.event, JSON.parse(f.data!).visibility ?? JSON.parse(f.data!).action])).toEqual([
      ['queue', 'shown'],
      ['queue', 'hidden'],
      ['audit', 'hide'],
    ]);
    const pub = await openSse(`${s.url}/api/feeds/saint-etienne/events?since=0`);
    await pub.waitFor((f) => f.event === 'status');
    expect(pub.frames.some((f) => f.event === 'queue' || f.event === 'audit')).toBe(false);
    pub.close();
    stream.close();
    admin.closeAllConnections();
    await new Promise((r) => admin.close(r));
  });
});

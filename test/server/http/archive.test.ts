import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import type { Post } from '../../../server/contract.js';
import { ARCHIVE_CSP } from '../../../server/http/headers.js';
import { ARCHIVE_CSS_PATH } from '../../../server/archive/archive-styles.js';
import { FeedRegistry } from '../../../server/feeds/registry.js';
import { memoryLogger } from '../../../server/log.js';
import { sessionCookie, addOrganiser } from '../../helpers/admin.js';
import { testConfig, testFeed } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';
import { cleanUp, services } from '../../helpers/services.js';

afterEach(cleanUp);

const alex = { username: 'alex', role: 'admin' } as const;
const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: 'https://x.com/lecteur42' };
const residentPost = (n: number, overrides: Partial<Post> = {}) => testPost(n, { author: resident, ...overrides });

/** The services of one feed with stored posts: p1 and p2 by the town, p3 by a resident. */
function feedWithPosts(config = testConfig()) {
  const s = services(config);
  s.store.ingest(
    'saint-etienne',
    'demo',
    { posts: [testPost(1), testPost(2), residentPost(3)], removals: [], cursor: null },
    1,
  );
  return s;
}

function page(text: string): Document {
  return new JSDOM(text).window.document;
}

const ids = (doc: Document) =>
  [...doc.querySelectorAll('.post-list article')].map((a) => a.querySelector('p.text')!.textContent!.match(/\d+/)![0]);

describe('GET /archive/:feedId', () => {
  it('answers 404 JSON for an active, a paused or an unknown feed, the same for each', async () => {
    const s = feedWithPosts();
    const live = await s.app.request('/archive/saint-etienne');
    expect(live.status).toBe(404);
    expect(await live.json()).toEqual({ error: { status: 404, message: 'no archive for feed "saint-etienne"' } });
    s.registry.setState('saint-etienne', 'paused', alex);
    expect((await s.app.request('/archive/saint-etienne')).status).toBe(404);
    const unknown = await s.app.request('/archive/nulle-part');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/json/);
    expect((await s.app.request('/archive/Not_An_Id')).status).toBe(404);
  });

  it('serves an archived feed as a static page in French, with its title, its figures and its shown posts in the wall’s order', async () => {
    const s = feedWithPosts();
    s.moderation.decide('saint-etienne', 'p2', 'hide', alex);
    s.clock.advance(60_000);
    s.moderation.decide('saint-etienne', 'p1', 'pin', alex);
    s.registry.setState('saint-etienne', 'archived', alex);
    for (const path of ['/archive/saint-etienne', '/archive/saint-etienne/']) {
      const res = await s.app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(ARCHIVE_CSP);
      expect(res.headers.get('content-language')).toBe('fr');
      expect(res.headers.get('cache-control')).toMatch(/^public, max-age=300/);
      const doc = page(await res.text());
      expect(doc.documentElement.lang).toBe('fr');
      expect(doc.title).toBe('Retour sur l’événement : Fête du livre');
      expect(doc.querySelector('h1')!.textContent).toBe('Fête du livre');
      expect(doc.querySelectorAll('header, main, footer, nav')).toHaveLength(4);
      expect(doc.querySelector('script, style, [style]')).toBeNull();
      expect(doc.querySelector('link[rel=stylesheet]')!.getAttribute('href')).toBe(ARCHIVE_CSS_PATH);
      // Pinned first, then newest first; the hidden post is not there.
      expect(ids(doc)).toEqual(['1', '3']);
      expect(doc.querySelector('.post-list article .mark')!.textContent).toBe('Épinglé');
      expect(doc.querySelector('.key-figures')!.textContent).toContain('2 publications affichées');
      expect(doc.querySelector('.key-figures')!.textContent).toMatch(/33,3\s% des publications reçues/);
    }
  });

  it('serves a feed another instance archived, once this one reloads the feeds (Redis mode)', async () => {
    const s = feedWithPosts();
    const other = new FeedRegistry({ store: s.store, clock: s.clock, log: memoryLogger(), networks: ['demo'] });
    other.setState('saint-etienne', 'archived', alex);
    expect((await s.app.request('/archive/saint-etienne')).status).toBe(404);
    s.registry.reload();
    expect((await s.app.request('/archive/saint-etienne')).status).toBe(200);
  });

  it('serves the English page at ?lang=en, each language linking to the other', async () => {
    const s = feedWithPosts();
    s.registry.setState('saint-etienne', 'archived', alex);
    const res = await s.app.request('/archive/saint-etienne?lang=en');
    expect(res.headers.get('content-language')).toBe('en');
    const doc = page(await res.text());
    expect(doc.documentElement.lang).toBe('en');
    expect(doc.title).toBe('Looking back at the event: Fête du livre');
    const other = doc.querySelector('nav a')!;
    expect([other.getAttribute('href'), other.getAttribute('lang'), other.textContent]).toEqual([
      '?',
      'fr',
      'Version française',
    ]);
    const fr = page(await (await s.app.request('/archive/saint-etienne')).text());
    expect(fr.querySelector('nav a')!.getAttribute('href')).toBe('?lang=en');
  });

  it('is rendered once per change: the same bytes and strong ETag until the feed changes, 304 to a matching If-None-Match, gzip and brotli', async () => {
    const s = feedWithPosts();
    s.registry.setState('saint-etienne', 'archived', alex);
    const forms = s.archives.page('saint-etienne', 'fr', false);
    const first = await s.app.request('/archive/saint-etienne');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(s.archives.page('saint-etienne', 'fr', false)).toBe(forms);
    const again = await s.app.request('/archive/saint-etienne', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    const html = await first.text();
    const gz = await s.app.request('/archive/saint-etienne', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(html);
    const br = await s.app.request('/archive/saint-etienne', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(html);
    expect(br.headers.get('etag')).toBe(`${etag.slice(0, -1)}-br"`);

    // An organiser hides a post: a new page, a new ETag.
    s.moderation.decide('saint-etienne', 'p3', 'hide', alex);
    expect(s.archives.page('saint-etienne', 'fr', false)).not.toBe(forms);
    const after = await s.app.request('/archive/saint-etienne', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(ids(page(await after.text()))).toEqual(['2', '1']);
    // Renaming the feed changes the page too.
    s.registry.update(
      'saint-etienne',
      { ...s.registry.get('saint-etienne')!.settings, title: 'Fête du livre 2026' },
      alex,
    );
    expect(page(await (await s.app.request('/archive/saint-etienne')).text()).querySelector('h1')!.textContent).toBe(
      'Fête du livre 2026',
    );
  });

  it('shows at most ARCHIVE_SIZE posts, the first of the wall’s order, and says how many there were', async () => {
    const s = feedWithPosts(testConfig({ archiveSize: 2 }));
    s.registry.setState('saint-etienne', 'archived', alex);
    const doc = page(await (await s.app.request('/archive/saint-etienne')).text());
    expect(ids(doc)).toEqual(['3', '2']);
    expect(doc.querySelector('.posts > p')!.textContent).toMatch(/^2 des 3 publications affichées/);
  });

  it('shows an organiser with a session a preview of a live feed, never cached, its images through the organisers’ route', async () => {
    const s = services(testConfig());
    const image = '/media/pbs.twimg.com/media/a.jpg';
    const photo = { kind: 'photo' as const, url: image, previewUrl: image, alt: 'photo', width: 1, height: 1 };
    s.store.ingest(
      'saint-etienne',
      'demo',
      { posts: [testPost(1, { media: [photo] })], removals: [], cursor: null },
      1,
    );
    const cookie = sessionCookie(s.auth, await addOrganiser(s.auth, 'moderator', 'camille'));
    const res = await s.app.request('/archive/saint-etienne', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
    const doc = page(await res.text());
    expect(doc.querySelector('.preview-notice')!.textContent).toMatch(/^Aperçu réservé aux organisateurs/);
    expect(doc.querySelector('.post img')!.getAttribute('src')).toBe(`/api/admin${image}`);
    expect((await s.app.request('/archive/saint-etienne', { headers: { cookie: 'cf_session=forged' } })).status).toBe(
      404,
    );
    // Once archived, everyone gets the public page, organisers too.
    s.registry.setState('saint-etienne', 'archived', alex);
    const archived = await s.app.request('/archive/saint-etienne', { headers: { cookie } });
    expect(archived.headers.get('cache-control')).toMatch(/^public/);
    expect(page(await archived.text()).querySelector('.preview-notice')).toBeNull();
  });

  it('serves its stylesheet under a name that changes with it, cached for good', async () => {
    const s = services();
    const res = await s.app.request(ARCHIVE_CSS_PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toContain('prefers-color-scheme: dark');
    expect((await s.app.request('/archive/style-old.css')).status).toBe(404);
  });
});

import { gunzipSync } from 'node:zlib';
import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAGMENT_CSS } from '../../../server/html/fragment-styles.js';
import { testConfig } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';
import { cleanUp, services } from '../../helpers/services.js';

afterEach(cleanUp);

const alex = { username: 'alex', role: 'admin' } as const;
const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: 'https://x.com/lecteur42' };
const URL_FRAGMENT = '/api/feeds/saint-etienne.html';

/** A feed whose wall shows p1, p2 and p3 (p3 by a resident, with this server's image). */
async function wall(config = testConfig()) {
  const s = services(config);
  s.sources.get('saint-etienne').posts([
    testPost(1),
    testPost(2),
    testPost(3, {
      author: { ...resident, avatarUrl: '/media/pbs.twimg.com/profile_images/1/a.png' },
      media: [
        {
          kind: 'photo',
          url: '/media/pbs.twimg.com/media/3.jpg',
          previewUrl: '',
          alt: 'La scène',
          width: 4,
          height: 3,
        },
      ],
    }),
  ]);
  await s.engines.get('saint-etienne')!.pollNow();
  return s;
}

const fragment = (text: string) => JSDOM.fragment(text);
const postIds = (doc: DocumentFragment) =>
  [...doc.querySelectorAll('ol.posts > li > article')].map(
    (a) => a.querySelector('p.text')!.textContent!.match(/\d+/)![0],
  );

describe('GET /api/feeds/:id.html', () => {
  it("writes the wall's shown posts as an accessible fragment, in the wall's order, with this server's URLs absolute", async () => {
    const s = await wall();
    s.moderation.decide('saint-etienne', 'p2', 'hide', alex);
    const res = await s.app.request(`http://flux.ville.fr${URL_FRAGMENT}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-language')).toBe('fr');
    const doc = fragment(await res.text());
    const section = doc.querySelector('section.commune-feed-fragment')!;
    expect(section.getAttribute('lang')).toBe('fr');
    expect(section.getAttribute('aria-label')).toBe(s.delivery.snapshot('saint-etienne')!.feed.title);
    expect(postIds(doc)).toEqual(['3', '1']);
    expect(doc.querySelector('link[rel=stylesheet]')!.getAttribute('href')).toBe(
      `http://flux.ville.fr${FRAGMENT_CSS.path}`,
    );
    expect([...doc.querySelectorAll('img')].map((i) => [i.getAttribute('src'), i.getAttribute('alt')])).toEqual([
      ['http://flux.ville.fr/media/pbs.twimg.com/profile_images/1/a.png', ''],
      ['http://flux.ville.fr/media/pbs.twimg.com/media/3.jpg', 'La scène'],
    ]);
    expect(doc.querySelector('a.handle')!.getAttribute('href')).toBe('https://x.com/lecteur42');
    // The row the widget's pause button takes is kept, hidden from everyone.
    const controls = doc.querySelector('.controls')!;
    expect(controls.getAttribute('aria-hidden')).toBe('true');
    expect(controls.querySelector('button')!.hasAttribute('disabled')).toBe(true);
    expect(doc.querySelector('script')).toBeNull();
  });

  it('writes every URL of this server on PUBLIC_URL when it is set, whatever Host the request named', async () => {
    const s = await wall(testConfig({ publicUrl: 'https://flux.ville.fr' }));
    const text = await (await s.app.request(`http://ailleurs.test${URL_FRAGMENT}`)).text();
    expect(text).toContain(`href="https://flux.ville.fr${FRAGMENT_CSS.path}"`);
    expect(text).toContain('src="https://flux.ville.fr/media/pbs.twimg.com/media/3.jpg"');
    expect(text).not.toContain('ailleurs.test');
  });

  it('is rendered once per change: the same bytes and strong ETag until the posts change, 304, gzip, HEAD', async () => {
    const s = await wall();
    const first = await s.app.request(URL_FRAGMENT);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[^W]/);
    const body = await first.text();
    // A status change alone (a poll with nothing new) leaves the fragment as it is.
    await s.engines.get('saint-etienne')!.pollNow();
    const again = await s.app.request(URL_FRAGMENT);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe(body);
    const notModified = await s.app.request(URL_FRAGMENT, { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    const head = await s.app.request(URL_FRAGMENT, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    const gz = await s.app.request(URL_FRAGMENT, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(body);

    s.moderation.decide('saint-etienne', 'p1', 'hide', alex);
    const changed = await s.app.request(URL_FRAGMENT, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(postIds(fragment(await changed.text()))).toEqual(['3', '2']);
  });

  it('takes the widget’s limit and language, shows the urgent alert, and says when there is no post', async () => {
    const s = await wall();
    const two = fragment(await (await s.app.request(`${URL_FRAGMENT}?limit=2&lang=en`)).text());
    expect(postIds(two)).toEqual(['3', '2']);
    expect(two.querySelector('section')!.getAttribute('lang')).toBe('en');
    s.moderation.raiseAlert('saint-etienne', { text: 'Orage : le site est évacué' }, alex);
    const alert = fragment(await (await s.app.request(URL_FRAGMENT)).text()).querySelector('[role=alert]')!;
    expect(alert.textContent).toContain('Orage : le site est évacué');
    for (const id of ['p1', 'p2', 'p3']) s.moderation.decide('saint-etienne', id, 'hide', alex);
    const empty = fragment(await (await s.app.request(URL_FRAGMENT)).text());
    expect(empty.querySelector('ol')).toBeNull();
    expect(empty.querySelector('.placeholder')!.textContent).toBe('Pas encore de publications');
  });

  it('answers 404 JSON for an unknown feed and 400 naming limit for a bad one', async () => {
    const s = await wall();
    const unknown = await s.app.request('/api/feeds/nulle-part.html');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { status: 404, message: 'unknown feed "nulle-part"' } });
    const bad = await s.app.request(`${URL_FRAGMENT}?limit=abc`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^limit /);
    // The JSON snapshot is still the snapshot.
    expect((await s.app.request('/api/feeds/saint-etienne')).headers.get('content-type')).toMatch(/json/);
  });

  it("serves its stylesheet, the widget's own scoped to the element, under a name that changes with it", async () => {
    const s = await wall();
    const res = await s.app.request(FRAGMENT_CSS.path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('immutable');
    const css = await res.text();
    expect(css).toMatch(/^[\s\S]*@scope \(commune-feed\) \{/);
    expect(css).not.toContain(':host');
    expect(css).toContain(":scope:is([theme='dark'])");
  });
});

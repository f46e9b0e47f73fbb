import { afterEach, describe, expect, it } from 'vitest';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import type { FeedSnapshot } from '../../../server/contract.js';
import { createServices } from '../../../server/services.js';
import { testConfig, testFeed } from '../../helpers/config.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';
import { memoryLogger } from '../../../server/log.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((f) => f());
  cleanups = [];
});

function setup() {
  const source = new ScriptedSource();
  const clock = new FakeClock();
  const services = createServices(testConfig(), { clock, log: memoryLogger(), sourceFor: () => source });
  cleanups.push(() => {
    services.hub.close();
    services.store.close();
  });
  const engine = services.engines.get('saint-etienne')!;
  return { ...services, source, clock, engine };
}

describe('GET /api/feeds', () => {
  it('lists the configured feeds', async () => {
    const { app } = setup();
    const res = await app.request('/api/feeds');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({
      feeds: [{ id: 'saint-etienne', title: 'Fête du livre', hashtags: ['FeteDuLivre'], accounts: ['saint_etienne_'] }],
    });
  });
});

describe('GET /api/feeds/:id', () => {
  it('answers the snapshot, newest first, with a strong ETag and CDN-friendly caching', async () => {
    const { app, source, engine } = setup();
    source.posts([testPost(1), testPost(3), testPost(2)], 'c1');
    await engine.pollNow();
    const res = await app.request('/api/feeds/saint-etienne');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(res.headers.get('cache-control')).toContain('stale-while-revalidate');
    expect(res.headers.get('cache-control')).toContain('stale-if-error');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as FeedSnapshot;
    expect(body.posts.map((p) => p.id)).toEqual(['p3', 'p2', 'p1']);
    expect(body.feed.id).toBe('saint-etienne');
    expect(body.stale).toBe(false);
    expect(body.revision).toBe(3);
    expect(Date.parse(body.updatedAt)).not.toBeNaN();
  });

  it('answers 304 to a matching If-None-Match, and 200 again once the feed changes', async () => {
    const { app, source, engine } = setup();
    source.posts([testPost(1)]);
    await engine.pollNow();
    const first = await app.request('/api/feeds/saint-etienne');
    const etag = first.headers.get('etag')!;
    const again = await app.request('/api/feeds/saint-etienne', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const listed = await app.request('/api/feeds/saint-etienne', { headers: { 'if-none-match': `"other", ${etag}` } });
    expect(listed.status).toBe(304);

    source.posts([testPost(2)]);
    await engine.pollNow();
    const changed = await app.request('/api/feeds/saint-etienne', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('serves gzip and brotli forms of the same snapshot, each with its own ETag', async () => {
    const { app, source, engine } = setup();
    source.posts([testPost(1), testPost(2)]);
    await engine.pollNow();
    const plain = await app.request('/api/feeds/saint-etienne');
    const plainText = await plain.text();
    const gz = await app.request('/api/feeds/saint-etienne', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('vary')).toBe('Accept-Encoding');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(plainText);
    const br = await app.request('/api/feeds/saint-etienne', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(plainText);
    expect(new Set([plain.headers.get('etag'), gz.headers.get('etag'), br.headers.get('etag')]).size).toBe(3);
    const refused = await app.request('/api/feeds/saint-etienne', {
      headers: { 'accept-encoding': 'br;q=0, gzip;q=0' },
    });
    expect(refused.headers.get('content-encoding')).toBeNull();
  });

  it('computes the body once per change, not once per request', async () => {
    const { app, source, engine, delivery } = setup();
    source.posts([testPost(1)]);
    await engine.pollNow();
    const cache = delivery.snapshot('saint-etienne')!;
    const a = cache.body('identity');
    await app.request('/api/feeds/saint-etienne');
    expect(cache.body('identity')).toBe(a);
    source.posts([testPost(2)]);
    await engine.pollNow();
    expect(cache.body('identity')).not.toBe(a);
  });

  it('answers an unknown feed with a JSON 404', async () => {
    const { app } = setup();
    const res = await app.request('/api/feeds/nowhere');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { status: 404, message: 'unknown feed "nowhere"' } });
    const events = await app.request('/api/feeds/nowhere/events');
    expect(events.status).toBe(404);
  });

  it('answers the CORS preflight of a conditional request from another origin', async () => {
    const { app } = setup();
    const res = await app.request('/api/feeds/saint-etienne', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://www.ville.fr',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'if-none-match',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-none-match');
  });
});

describe('other routes', () => {
  it('answers unknown paths with JSON 404 and never crashes on a malformed path', async () => {
    const { app } = setup();
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toContain('/nope');
    const bad = await app.request('/%E0%A4%A');
    expect([400, 404]).toContain(bad.status);
    expect((await bad.json()).error).toBeDefined();
  });

  it('serves the demo site with a strict Content-Security-Policy', async () => {
    const { app } = setup();
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<commune-feed');
  });

  it('reports each feed in /api/health without secrets', async () => {
    const { app, source, engine } = setup();
    source.posts([testPost(1)]);
    await engine.pollNow();
    const res = await app.request('/api/health');
    const body = await res.json();
    expect(body.feeds[0]).toMatchObject({ feed: 'saint-etienne', stale: false, consecutiveFailures: 0, viewers: 0 });
  });

  it('refuses operator actions without the operator token', async () => {
    const { app } = setup();
    const res = await app.request('/api/feeds/saint-etienne/resume', { method: 'POST' });
    expect([401, 403]).toContain(res.status);
    expect((await res.json()).error.message).toBeTruthy();
  });
});

describe('feeds from config', () => {
  it('serves several feeds independently', async () => {
    const sources = new Map<string, ScriptedSource>();
    const services = createServices(testConfig({ feeds: [testFeed(), testFeed({ id: 'roanne', title: 'Roanne' })] }), {
      clock: new FakeClock(),
      log: memoryLogger(),
      sourceFor: (feed) => {
        const s = new ScriptedSource();
        sources.set(feed.id, s);
        return s;
      },
    });
    cleanups.push(() => services.store.close());
    sources.get('roanne')!.posts([testPost(9)]);
    await services.engines.get('roanne')!.pollNow();
    const a = (await (await services.app.request('/api/feeds/saint-etienne')).json()) as FeedSnapshot;
    const b = (await (await services.app.request('/api/feeds/roanne')).json()) as FeedSnapshot;
    expect(a.posts).toEqual([]);
    expect(b.posts.map((p) => p.id)).toEqual(['p9']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../server/log.js';
import { FeedRegistry } from '../../../server/feeds/registry.js';
import { MediaError } from '../../../server/media/media-proxy.js';
import { proxiedMediaUrl, withProxiedMedia } from '../../../server/media/proxied-url.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { X_IMAGE_HOSTS } from '../../../server/sources/x/network.js';
import { tempDir, testConfig } from '../../helpers/config.js';
import { proxyOnImageHost, startImageHost } from './image-host.js';
import { testPost } from '../../helpers/posts.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';
import { cleanUp, services } from '../../helpers/services.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await cleanUp();
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** X's image host, as X's network module names it. */
const X_HOSTS = new Set(X_IMAGE_HOSTS);

describe('proxiedMediaUrl', () => {
  it("turns the network's image URLs into this server's, and leaves the rest alone", () => {
    expect(proxiedMediaUrl('https://pbs.twimg.com/media/a.jpg?name=small', X_HOSTS)).toBe(
      '/media/pbs.twimg.com/media/a.jpg?name=small',
    );
    expect(proxiedMediaUrl('https://video.twimg.com/v.mp4', X_HOSTS)).toBe('https://video.twimg.com/v.mp4');
    expect(proxiedMediaUrl('http://pbs.twimg.com/a.jpg', X_HOSTS)).toBe('http://pbs.twimg.com/a.jpg');
    expect(proxiedMediaUrl('/demo/media/a.svg', X_HOSTS)).toBe('/demo/media/a.svg');
    expect(proxiedMediaUrl('', X_HOSTS)).toBe('');
    expect(proxiedMediaUrl('https://pbs.twimg.com/a.jpg', new Set(['cdn.bsky.app']))).toBe(
      'https://pbs.twimg.com/a.jpg',
    );
  });

  it('covers avatars, reposters, photos, video previews and quoted posts, but not video files', () => {
    const author = {
      name: 'A',
      handle: 'a',
      avatarUrl: 'https://pbs.twimg.com/p/a.jpg',
      profileUrl: 'https://x.com/a',
    };
    const post = testPost(1, {
      author,
      repostedBy: author,
      media: [
        {
          kind: 'photo',
          url: 'https://pbs.twimg.com/m/1.jpg',
          previewUrl: 'https://pbs.twimg.com/m/1.jpg',
          alt: '',
          width: 1,
          height: 1,
        },
        {
          kind: 'video',
          url: 'https://video.twimg.com/v.mp4',
          previewUrl: 'https://pbs.twimg.com/t/v.jpg',
          alt: '',
          width: 1,
          height: 1,
        },
      ],
      quoted: testPost(2, { author }),
    });
    const out = withProxiedMedia(post, X_HOSTS);
    expect(out.author.avatarUrl).toBe('/media/pbs.twimg.com/p/a.jpg');
    expect(out.repostedBy!.avatarUrl).toBe('/media/pbs.twimg.com/p/a.jpg');
    expect(out.media.map((m) => [m.url, m.previewUrl])).toEqual([
      ['/media/pbs.twimg.com/m/1.jpg', '/media/pbs.twimg.com/m/1.jpg'],
      ['https://video.twimg.com/v.mp4', '/media/pbs.twimg.com/t/v.jpg'],
    ]);
    expect(out.quoted!.author.avatarUrl).toBe('/media/pbs.twimg.com/p/a.jpg');
    expect(post.author.avatarUrl).toBe('https://pbs.twimg.com/p/a.jpg');
  });
});

describe('GET /media/<host>/…', () => {
  async function start(dataDir = tempDir()) {
    const host = await startImageHost();
    cleanups.push(host.close);
    // A post on display that shows these images (X's URLs, as the X source proxies them).
    const shown = (p: string) => `/media/pbs.twimg.com${p}`;
    const photo = (p: string) => ({
      kind: 'photo' as const,
      url: shown(p),
      previewUrl: shown(p),
      alt: '',
      width: 1,
      height: 1,
    });
    const post = testPost(1, {
      createdAt: new Date().toISOString(),
      author: {
        name: 'A',
        handle: 'a',
        avatarUrl: shown('/profile_images/1/x_400x400.png'),
        profileUrl: 'https://x.com/a',
      },
      media: ['/media/a.jpg?name=small', '/nothing.jpg', '/page.html'].map(photo),
    });
    const server: RunningServer = await startServer(testConfig({ dataDir }), {
      log: memoryLogger(),
      sourceFor: () => new ScriptedSource().posts([post]),
      startEngines: false,
      mediaUpstream: () => host.base,
    });
    cleanups.push(() => server.close());
    await server.engines.get('saint-etienne')!.pollNow();
    return { host, server, url: (p: string) => `${server.url}/media/pbs.twimg.com${p}` };
  }

  it('fetches an image once, however many visitors ask at once, and then serves it from its cache', async () => {
    const { host, url } = await start();
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(url('/media/a.jpg?name=small'))));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(answers[0]!.headers.get('content-type')).toBe('image/jpeg');
    expect(answers[0]!.headers.get('cache-control')).toContain('immutable');
    expect(answers[0]!.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(Buffer.from(await answers[0]!.arrayBuffer()).toString()).toBe('JPEG-BYTES');
    await fetch(url('/media/a.jpg?name=small'));
    expect(host.hits).toEqual(['/media/a.jpg?name=small']);

    const etag = answers[0]!.headers.get('etag')!;
    const again = await fetch(url('/media/a.jpg?name=small'), { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('keeps its cache on disk across a restart', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    await (await fetch(first.url('/profile_images/1/x_400x400.png'))).arrayBuffer();
    await first.server.close();
    const second = await start(dataDir);
    const res = await fetch(second.url('/profile_images/1/x_400x400.png'));
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('PNG-BYTES');
    expect(second.host.hits).toEqual([]);
  });

  it('fetches only images that a post on display shows: it is no open proxy', async () => {
    const { host, url } = await start();
    const res = await fetch(url('/media/other.jpg'));
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/no post on display/);
    expect((await fetch(url('/profile_images/1/x_400x400.png?name=huge'))).status).toBe(404);
    expect(host.hits).toEqual([]);
  });

  it('answers JSON errors: other hosts, missing images, and answers that are not images', async () => {
    const { server, url } = await start();
    expect((await fetch(`${server.url}/media/pbs.twimg.com`)).status).toBe(404);
    expect((await fetch(url('/'))).status).toBe(400);
    const other = await fetch(`${server.url}/media/evil.example/a.jpg`);
    expect(other.status).toBe(404);
    expect((await other.json()).error.message).toMatch(/not served here/);
    const missing = await fetch(url('/nothing.jpg'));
    expect(missing.status).toBe(404);
    expect(Number(missing.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await fetch(url('/page.html'));
    expect(html.status).toBe(502);
    expect((await html.json()).error.message).toMatch(/not answer with an image/);
  });
});

describe('MediaProxy', () => {
  it('refuses images past the size bound and gives up on a slow host', async () => {
    const { proxy } = await proxyOnImageHost(cleanups, { maxBytes: 1024, timeoutMs: 100 });
    await expect(proxy.get('pbs.twimg.com', '/huge.jpg')).rejects.toMatchObject({ status: 413 });
    await expect(proxy.get('pbs.twimg.com', '/slow.jpg')).rejects.toMatchObject({ status: 504 });
    await expect(proxy.get('pbs.twimg.com', 'no-slash')).rejects.toBeInstanceOf(MediaError);
  });
});

describe('MediaProxy.prune', () => {
  it('deletes images fetched before the retention cutoff, and fetches them again if still asked for', async () => {
    const { host, proxy } = await proxyOnImageHost(cleanups);
    await proxy.get('pbs.twimg.com', '/media/a.jpg?name=small');
    expect(await proxy.prune(Date.now() - 60_000)).toBe(0);
    expect(await proxy.prune(Date.now() + 60_000)).toBe(1);
    await proxy.get('pbs.twimg.com', '/media/a.jpg?name=small');
    expect(host.hits).toHaveLength(2);
  });

  it("keeps the images still on display (an archive's), however old", async () => {
    const { host, proxy } = await proxyOnImageHost(cleanups);
    await proxy.get('pbs.twimg.com', '/media/a.jpg?name=small');
    await proxy.get('pbs.twimg.com', '/profile_images/1/x_400x400.png');
    const kept: string[] = [];
    const keep = (url: string) => (kept.push(url), url === '/media/pbs.twimg.com/media/a.jpg?name=small');
    expect(await proxy.prune(Date.now() + 60_000, keep)).toBe(1);
    expect(kept).toContain('/media/pbs.twimg.com/profile_images/1/x_400x400.png');
    await proxy.get('pbs.twimg.com', '/media/a.jpg?name=small');
    await proxy.get('pbs.twimg.com', '/profile_images/1/x_400x400.png');
    expect(host.hits).toEqual([
      '/media/a.jpg?name=small',
      '/profile_images/1/x_400x400.png',
      '/profile_images/1/x_400x400.png',
    ]);
  });
});

describe('images of moderated and archived posts', () => {
  const alex = { username: 'alex', role: 'admin' } as const;
  const image = (n: number) => `/media/pbs.twimg.com/media/${n}.jpg`;
  const withImage = (n: number) =>
    testPost(n, {
      author: { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' },
      media: [{ kind: 'photo', url: image(n), previewUrl: image(n), alt: '', width: 1, height: 1 }],
    });

  async function startArchive(config: Parameters<typeof testConfig>[0] = {}) {
    const host = await startImageHost();
    cleanups.push(host.close);
    host.serve('/media/1.jpg', '/media/2.jpg', '/media/3.jpg');
    const s = services(testConfig(config), { mediaUpstream: () => host.base });
    s.sources.get('saint-etienne').posts([withImage(1), withImage(2), withImage(3)]);
    await s.engines.get('saint-etienne')!.pollNow();
    return { s, host, get: (n: number) => s.app.request(image(n)) };
  }

  it('stops serving the cached image of a post an organiser hid', async () => {
    const { s, host, get } = await startArchive();
    expect((await get(1)).status).toBe(200);
    s.moderation.decide('saint-etienne', 'p1', 'hide', alex);
    const res = await get(1);
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/no post on display/);
    expect(host.hits).toEqual(['/media/1.jpg']);
  });

  it("serves an archived feed's images beyond the live snapshot, from the cache, and never a hidden post's", async () => {
    const { s, host, get } = await startArchive({ snapshotSize: 1 });
    expect((await get(3)).status).toBe(200);
    expect((await get(1)).status).toBe(404);
    s.moderation.decide('saint-etienne', 'p2', 'hide', alex);
    s.registry.setState('saint-etienne', 'archived', alex);
    expect((await get(1)).status).toBe(200);
    expect((await get(3)).status).toBe(200);
    expect((await get(2)).status).toBe(404);
    expect(host.hits).toEqual(['/media/3.jpg', '/media/1.jpg']);
  });
});

describe("the image hosts of the feeds' sources", () => {
  const alex = { username: 'alex', role: 'admin' } as const;
  const INSTANCE = 'https://ville.example';
  const image = (host: string) => `/media/${host}/media/a.jpg`;
  const withMediaHost = (mediaHost?: string) => ({
    network: 'mastodon',
    instance: INSTANCE,
    ...(mediaHost ? { mediaHost } : {}),
  });

  /** A feed showing a post with an image on each of `hosts`. */
  async function start(...hosts: string[]) {
    const host = await startImageHost();
    cleanups.push(host.close);
    host.serve('/media/a.jpg');
    const s = services(testConfig(), { mediaUpstream: () => host.base });
    const photo = (url: string) => ({ kind: 'photo' as const, url, previewUrl: url, alt: '', width: 1, height: 1 });
    s.sources.get('saint-etienne').posts([testPost(1, { media: hosts.map((h) => photo(image(h))) })]);
    await s.engines.get('saint-etienne')!.pollNow();
    const status = async (h: string) => {
      const res = await s.app.request(image(h));
      return res.status === 404 ? `404 ${(await res.json()).error.message}` : res.status;
    };
    const sourcesWith = (mediaHost?: string) => ({
      ...s.registry.get('saint-etienne')!.settings,
      sources: [{ network: 'demo', accounts: ['saint_etienne_'] }, withMediaHost(mediaHost)],
    });
    return { s, status, sourcesWith };
  }

  it('serves images from a media host an organiser adds to a feed, and no longer from one removed', async () => {
    const { s, status, sourcesWith } = await start('files.ville.example', 'media.ville.example');
    expect(await status('files.ville.example')).toMatch(/not served here/);

    s.registry.update('saint-etienne', sourcesWith('files.ville.example'), alex);
    expect(await status('files.ville.example')).toBe(200);
    expect(await status('media.ville.example')).toMatch(/not served here/);

    s.registry.update('saint-etienne', sourcesWith('media.ville.example'), alex);
    expect(await status('media.ville.example')).toBe(200);
    expect(await status('files.ville.example')).toMatch(/not served here/);
  });

  it('follows the media hosts another instance sets in the store, once this one reloads the feeds (Redis mode)', async () => {
    const { s, status, sourcesWith } = await start('files.ville.example');
    const other = new FeedRegistry({
      store: s.store,
      clock: s.clock,
      log: memoryLogger(),
      networks: ['demo', 'mastodon'],
    });

    other.update('saint-etienne', sourcesWith('files.ville.example'), alex);
    s.registry.reload();
    expect(await status('files.ville.example')).toBe(200);

    other.update('saint-etienne', sourcesWith(), alex);
    s.registry.reload();
    expect(await status('files.ville.example')).toMatch(/not served here/);
    expect(await status('ville.example')).toBe('404 no post on display shows this image');
  });
});

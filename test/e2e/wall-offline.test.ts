import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import type { RunningServer } from '../../server/server.js';
import { tempDir } from '../helpers/config.js';
import { launchBrowser, watchErrors } from './browser.js';
import { startDemoServer } from './demo-server.js';

/** The demo releases a post every second, so "a new post arrives" is quick to see. */
const PACE_SECONDS = 1;
const FEED_URL = '/api/feeds/saint-etienne';

let server: RunningServer;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  server = await startDemoServer(PACE_SECONDS);
  origin = `http://127.0.0.1:${server.port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function withContext<T>(run: (context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    return await run(context);
  } finally {
    await context.close();
  }
}

/**
 * The browser's own line for each attempt of the event stream to reach the
 * stopped server: expected, the stream must keep trying. Nothing else is.
 */
function streamRetry(message: ConsoleMessage): boolean {
  return (
    message.text() === 'Failed to load resource: net::ERR_CONNECTION_REFUSED' &&
    /\/api\/feeds\/saint-etienne\/events(\?|$)/.test(message.location().url)
  );
}

/** Ids of the posts on the wall. */
function shownIds(page: Page): Promise<string[]> {
  return page
    .locator('commune-feed article[data-post-id]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-post-id') ?? ''));
}

/** Waits until the service worker serves this page. */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
}

/** Waits until the worker holds a copy of the feed's snapshot. */
async function snapshotKept(page: Page): Promise<void> {
  await page.waitForFunction(async (url) => Boolean(await caches.match(url)), FEED_URL, { timeout: 10_000 });
}

/** Images on the wall that did not load. */
function brokenImages(page: Page): Promise<string[]> {
  return page.locator('commune-feed img').evaluateAll((images) =>
    Promise.all(
      (images as HTMLImageElement[]).map(async (image) => {
        image.loading = 'eager';
        await image.decode().catch(() => undefined);
        return image.naturalWidth === 0 ? image.src : '';
      }),
    ).then((all) => all.filter(Boolean)),
  );
}

describe('the big screen when the network or the server is down', () => {
  it('shows the last posts, marked stale, after a reload without the server, and goes live again by itself', async () => {
    // A server of its own, stopped and started again on the same port and data folder.
    const dataDir = tempDir();
    const first = await startDemoServer(PACE_SECONDS, { dataDir });
    let server: RunningServer | undefined = first;
    const { port } = first;
    const origin = `http://127.0.0.1:${port}`;
    try {
      await withContext(async (context) => {
        const page = await context.newPage();
        const errors = watchErrors(page, streamRetry);
        await page.goto(`${origin}/mur.html`);
        await page.locator('commune-feed [part~="featured"] article[data-post-id]').waitFor({ timeout: 10_000 });
        await controlled(page);
        await snapshotKept(page);

        // The server stops: its feed first. The worker keeps a snapshot's images just after the
        // snapshot itself; the wall keeps showing posts in turn, so let it finish with the last one,
        // as it has on a screen that has been up for a while.
        await first.runtime.stop();
        await page.waitForFunction(
          async (url) => {
            type Shown = { author?: { avatarUrl?: string }; media?: { url?: string; previewUrl?: string }[] };
            const copy = (await (await caches.match(url))?.json()) as
              { posts: (Shown & { quoted?: Shown })[] } | undefined;
            if (!copy) return false;
            const images = new Set<string>();
            for (const post of copy.posts) {
              for (const shown of [post, post.quoted]) {
                if (!shown) continue;
                if (shown.author?.avatarUrl) images.add(shown.author.avatarUrl);
                for (const media of (shown.media ?? []).slice(0, 4)) images.add(media.previewUrl || media.url || '');
              }
            }
            const sameOrigin = [...images]
              .map((image) => new URL(image, location.origin))
              .filter((image) => image.origin === location.origin);
            const kept = await Promise.all(sameOrigin.map(async (image) => Boolean(await caches.match(image.href))));
            return kept.every(Boolean);
          },
          FEED_URL,
          { timeout: 10_000, polling: 250 },
        );
        await first.close();
        // Everything the server had published when it stopped (its engines stop first).
        const published = new Set(
          first.delivery
            .snapshot('saint-etienne')!
            .snapshot()
            .posts.map((post) => post.id),
        );
        server = undefined;
        // The worker's copy, at most a few seconds behind the wall.
        const copy = await page.evaluate(
          async (url) => ((await (await caches.match(url))?.json()) ?? { posts: [] }) as { posts: { id: string }[] },
          FEED_URL,
        );
        expect(copy.posts.length).toBeGreaterThanOrEqual(4);

        // Hours later, as far as the browser's HTTP cache knows: everything must come from the worker.
        const devtools = await context.newCDPSession(page);
        await devtools.send('Network.clearBrowserCache');
        await page.reload();
        await page.locator('commune-feed [part~="featured"] article[data-post-id]').waitFor({ timeout: 10_000 });
        const offline = await shownIds(page);
        expect(offline[0]).toBe(copy.posts[0]!.id);
        expect(offline.length).toBe(4);
        expect(offline.filter((id) => !copy.posts.some((post) => post.id === id))).toEqual([]);
        await expect
          .poll(() => page.locator('commune-feed [part~="notice"]').textContent(), { timeout: 15_000 })
          .toMatch(/^Dernière mise à jour à \d{1,2} h \d{2}$/);
        // The posts' avatars and pictures came from the worker's cache too.
        expect(await brokenImages(page)).toEqual([]);
        expect(errors).toEqual([]);

        // The server comes back on the same port and data: the wall follows by itself, no reload.
        server = await startDemoServer(PACE_SECONDS, { port, dataDir });
        await expect
          .poll(async () => (await shownIds(page)).filter((id) => !published.has(id)).length, {
            timeout: 60_000,
            interval: 500,
          })
          .toBeGreaterThan(0);
        await expect.poll(() => page.locator('commune-feed [part~="notice"]').textContent()).toBe('');
        expect(errors).toEqual([]);
      });
    } finally {
      await server?.close();
    }
  }, 120_000);

  it('controls the wall page only: the town site and its API calls stay off the worker', async () => {
    await withContext(async (context) => {
      const wall = await context.newPage();
      await wall.goto(`${origin}/mur.html`);
      await controlled(wall);
      expect(await wall.evaluate(async () => (await navigator.serviceWorker.ready).scope)).toBe(`${origin}/mur.html`);

      for (const path of ['/', '/configurateur.html']) {
        const page = await context.newPage();
        await page.goto(`${origin}${path}`);
        await page.locator('commune-feed article[data-post-id]').first().waitFor({ timeout: 10_000 });
        expect(await page.evaluate(() => navigator.serviceWorker.controller), path).toBe(null);
        await page.close();
      }
      // The event stream goes to the network untouched and is never cached.
      await snapshotKept(wall);
      const cached = await wall.evaluate(async () => {
        const urls: string[] = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
      });
      expect(cached).toContain(FEED_URL);
      expect(cached).toContain('/commune-feed.js');
      expect(cached.some((path) => /^\/commune-feed-sanitize-[\w-]+\.js$/.test(path))).toBe(true);
      // The wall mode's own code: without it, a reload offline would show the loading state for good.
      expect(cached.some((path) => /^\/commune-feed-wall-[\w-]+\.js$/.test(path))).toBe(true);
      expect(cached.filter((path) => path.includes('/events'))).toEqual([]);
    });
  });

  it('keeps its copy of the snapshot following the posts that arrive live', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      await page.goto(`${origin}/mur.html`);
      await controlled(page);
      await snapshotKept(page);
      // The worker replaces its copy as snapshots come; Chromium may show no entry for the instant of
      // the replacement, so a missing copy reads as "not yet" (-1) rather than failing the test.
      const revision = () =>
        page.evaluate(
          async (url) =>
            ((await (await caches.match(url))?.json()) as { revision: number } | undefined)?.revision ?? -1,
          FEED_URL,
        );
      let first = -1;
      await expect
        .poll(async () => (first = await revision()), { timeout: 10_000, interval: 200 })
        .toBeGreaterThanOrEqual(0);
      // The wall never fetches its snapshot again while the stream is live: the page has the worker do it.
      await expect.poll(revision, { timeout: 20_000, interval: 500 }).toBeGreaterThan(first);
    });
  });

  it('deletes the caches of its older versions when a new one activates, and no one else’s', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      await page.evaluate(async () => {
        await (await caches.open('commune-feed-wall-shell-v0')).put('/old', new Response('old'));
        await (await caches.open('another-app')).put('/theirs', new Response('theirs'));
      });
      await page.goto(`${origin}/mur.html`);
      await controlled(page);
      const names = await page.evaluate(() => caches.keys());
      expect(names).toContain('another-app');
      expect(names).not.toContain('commune-feed-wall-shell-v0');
      expect(names.filter((name) => name.startsWith('commune-feed-wall-')).length).toBeGreaterThan(0);
    });
  });
});

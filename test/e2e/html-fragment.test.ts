/**
 * The feed's HTML fragment on a town's page, as a CMS includes it server-side inside the
 * `<commune-feed>` tag: readable and accessible with JavaScript off, taken over by the element with
 * no layout shift worth the name (CLS measured in Chromium), and inert with the XSS corpus in it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../server/server.js';
import { startDemoServer } from './demo-server.js';
import { startHostileServer, useBrowser } from './hostile-server-posts.js';
import { startHostPage, type HostPage } from './host-page.js';
import {
  axeViolations,
  POST_MARKUP_TAGS,
  stirLightDom,
  unexpectedMarkup,
  watchHostilePage,
  withContext,
} from './page-checks.js';

const { browser, closers } = useBrowser();

/** The fragment's markup: the static post markup, its section and stylesheet, and the reserved pause button. */
const FRAGMENT_TAGS = [...POST_MARKUP_TAGS, 'SECTION', 'LINK', 'BUTTON'];

/**
 * A town's page made the way a CMS makes it: on each request it fetches the fragment and writes it
 * inside the tag, with text above and below the wall; with the widget's script or without it.
 */
async function cmsPage(serverUrl: string, attributes: string, script: boolean): Promise<HostPage> {
  const host = await startHostPage(async () => {
    const fragment = await (await fetch(`${serverUrl}/api/feeds/saint-etienne.html?${attributes}`)).text();
    const limit = new URLSearchParams(attributes).get('limit');
    return `<p>Le programme de la fête, les horaires et les accès.</p>
${script ? `<script type="module" src="${serverUrl}/commune-feed.js"></script>` : ''}
<commune-feed src="${serverUrl}" feed="saint-etienne"${limit ? ` limit="${limit}"` : ''}>${fragment}</commune-feed>
<footer><p>Mairie de Saint-Étienne, place de l’Hôtel-de-Ville.</p></footer>`;
  });
  closers.push(() => host.close());
  return host;
}

/** Sums the layout shifts not caused by input since the page started (at least its CLS). */
async function watchLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number; __shifts: string[] };
    w.__cls = 0;
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as {
        value: number;
        hadRecentInput: boolean;
        sources: { node?: Node }[];
      }[]) {
        if (entry.hadRecentInput) continue;
        w.__cls += entry.value;
        w.__shifts.push(
          `${entry.value.toFixed(4)} ${entry.sources.map((s) => (s.node as Element | undefined)?.nodeName ?? '?').join(',')}`,
        );
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

describe('the HTML fragment on a town’s page', () => {
  let server: RunningServer;
  let serverUrl: string;

  beforeAll(async () => {
    server = await startDemoServer(0.05);
    closers.push(() => server.close());
    serverUrl = `http://127.0.0.1:${server.port}`;
    const deadline = Date.now() + 10_000;
    while (server.delivery.snapshot('saint-etienne')!.posts.length < 8 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    // The replay stops: the posts the fragment shows are the ones the widget gets.
    for (const engine of server.engines.values()) await engine.stop();
  });

  it('shows the posts with JavaScript off', async () => {
    const host = await cmsPage(serverUrl, 'limit=5', true);
    await withContext(browser(), { javaScriptEnabled: false }, async (context) => {
      const page = await context.newPage();
      await page.goto(host.url);
      const posts = page.locator('commune-feed .commune-feed-fragment ol.posts > li > article');
      expect(await posts.count()).toBe(5);
      expect(await posts.first().isVisible()).toBe(true);
      const first = server.delivery.snapshot('saint-etienne')!.posts[0]!;
      expect(await posts.first().locator('.name').textContent()).toBe(first.author.name);
      // Styled as the widget draws it: the stylesheet reached the page, scoped to the element.
      expect(await posts.first().evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('solid');
      expect(await page.locator('footer').isVisible()).toBe(true);
    });
  });

  it('has no WCAG 2.2 AA violation found by axe, as a visitor without JavaScript gets it', async () => {
    const host = await cmsPage(serverUrl, 'limit=5', false);
    await withContext(browser(), {}, async (context) => {
      const page = await context.newPage();
      await page.goto(host.url);
      expect(await page.locator('commune-feed article').count()).toBe(5);
      expect(await axeViolations(page)).toEqual([]);
    });
  });

  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`is taken over by the element with a CLS below 0.05 (${viewport.width} px)`, async () => {
      const host = await cmsPage(serverUrl, 'limit=1', true);
      await withContext(browser(), { viewport }, async (context) => {
        const page = await context.newPage();
        await watchLayoutShifts(page);
        // The snapshot comes late, as on a slow network: the fragment is painted first, then taken over.
        await page.route(`${serverUrl}/api/feeds/saint-etienne`, async (route) => {
          await new Promise((r) => setTimeout(r, 3000));
          await route.continue();
        });
        await page.goto(host.url);
        expect(await page.locator('commune-feed .commune-feed-fragment').isVisible()).toBe(true);
        // What follows the wall is on screen: it would be seen to move.
        expect((await page.locator('footer').boundingBox())!.y).toBeLessThan(viewport.height);
        // The element has taken over: its own posts, the fragment no longer shown.
        await page.locator('commune-feed article[data-post-id]').first().waitFor({ timeout: 10_000 });
        expect(await page.locator('commune-feed article[data-post-id]').count()).toBe(1);
        expect(await page.locator('commune-feed .commune-feed-fragment').isVisible()).toBe(false);
        // Let images and fonts settle, then read every shift since the first paint.
        await page.waitForTimeout(1500);
        const { cls, shifts } = await page.evaluate(() => {
          const w = window as unknown as { __cls: number; __shifts: string[] };
          return { cls: w.__cls, shifts: w.__shifts };
        });
        console.log(`CLS at ${viewport.width} px: ${cls.toFixed(4)}`, shifts);
        expect(cls).toBeLessThan(0.05);
        // The measure itself sees shifts: the wall grown by 100 px pushes the footer down.
        await page.evaluate(() =>
          document.querySelector('commune-feed')!.insertAdjacentHTML('beforebegin', '<div style="height:100px"></div>'),
        );
        await expect
          .poll(() => page.evaluate(() => (window as unknown as { __cls: number }).__cls))
          .toBeGreaterThan(cls);
      });
    }, 60_000);
  }
});

describe('the HTML fragment with hostile posts', () => {
  it('runs none of the XSS corpus put in every field of its posts, on a page with no CSP', async () => {
    const { server, hostile } = await startHostileServer({ snapshotSize: 500 }, closers);
    // No script and no CSP on the page: the fragment itself must be inert.
    const host = await cmsPage(`http://127.0.0.1:${server.port}`, 'limit=500', false);

    const page = await browser().newPage();
    const { executed, errors } = await watchHostilePage(page);
    await page.goto(host.url);
    expect(await page.locator('commune-feed ol.posts > li > article').count()).toBe(hostile.length);
    for (const summary of await page.locator('commune-feed details > summary').all()) await summary.click();
    await stirLightDom(page, 'commune-feed');
    await page.waitForTimeout(1500);

    expect(await unexpectedMarkup(page, 'commune-feed', FRAGMENT_TAGS)).toEqual([]);
    expect(executed).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.locator('commune-feed').getByText('<script>__xss(0)</script>').count()).toBeGreaterThan(0);
    // This server's images load from the fragment on the town's page.
    const loaded = await page.evaluate(
      () =>
        Array.from(document.querySelectorAll<HTMLImageElement>('commune-feed img')).filter(
          (img) => img.naturalWidth === 1,
        ).length,
    );
    expect(loaded).toBeGreaterThan(0);
    await page.close();
  }, 120_000);
});

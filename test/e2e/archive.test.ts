/**
 * The archive page in Chromium, under its own CSP: the XSS corpus in every field runs nothing and
 * breaks no rule of the policy; the page works without JavaScript; axe finds no WCAG 2.2 AA
 * violation, light and dark, on a desk and on a phone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.js';
import { testFeed } from '../helpers/config.js';
import { startDemoServer } from './demo-server.js';
import { startHostileServer, useBrowser } from './hostile-server-posts.js';
import {
  POST_MARKUP_TAGS,
  axeViolations,
  stirLightDom,
  unexpectedMarkup,
  watchHostilePage,
  withContext,
} from './page-checks.js';
import { JS } from './xss-payloads.js';

const alex = { username: 'alex', role: 'admin' } as const;

const { browser, closers } = useBrowser();

describe('the archive page in Chromium', () => {
  it('runs none of the XSS corpus put in every field of its posts, under its own CSP, with no violation', async () => {
    const { server, hostile } = await startHostileServer(
      { feeds: [testFeed({ title: `<script>${JS(5000)}</script> Fête` })], archiveSize: 500 },
      closers,
    );
    server.registry.setState('saint-etienne', 'archived', alex);

    const page = await browser().newPage();
    const { executed, violations, errors } = await watchHostilePage(page);
    const url = `${server.url}/archive/saint-etienne`;
    const res = await page.goto(url);
    expect(res!.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toMatch(/^default-src 'none'/);

    expect(await page.locator('.post-list > li > article').count()).toBe(hostile.length);
    // Open every cover, hover and focus everything, let images load or fail.
    for (const summary of await page.locator('details > summary').all()) await summary.click();
    await stirLightDom(page);
    await page.waitForTimeout(1500);

    const dangerous = await unexpectedMarkup(page, 'html', [
      ...POST_MARKUP_TAGS,
      ...['HEAD', 'META', 'TITLE', 'LINK', 'BODY', 'HEADER', 'NAV', 'MAIN', 'FOOTER', 'SECTION', 'H1'],
      ...['TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'RECT'],
    ]);
    expect(dangerous).toEqual([]);
    expect(executed).toEqual([]);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
    // The payloads are there, as the inert text they are.
    expect(await page.getByText('<script>__xss(0)</script>').count()).toBeGreaterThan(0);
    expect(await page.locator('h1').textContent()).toBe(`<script>${JS(5000)}</script> Fête`);
    // This server's images came from its cache, under the policy.
    const loaded = await page.evaluate(
      () =>
        Array.from(document.querySelectorAll<HTMLImageElement>('img[src^="/media/"]')).filter(
          (img) => img.naturalWidth === 1,
        ).length,
    );
    expect(loaded).toBeGreaterThan(0);
    await page.close();
  }, 120_000);

  describe('on the demo feed, archived', () => {
    let server: RunningServer;
    let url: string;

    beforeAll(async () => {
      server = await startDemoServer(0.05);
      closers.push(() => server.close());
      // The replay releases a post every 50 ms.
      const deadline = Date.now() + 10_000;
      while (server.delivery.snapshot('saint-etienne')!.posts.length < 13 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const [first, second] = server.delivery.snapshot('saint-etienne')!.posts;
      server.moderation.decide('saint-etienne', second!.id, 'pin', alex);
      server.moderation.decide('saint-etienne', first!.id, 'hide', alex);
      server.moderation.announce(
        'saint-etienne',
        {
          html: '<p>Merci à toutes et à tous ! <strong>Rendez-vous en 2027</strong>, <a href="https://ville.fr">programme</a>.</p>',
          pinned: false,
        },
        alex,
      );
      server.registry.setState('saint-etienne', 'archived', alex);
      url = `${server.url}/archive/saint-etienne`;
    });

    for (const [name, options] of [
      ['light, on a desk', { colorScheme: 'light', viewport: { width: 1280, height: 900 } }],
      ['dark, on a desk', { colorScheme: 'dark', viewport: { width: 1280, height: 900 } }],
      ['on a phone (390 px)', { colorScheme: 'light', viewport: { width: 390, height: 844 } }],
      ['in English', { colorScheme: 'light', viewport: { width: 1280, height: 900 } }],
    ] as const) {
      it(`has no WCAG 2.2 AA violation found by axe, ${name}, sensitive covers and the hour table open`, async () => {
        // axe is injected as a script: only a context that bypasses the page's CSP allows it.
        await withContext(browser(), { ...options, bypassCSP: true }, async (context) => {
          const page = await context.newPage();
          await page.goto(name === 'in English' ? `${url}?lang=en` : url);
          for (const summary of await page.locator('details > summary').all()) await summary.click();
          expect(await page.locator('article').count()).toBeGreaterThan(10);
          expect(await axeViolations(page)).toEqual([]);
        });
      }, 60_000);
    }

    it('shows its posts and figures with JavaScript off, the skip link leading to the posts', async () => {
      await withContext(browser(), { javaScriptEnabled: false }, async (context) => {
        const page = await context.newPage();
        await page.goto(url);
        expect(await page.locator('h1').textContent()).toBe('Fête du livre de Saint-Étienne');
        expect(await page.locator('.post-list article').count()).toBeGreaterThan(10);
        expect(await page.locator('.post-list article').first().locator('.mark').allTextContents()).toEqual([
          'Épinglé',
        ]);
        expect(await page.locator('article.organisers .text.rich strong').textContent()).toBe('Rendez-vous en 2027');
        expect(await page.locator('table.ranked').count()).toBe(2);
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller aux publications');
        await page.keyboard.press('Enter');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('publications');
      });
    });
  });
});

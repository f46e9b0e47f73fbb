import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/server.js';
import { launchBrowser } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { embedSnippet, startHostPage, type HostPage } from './host-page.js';

let server: RunningServer;
let browser: Browser;
let host: HostPage;

beforeAll(async () => {
  // The real server on the built-in demo source, releasing a post every 700 ms.
  server = await startDemoServer(0.7);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.close();
});

async function shownIds(page: Page): Promise<string[]> {
  return page
    .locator('commune-feed article[data-post-id]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-post-id')!));
}

describe('the live wall, end to end', () => {
  it('shows the demo event on a page of another origin, and a post that arrives after load', async () => {
    const serverUrl = `http://127.0.0.1:${server.port}`;
    host = await startHostPage(
      embedSnippet(serverUrl, 'saint-etienne'),
      `default-src 'self'; script-src ${serverUrl}; connect-src ${serverUrl}; img-src ${serverUrl} data:; style-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html dompurify commune-feed`,
    );
    const page = await browser.newPage();
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('request', (req) => {
      const origin = new URL(req.url()).origin;
      if (origin !== serverUrl && origin !== new URL(host.url).origin && !req.url().startsWith('data:'))
        foreign.push(req.url());
    });

    await page.goto(host.url);
    await page.locator('commune-feed article[data-post-id]').first().waitFor({ timeout: 10_000 });
    const atLoad = await shownIds(page);
    expect(atLoad.length).toBeGreaterThanOrEqual(5);
    // The text reached the page whole, with its hashtags as links.
    await expect.poll(() => page.locator('commune-feed a[href*="hashtag"]').count()).toBeGreaterThan(0);

    // A new post arrives over SSE. In list mode it may wait behind a "new posts" button.
    const arrived = await expect
      .poll(
        async () => {
          const more = page.locator('commune-feed button', { hasText: /nouvelle/i });
          if (await more.count()) await more.first().click();
          return (await shownIds(page)).filter((id) => !atLoad.includes(id)).length;
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    void arrived;
    expect(errors.slice(0, 5)).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('serves the sample town website with the widget live at /', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(server.url.replace('localhost', '127.0.0.1') + '/');
    await page.locator('commune-feed article[data-post-id]').first().waitFor({ timeout: 10_000 });
    // Every image the demo shows loads (no broken media or avatars).
    const broken = await page.locator('commune-feed img').evaluateAll((imgs) =>
      Promise.all(
        (imgs as HTMLImageElement[]).map(async (img) => {
          img.loading = 'eager';
          await img.decode().catch(() => undefined);
          return img.naturalWidth === 0 ? img.src : null;
        }),
      ).then((all) => all.filter(Boolean)),
    );
    expect(broken).toEqual([]);
    expect(errors.slice(0, 5)).toEqual([]);
    await page.close();
  });
});

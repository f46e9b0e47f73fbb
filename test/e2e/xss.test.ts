import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { TEST_ADMIN_TOKEN } from '../helpers/admin.js';
import { testConfig } from '../helpers/config.js';
import { ScriptedSource } from '../helpers/scripted-source.js';
import { launchBrowser } from './browser.js';
import { startHostPage, type HostPage } from './host-page.js';
import { hostilePosts, textPayloads, urlPayloads } from './xss-payloads.js';

let server: RunningServer;
let browser: Browser;
let host: HostPage;
const source = new ScriptedSource();

beforeAll(async () => {
  server = await startServer(testConfig({ snapshotSize: 500 }), {
    log: memoryLogger(),
    sourceFor: () => source,
    startEngines: false,
    adminToken: TEST_ADMIN_TOKEN,
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.close();
});

describe('hostile posts', () => {
  it('carry over 100 XSS payloads through the server into every mode of the widget, and none executes', async () => {
    const posts = hostilePosts();
    expect(textPayloads().length + urlPayloads().length).toBeGreaterThanOrEqual(60);
    const placed = posts.length * 9; // text twice, name, handle, alt, entities, urls…
    expect(placed).toBeGreaterThanOrEqual(100);

    const half = Math.floor(posts.length / 2);
    source.posts(posts.slice(0, half));
    await server.engines.get('saint-etienne')!.pollNow();

    const serverUrl = `http://127.0.0.1:${server.port}`;
    // No CSP on this page: the widget itself must be safe, not the host's policy.
    host = await startHostPage(
      ['list', 'ticker', 'wall']
        .map(
          (mode) => `<commune-feed src="${serverUrl}" feed="saint-etienne" mode="${mode}" limit="200"></commune-feed>`,
        )
        .join('') + `<script type="module" src="${serverUrl}/commune-feed.js"></script>`,
    );
    const page = await browser.newPage();
    const executed: string[] = [];
    await page.exposeFunction('__xss', (n: number) => executed.push(String(n)));
    page.on('dialog', (d) => {
      executed.push(`dialog:${d.message()}`);
      void d.dismiss();
    });
    await page.goto(host.url);
    await page.locator('commune-feed[mode="list"] article[data-post-id]').first().waitFor({ timeout: 10_000 });

    // The rest arrives live over SSE.
    source.posts(posts.slice(half));
    await server.engines.get('saint-etienne')!.pollNow();
    await expect
      .poll(() => page.locator('commune-feed[mode="wall"] [data-post-id]').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const more = page.locator('commune-feed[mode="list"] button', { hasText: /nouvelle/i });
    if (await more.count()) await more.first().click();
    await expect
      .poll(() => page.locator('commune-feed[mode="list"] article[data-post-id]').count(), { timeout: 10_000 })
      .toBe(posts.length);

    // Reveal every sensitive media, hover and focus everything, wait for images to fail.
    const reveal = page.locator('commune-feed[mode="list"] button', { hasText: /afficher/i });
    for (const b of (await reveal.all()).slice(0, 20)) await b.click({ timeout: 1000 }).catch(() => {});
    await page.evaluate(() => {
      for (const feed of Array.from(document.querySelectorAll('commune-feed'))) {
        for (const el of Array.from(feed.shadowRoot!.querySelectorAll<HTMLElement>('a, img, video, button'))) {
          el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
          el.focus();
          el.blur();
        }
      }
    });
    await page.waitForTimeout(1500);

    const dangerous = await page.evaluate(() => {
      const found: string[] = [];
      const walk = (root: ParentNode) => {
        for (const el of Array.from(root.querySelectorAll('*'))) {
          if (
            ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'META', 'BASE', 'FORM', 'TEMPLATE'].includes(el.tagName) &&
            el.closest('commune-feed') === null
          )
            found.push(el.tagName);
          for (const attr of Array.from(el.attributes)) {
            if (/^on/i.test(attr.name)) found.push(`${el.tagName}[${attr.name}]`);
            if (['href', 'src', 'xlink:href', 'action'].includes(attr.name) && !/^(https?:|$)/i.test(attr.value.trim()))
              found.push(`${el.tagName}[${attr.name}=${attr.value}]`);
          }
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      for (const feed of Array.from(document.querySelectorAll('commune-feed'))) walk(feed.shadowRoot!);
      return found;
    });
    expect(dangerous).toEqual([]);
    expect(executed).toEqual([]);
    // And the payloads are shown as the inert text they are.
    await expect
      .poll(() => page.locator('commune-feed[mode="list"]').getByText('<script>__xss(0)</script>').count())
      .toBeGreaterThan(0);
    await page.close();
  }, 90_000);

  it('an announcement and an alert written with hostile markup reach every mode sanitised, and none executes', async () => {
    const serverUrl = `http://127.0.0.1:${server.port}`;
    const payloads = textPayloads().slice(0, 12);
    const admin = (path: string, body: unknown) =>
      fetch(`${serverUrl}/api/admin/feeds/saint-etienne/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const [i, payload] of payloads.entries()) {
      const answer = await admin('announcements', {
        html: `<p>Annonce ${i} <strong>officielle</strong></p>${payload}`,
        pinned: i === 0,
      });
      expect(answer.status).toBe(201);
    }
    expect((await admin('alert', { text: `Alerte ${payloads.join(' ')}`.slice(0, 280) })).status).toBeLessThan(300);

    const page = await browser.newPage();
    const executed: string[] = [];
    await page.exposeFunction('__xss', (n: number) => executed.push(String(n)));
    page.on('dialog', (d) => {
      executed.push(`dialog:${d.message()}`);
      void d.dismiss();
    });
    await host?.close();
    host = await startHostPage(
      ['list', 'ticker', 'wall']
        .map((mode) => `<commune-feed src="${serverUrl}" feed="saint-etienne" mode="${mode}"></commune-feed>`)
        .join('') + `<script type="module" src="${serverUrl}/commune-feed.js"></script>`,
    );
    await page.goto(host.url);
    await page.locator('commune-feed[mode="list"] [part~="alert"]').waitFor({ timeout: 10_000 });
    await expect
      .poll(
        () =>
          page
            .locator('commune-feed[mode="list"]')
            .getByText(/Annonce \d+ officielle/)
            .count(),
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    const dangerous = await page.evaluate(() => {
      const found: string[] = [];
      const walk = (root: ParentNode) => {
        for (const el of Array.from(root.querySelectorAll('*'))) {
          if (
            ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'META', 'BASE', 'FORM', 'STYLE', 'SVG'].includes(
              el.tagName.toUpperCase(),
            ) &&
            el.closest('[part~="announcement"], .announcement')
          )
            found.push(el.tagName);
          for (const attr of Array.from(el.attributes)) {
            if (/^on/i.test(attr.name)) found.push(`${el.tagName}[${attr.name}]`);
            if (
              ['href', 'src', 'xlink:href', 'action'].includes(attr.name) &&
              !/^(https?:|data:image\/|$)/i.test(attr.value.trim())
            )
              found.push(`${el.tagName}[${attr.name}=${attr.value}]`);
          }
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      for (const feed of Array.from(document.querySelectorAll('commune-feed'))) walk(feed.shadowRoot!);
      return found;
    });
    expect(dangerous).toEqual([]);
    expect(executed).toEqual([]);
    await page.close();
  }, 90_000);
});

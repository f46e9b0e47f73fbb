/**
 * The configurator's snippet, pasted by a webmaster on a page of another
 * origin under a strict CSP with Trusted Types: the versioned bundle loads
 * with Subresource Integrity, and the files it loads later are checked too.
 * A file whose bytes differ from what was published is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import type { RunningServer } from '../../server/server.js';
import { launchBrowser, watchErrors } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { startHostPage } from './host-page.js';

let server: RunningServer;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  server = await startDemoServer(1);
  origin = `http://127.0.0.1:${server.port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function withPage<T>(run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await run(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** The snippet and the CSP the configurator gives for a mode, as a webmaster copies them. */
async function configuratorCode(mode: 'list' | 'wall'): Promise<{ snippet: string; csp: string }> {
  return withPage(async (page) => {
    await page.goto(`${origin}/configurateur.html`);
    await page.locator('#cf-preview commune-feed article[data-post-id]').first().waitFor({ timeout: 10_000 });
    if (mode === 'wall') await page.getByRole('radio', { name: /Mur/ }).check();
    const snippet = page.locator('#cf-snippet');
    await expect.poll(() => snippet.textContent()).toContain('integrity="sha384-');
    if (mode === 'wall') await expect.poll(() => snippet.textContent()).toContain('mode="wall"');
    return { snippet: (await snippet.textContent()) ?? '', csp: (await page.locator('#cf-csp').textContent()) ?? '' };
  });
}

/** The town's policy: what the configurator asks for, and nothing else. */
function townPolicy(csp: string): string {
  return [
    "default-src 'none'",
    ...csp
      .split('\n')
      .map((line) => line.replace(/;$/, ''))
      .filter(Boolean),
    "style-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html dompurify commune-feed',
  ].join('; ');
}

/**
 * Pastes the configurator's code for `mode` on a town's page of another
 * origin, under the town's policy, and runs `visit` in a fresh browser
 * context (where the test may intercept the widget's files) with the page's
 * errors collected.
 */
async function onTownPage(
  mode: 'list' | 'wall',
  visit: (page: Page, context: BrowserContext, errors: string[], url: string) => Promise<void>,
  headers: Record<string, string> = {},
): Promise<void> {
  const { snippet, csp } = await configuratorCode(mode);
  const host = await startHostPage(snippet, townPolicy(csp), headers);
  try {
    await withPage((page, context) => visit(page, context, watchErrors(page), host.url));
  } finally {
    await host.close();
  }
}

/** Serves the real file, with `tamper` applied to its bytes from the `from`-th request on (1: every request). */
function tamperWith(tamper: (code: string) => string, from = 1) {
  let requests = 0;
  const handler = async (route: Route) => {
    requests++;
    const response = await route.fetch();
    const body = await response.text();
    await route.fulfill({ response, body: requests >= from ? tamper(body) : body });
  };
  return { handler, requests: () => requests };
}

const TAMPERED = 'globalThis.__tampered=true;';

describe('the configurator’s snippet on a town’s page', () => {
  it('gives the versioned bundle with its integrity and crossorigin, and fallback content inside the element', async () => {
    const { snippet } = await configuratorCode('list');
    const manifest = (await (await fetch(`${origin}/commune-feed.manifest.json`)).json()) as {
      version: string;
      main: { integrity: string };
    };
    expect(snippet).toContain(
      `<script type="module" src="${origin}/v/${manifest.version}/commune-feed.js" integrity="${manifest.main.integrity}" crossorigin="anonymous"></script>`,
    );
    expect(snippet).toMatch(
      /<commune-feed [^>]*>\n {2}<p><a href="https:\/\/x\.com\/[^"]+">Suivez [^<]+<\/a><\/p>\n<\/commune-feed>/,
    );
  });

  for (const mode of ['list', 'wall'] as const) {
    it(`loads with integrity from another origin under a strict CSP with Trusted Types, in ${mode} mode`, async () => {
      await onTownPage(mode, async (page, context, errors, url) => {
        const widgetFiles: string[] = [];
        const missing: string[] = [];
        page.on('response', (response) => {
          if (response.status() === 404) missing.push(response.url());
        });
        page.on('request', (request) => {
          const url = new URL(request.url());
          if (url.origin === origin && url.pathname.endsWith('.js')) widgetFiles.push(url.pathname);
        });
        await page.goto(url);
        expect(new URL(url).origin).not.toBe(origin);
        const article = mode === 'wall' ? '[part~="featured"] article' : 'article[data-post-id]';
        await page.locator(`commune-feed ${article}`).first().waitFor({ timeout: 10_000 });
        expect(widgetFiles[0]).toMatch(/^\/v\/[^/]+\/commune-feed\.js$/);
        const version = widgetFiles[0]!.split('/')[2];
        // The wall's code, only in wall mode, from the same version, fetched once (checked, then imported).
        const wallFiles = widgetFiles.filter((file) => file.includes('commune-feed-wall-'));
        if (mode === 'wall') {
          expect(wallFiles).toHaveLength(1);
          expect(wallFiles[0]).toMatch(new RegExp(`^/v/${version}/commune-feed-wall-[\\w-]+\\.js$`));
          await expect.poll(() => page.locator('commune-feed svg[part~="qr-code"]').count()).toBe(1);
        } else {
          expect(wallFiles).toEqual([]);
        }
        expect(missing).toEqual([]);
        expect(errors).toEqual([]);
      });
    });
  }

  it('runs once when a CMS loads a second copy of the bundle from another URL, under Trusted Types without duplicates', async () => {
    const { snippet, csp } = await configuratorCode('list');
    const again = `<script type="module" src="${origin}/commune-feed.js"></script>`;
    const host = await startHostPage(`${snippet}\n${again}`, townPolicy(csp));
    try {
      await withPage(async (page) => {
        const errors = watchErrors(page);
        const loaded: string[] = [];
        page.on('response', (response) => {
          if (/\/commune-feed\.js$/.test(response.url())) loaded.push(response.url());
        });
        await page.goto(host.url);
        await page.locator('commune-feed article[data-post-id]').first().waitFor({ timeout: 10_000 });
        expect(loaded).toHaveLength(2);
        // A second Lit would ask for a second `lit-html` policy, which this policy refuses.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(errors).toEqual([]);
      });
    } finally {
      await host.close();
    }
  });

  it('is refused by the browser, fallback content kept, when the bundle’s bytes differ from the published ones', async () => {
    await onTownPage('list', async (page, context, errors, url) => {
      const tampered = tamperWith((code) => TAMPERED + code);
      await context.route(/\/v\/[^/]+\/commune-feed\.js$/, tampered.handler);
      await page.goto(url);
      await expect.poll(() => errors.some((error) => /integrity/i.test(error))).toBe(true);
      expect(tampered.requests()).toBe(1);
      expect(await page.evaluate(() => 'customElements' in window && !customElements.get('commune-feed'))).toBe(true);
      expect(await page.evaluate(() => '__tampered' in globalThis)).toBe(false);
      expect(await page.getByRole('link', { name: /Suivez/ }).isVisible()).toBe(true);
    });
  });

  it('refuses a lazily loaded file whose bytes differ, runs none of it, and says the posts cannot be shown', async () => {
    await onTownPage('wall', async (page, context, errors, url) => {
      const tampered = tamperWith((code) => TAMPERED + code);
      await context.route(/\/commune-feed-wall-[\w-]+\.js$/, tampered.handler);
      await page.goto(url);
      await page
        .locator('commune-feed [part~="loading"]', { hasText: 'Les publications ne peuvent pas être chargées' })
        .waitFor({ timeout: 10_000 });
      expect(await page.evaluate(() => '__tampered' in globalThis)).toBe(false);
      expect(errors.some((error) => error.includes('the wall mode could not be loaded'))).toBe(true);
    });
  });

  it('imports the lazily loaded file it checked, not a second copy fetched after the check', async () => {
    await onTownPage('wall', async (page, context, errors, url) => {
      // The first request gets the published bytes; any later one would get altered ones.
      const tampered = tamperWith((code) => TAMPERED + code, 2);
      await context.route(/\/commune-feed-wall-[\w-]+\.js$/, tampered.handler);
      await page.goto(url);
      await page.locator('commune-feed [part~="featured"] article').first().waitFor({ timeout: 10_000 });
      expect(tampered.requests()).toBe(1);
      expect(await page.evaluate(() => '__tampered' in globalThis)).toBe(false);
      expect(errors).toEqual([]);
    });
  });

  it('works on a page that isolates itself (COEP require-corp): the scripts and every image are allowed', async () => {
    await onTownPage(
      'wall',
      async (page, _context, errors, url) => {
        await page.goto(url);
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
        await page.locator('commune-feed [part~="featured"] article').first().waitFor({ timeout: 10_000 });
        const images = await page.evaluate(async () => {
          const root = document.querySelector('commune-feed')!.shadowRoot!;
          const all = [...root.querySelectorAll('img')];
          // A lazy image far below the fold may never be fetched: wait for each a bounded time, then judge it.
          const settled = (img: HTMLImageElement) =>
            Promise.race([img.decode().catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
          await Promise.all(all.map(settled));
          return all
            .filter((img) => img.loading !== 'lazy' || img.complete)
            .map((img) => ({ src: img.src, loaded: img.complete && img.naturalWidth > 0 }));
        });
        expect(images.length).toBeGreaterThan(0);
        expect(images.filter((image) => !image.loaded)).toEqual([]);
        expect(errors).toEqual([]);
      },
      { 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-opener-policy': 'same-origin' },
    );
  });
});

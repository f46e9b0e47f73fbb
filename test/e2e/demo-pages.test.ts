import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/server.js';
import { launchBrowser, watchErrors } from './browser.js';
import { startDemoServer } from './demo-server.js';
import { axeViolations, withContext } from './page-checks.js';

/** The demo pages a person opens, each checked once the widget shows posts. */
const PAGES = ['/', '/mur.html', '/configurateur.html'] as const;

let server: RunningServer;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  // The real server, on the built-in demo source, serving demo/ and dist/commune-feed.js.
  server = await startDemoServer(1);
  origin = `http://127.0.0.1:${server.port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function postsShown(page: Page): Promise<void> {
  await page.locator('commune-feed article[data-post-id]').first().waitFor({ timeout: 10_000 });
}

describe('the embed configurator', () => {
  it('lists the feeds of the API, and the mode updates the preview and the snippet', async () => {
    await withContext(browser, { permissions: ['clipboard-read', 'clipboard-write'] }, async (context) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${origin}/configurateur.html`);

      const feed = page.getByLabel('Flux', { exact: true });
      await expect
        .poll(() => feed.locator('option').allTextContents())
        .toEqual(['Fête du livre de Saint-Étienne (saint-etienne)']);
      expect(await feed.inputValue()).toBe('saint-etienne');
      expect(await page.getByLabel('Adresse du serveur commune-feed').inputValue()).toBe(origin);

      const preview = page.locator('#cf-preview commune-feed');
      await postsShown(page);
      const snippet = page.locator('#cf-snippet');
      const before = await snippet.textContent();
      expect(before).toMatch(
        new RegExp(
          `^<script type="module" src="${origin}/v/[^/]+/commune-feed\\.js" integrity="sha384-[\\w+/=]+" crossorigin="anonymous"></script>\n`,
        ),
      );
      expect(before).toContain(`<commune-feed src="${origin}" feed="saint-etienne">`);
      expect(before).not.toContain('mode=');

      await page.getByRole('radio', { name: /Bandeau défilant/ }).check();
      await expect.poll(() => preview.getAttribute('mode')).toBe('ticker');
      await expect
        .poll(() => snippet.textContent())
        .toContain(`<commune-feed src="${origin}" feed="saint-etienne" mode="ticker">`);
      await page.locator('commune-feed [part~="ticker"]').first().waitFor({ timeout: 10_000 });

      // A non-default setting lands in the snippet; a default one stays out.
      await page.getByLabel('Vitesse du bandeau (pixels par seconde)').fill('90');
      await expect.poll(() => snippet.textContent()).toContain('speed="90"');
      expect(await preview.getAttribute('speed')).toBe('90');
      await page.getByLabel('Vitesse du bandeau (pixels par seconde)').fill('60');
      await expect.poll(() => snippet.textContent()).not.toContain('speed=');

      // Custom properties: set on the preview through the CSSOM, and a <style> block in the snippet.
      await page.getByLabel('Arrondi des coins (pixels)').fill('4');
      await expect.poll(() => snippet.textContent()).toContain('--commune-feed-radius: 4px;');
      expect(await preview.evaluate((el) => el.style.getPropertyValue('--commune-feed-radius'))).toBe('4px');

      // Another server address: the snippet follows it, the preview stays on this server.
      await page.getByLabel('Adresse du serveur commune-feed').fill('https://flux.ville.fr/');
      await expect
        .poll(() => snippet.textContent())
        .toMatch(
          /^<script type="module" src="https:\/\/flux\.ville\.fr\/v\/[^/]+\/commune-feed\.js" integrity="sha384-/,
        );
      expect(await snippet.textContent()).toContain('src="https://flux.ville.fr" feed="saint-etienne"');
      expect(await page.locator('#cf-csp').textContent()).toContain("connect-src 'self' https://flux.ville.fr;");
      expect(await preview.getAttribute('src')).toBe('');

      await page.getByRole('button', { name: 'Copier le code' }).click();
      await expect.poll(() => page.locator('#cf-copy-status').textContent()).toBe('Code copié');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(await snippet.textContent());

      expect(errors).toEqual([]);
    });
  });

  it('keeps the page free of WCAG violations in every mode and theme of the preview, and flags a wrong address', async () => {
    await withContext(browser, { bypassCSP: true }, async (context) => {
      const page = await context.newPage();
      await page.goto(`${origin}/configurateur.html`);
      await postsShown(page);
      const preview = page.locator('#cf-preview commune-feed');
      for (const [mode, theme, lang] of [
        ['ticker', 'dark', 'en'],
        ['wall', 'dark', 'fr'],
        ['wall', 'light', 'en'],
        ['list', 'dark', 'fr'],
      ] as const) {
        await page.locator(`input[name="mode"][value="${mode}"]`).check();
        await page.locator(`input[name="theme"][value="${theme}"]`).check();
        await page.locator(`input[name="lang"][value="${lang}"]`).check();
        await expect.poll(() => preview.getAttribute('theme')).toBe(theme);
        await postsShown(page);
        // The wall's code arrives with the first switch to it; its layout settles once it has fitted
        // the screen: what is checked is the page as it stays, not the frame the wall appears in.
        await expect
          .poll(async () => ({ mode, theme, lang, violations: await axeViolations(page) }), { timeout: 10_000 })
          .toEqual({ mode, theme, lang, violations: [] });
      }
      // Only the relevant setting of the mode is shown.
      expect(await page.getByLabel('Rotation du mur (secondes)').isVisible()).toBe(false);
      expect(await page.getByLabel('Vitesse du bandeau (pixels par seconde)').isVisible()).toBe(false);

      const server = page.getByLabel('Adresse du serveur commune-feed');
      await server.fill('flux.ville.fr');
      await expect.poll(() => server.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#cf-server-error').textContent()).toMatch(/https:\/\//);
      expect(await page.locator('#cf-snippet').textContent()).toContain(`src="${origin}"`);
      expect(await axeViolations(page)).toEqual([]);
    });
  });

  it('writes the feed’s sources for X, Mastodon and Bluesky, with each network’s accounts', async () => {
    await withContext(browser, {}, async (context) => {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${origin}/configurateur.html`);
      const code = page.locator('#cf-sources');
      const sources = async () => JSON.parse((await code.textContent()) ?? '').sources;
      await expect.poll(() => code.textContent()).toContain('"id": "saint-etienne"');
      expect((await sources()).map((s: { network: string }) => s.network)).toEqual(['x', 'mastodon', 'bluesky']);

      await page.getByLabel('Comptes X').fill('saint_etienne_');
      await page.getByLabel('Instance', { exact: true }).fill('piaille.fr');
      await page.getByLabel('Comptes Mastodon').fill('@ville, biblio@mastodon.social');
      await page.getByLabel('Comptes Bluesky').fill('ville.bsky.social');
      await expect.poll(sources).toEqual([
        { network: 'x', accounts: ['saint_etienne_'], hashtags: ['FeteDuLivre'] },
        {
          network: 'mastodon',
          instance: 'https://piaille.fr',
          accounts: ['ville@piaille.fr', 'biblio@mastodon.social'],
          hashtags: ['FeteDuLivre'],
        },
        { network: 'bluesky', accounts: ['ville.bsky.social'], hashtags: ['FeteDuLivre'] },
      ]);

      // A network left out, and an account written for another network.
      await page.getByLabel('Lire X').uncheck();
      expect(await page.getByLabel('Comptes X').isVisible()).toBe(false);
      const bluesky = page.getByLabel('Comptes Bluesky');
      await bluesky.fill('ville_bsky');
      await expect.poll(() => bluesky.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#cf-bluesky-error').textContent()).toContain('ville.bsky.social');
      expect((await sources()).map((s: { network: string }) => s.network)).toEqual(['mastodon']);
      expect(errors).toEqual([]);
    });
  });

  it('selects the code when the clipboard is refused', async () => {
    await withContext(browser, {}, async (context) => {
      const page = await context.newPage();
      await page.addInitScript(() => {
        Object.defineProperty(navigator, 'clipboard', {
          configurable: true,
          value: { writeText: () => Promise.reject(new DOMException('refused', 'NotAllowedError')) },
        });
      });
      await page.goto(`${origin}/configurateur.html`);
      await expect.poll(() => page.locator('#cf-snippet').textContent()).toContain('feed="saint-etienne"');
      await page.getByRole('button', { name: 'Copier le code' }).click();
      await expect.poll(() => page.locator('#cf-copy-status').textContent()).toMatch(/sélectionné/);
      expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(
        await page.locator('#cf-snippet').textContent(),
      );
    });
  });
});

describe('the big-screen wall page', () => {
  it('shows the feed in wall mode, full screen, with posts and the call to action', async () => {
    await withContext(browser, { viewport: { width: 1280, height: 720 } }, async (context) => {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${origin}/mur.html`);
      expect(await page.title()).toMatch(/Mur en direct/);
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      await postsShown(page);
      const wall = page.locator('commune-feed');
      expect(await wall.getAttribute('mode')).toBe('wall');
      await page.locator('commune-feed [part~="wall"]').waitFor();
      await page.locator('commune-feed [part~="featured"] article[data-post-id]').waitFor();
      await page.locator('commune-feed [part~="qr-code"]').waitFor();
      const box = await wall.boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: 1280, height: 720 });
      expect(errors).toEqual([]);
    });
  });

  it('keeps its fallback content without JavaScript', async () => {
    await withContext(browser, { javaScriptEnabled: false }, async (context) => {
      const page = await context.newPage();
      await page.goto(`${origin}/mur.html`);
      await expect.poll(() => page.getByText('Fête du livre de Saint-Étienne', { exact: true }).isVisible()).toBe(true);
      expect(await page.locator('commune-feed noscript').textContent()).toContain('Cet écran a besoin de JavaScript');
      expect(await page.getByRole('link', { name: '#FeteDuLivre' }).getAttribute('href')).toBe(
        'https://x.com/hashtag/FeteDuLivre',
      );
    });
  });
});

describe('the demo pages', () => {
  it('link to the wall page and the configurator from the town site', async () => {
    await withContext(browser, {}, async (context) => {
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      expect(
        await page
          .getByRole('navigation', { name: 'Navigation principale' })
          .getByRole('link', { name: 'Intégrer le mur' })
          .getAttribute('href'),
      ).toBe('/configurateur.html');
      expect(await page.getByRole('link', { name: 'Ouvrir le mur grand écran' }).getAttribute('href')).toBe(
        '/mur.html',
      );
      await page.getByRole('link', { name: 'configurateur d’intégration' }).click();
      await page.waitForURL(`${origin}/configurateur.html`);
    });
  });

  for (const path of PAGES) {
    it(`${path} has no console error and no CSP violation under the strict policy`, async () => {
      await withContext(browser, {}, async (context) => {
        const page = await context.newPage();
        const errors = watchErrors(page);
        const response = await page.goto(`${origin}${path}`);
        expect(response?.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'");
        await postsShown(page);
        // Let a live post or two arrive and render.
        await page.waitForTimeout(2_500);
        expect(errors).toEqual([]);
      });
    });

    it(`${path} has no WCAG 2.2 AA violation found by axe once posts are shown`, async () => {
      // axe is injected as a script: only a context that bypasses the page's CSP allows it.
      await withContext(browser, { bypassCSP: true }, async (context) => {
        const page = await context.newPage();
        await page.goto(`${origin}${path}`);
        await postsShown(page);
        expect(await axeViolations(page)).toEqual([]);
      });
    });
  }
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Post } from '../../server/contract.js';
import {
  ANNOUNCEMENT_ATTRIBUTES,
  ANNOUNCEMENT_TAGS,
  ANNOUNCEMENT_URL_PATTERN,
} from '../../server/announcement-policy.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { testConfig } from '../helpers/config.js';
import { ScriptedSource } from '../helpers/scripted-source.js';
import { hostileAnnouncements } from '../widget/helpers/hostile-markup.js';
import { launchBrowser, watchErrors } from './browser.js';
import { embedSnippet, startHostPage, type HostPage } from './host-page.js';

let server: RunningServer;
let browser: Browser;
let host: HostPage;
const source = new ScriptedSource();

/** Announcements as the server hands them out, carrying the hostile corpus between harmless formatting. */
function announcements(): Post[] {
  const corpus = hostileAnnouncements();
  const now = Date.now();
  return [0, 1, 2, 3].map((index) => ({
    id: `annonce-${index}`,
    source: 'organisers',
    url: '',
    createdAt: new Date(now - index * 1000).toISOString(),
    author: { name: 'Mairie de test', handle: '', avatarUrl: '', profileUrl: '' },
    html: `<p>Annonce <strong>${index}</strong></p>${corpus.filter((_, n) => n % 4 === index).join('')}`,
    text: `Annonce ${index}`,
    entities: { hashtags: [], mentions: [], links: [] },
    media: [],
    lang: 'fr',
  }));
}

beforeAll(async () => {
  server = await startServer(testConfig(), { log: memoryLogger(), sourceFor: () => source, startEngines: false });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.close();
});

describe('announcements, end to end', () => {
  it('load the sanitizer chunk from the server on a page of another origin under a strict CSP with Trusted Types, and run none of a hostile corpus', async () => {
    source.posts(announcements());
    await server.engines.get('saint-etienne')!.pollNow();
    const serverUrl = `http://127.0.0.1:${server.port}`;
    // Only our own policy names: DOMPurify must parse through "commune-feed", not make a "dompurify" policy.
    host = await startHostPage(
      ['list', 'ticker', 'wall'].map((mode) => embedSnippet(serverUrl, 'saint-etienne', `mode="${mode}"`)).join(''),
      `default-src 'self'; script-src ${serverUrl}; connect-src ${serverUrl}; img-src ${serverUrl} data:; style-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html commune-feed`,
    );
    const page = await browser.newPage();
    const errors = watchErrors(page);
    const executed: number[] = [];
    await page.exposeFunction('__xss', (n: number) => executed.push(n));
    const chunks: { url: string; status: number; headers: Record<string, string> }[] = [];
    page.on('response', (response) => {
      if (/\/commune-feed-sanitize-[\w-]+\.js$/.test(response.url())) {
        chunks.push({ url: response.url(), status: response.status(), headers: response.headers() });
      }
    });

    await page.goto(host.url);
    for (const mode of ['list', 'ticker', 'wall']) {
      await expect
        .poll(() => page.locator(`commune-feed[mode="${mode}"] [part~="text"].rich strong`).count(), {
          timeout: 10_000,
        })
        .toBeGreaterThan(0);
    }
    await page.waitForTimeout(500);

    // One file, fetched once from the widget's server, cross-origin, cached for good.
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.url.startsWith(`${serverUrl}/`)).toBe(true);
    expect(chunks[0]).toMatchObject({
      status: 200,
      headers: { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(executed).toEqual([]);
    // Parsing hostile markup (DOMPurify's DOMParser document) is itself reported by the page's CSP as
    // blocked inline handlers and styles: the policy at work, not a leak. Nothing else may appear.
    const parsing =
      /^console: (CSP violation: (script-src-attr|style-src-attr|style-src-elem) inline|Executing inline event handler violates|Applying inline style violates)/;
    expect(errors.filter((error) => !parsing.test(error))).toEqual([]);
    // What reached the page is inside the allow-list.
    const outside = await page.evaluate(
      ([tags, attributes, pattern]) => {
        const found: string[] = [];
        const urls = new RegExp(pattern, 'i');
        for (const feed of document.querySelectorAll('commune-feed')) {
          for (const text of feed.shadowRoot!.querySelectorAll('.rich')) {
            for (const node of text.querySelectorAll('*')) {
              if (!tags.includes(node.localName)) found.push(node.localName);
              for (const { name, value } of node.attributes) {
                if (!attributes.includes(name) && !(node.localName === 'a' && name === 'rel')) found.push(name);
                if (name === 'href' && !urls.test(value)) found.push(value);
              }
            }
          }
        }
        return found;
      },
      [ANNOUNCEMENT_TAGS, ANNOUNCEMENT_ATTRIBUTES, ANNOUNCEMENT_URL_PATTERN.source] as const,
    );
    expect(outside).toEqual([]);
    await expect
      .poll(() => page.locator('commune-feed[mode="list"] [part~="announcement"]').first().textContent())
      .toBe('Annonce des organisateurs');
    await page.close();
  }, 60_000);
});

/**
 * The organisers end to end, in Chromium, against the real server: the console on a phone hides a
 * post and an open wall on another page loses it within a second; in pre mode a post reaches no
 * public route until approved in the console; an urgent alert raised in the console reaches a
 * paused ticker and is announced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FeedSnapshot, Post } from '../../server/contract.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { TEST_ADMIN_TOKEN, TEST_PASSWORD, addOrganiser } from '../helpers/admin.js';
import { testConfig } from '../helpers/config.js';
import { testPost } from '../helpers/posts.js';
import { ScriptedSource } from '../helpers/scripted-source.js';
import { openSse } from '../helpers/sse-client.js';
import { startImageHost } from '../server/media/image-host.js';
import { launchBrowser, watchErrors } from './browser.js';
import { embedSnippet, startHostPage, type HostPage } from './host-page.js';

const FEED = 'saint-etienne';
const IMAGE = '/media/pbs.twimg.com/media/a.jpg?name=small';
const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: '', profileUrl: '' };
/** Polls that wait for the real server: a password check (scrypt) takes a while on a busy machine. */
const SERVER_ANSWER = { timeout: 10_000 };

let server: RunningServer;
let serverUrl: string;
let browser: Browser;
let phone: BrowserContext;
let closeImageHost: () => Promise<void>;
const hosts: HostPage[] = [];
const source = new ScriptedSource();

/** A resident's post created `ago` ms before now. */
function post(n: number, ago: number, overrides: Partial<Post> = {}): Post {
  return testPost(n, { author: resident, createdAt: new Date(Date.now() - ago).toISOString(), ...overrides });
}

async function publish(posts: Post[]): Promise<void> {
  source.posts(posts);
  await server.engines.get(FEED)!.pollNow();
}

/** What the organisers' API says, asked as the operator would. */
function admin(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${serverUrl}/api/admin/${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function publicIds(): Promise<string[]> {
  const snapshot = (await (await fetch(`${serverUrl}/api/feeds/${FEED}`)).json()) as FeedSnapshot;
  return snapshot.posts.map((p) => p.id);
}

/** A page of the town's site, on another origin, under a strict CSP with Trusted Types, showing the feed. */
async function townPage(attributes: string): Promise<Page> {
  const host = await startHostPage(
    embedSnippet(serverUrl, FEED, attributes),
    `default-src 'self'; script-src ${serverUrl}; connect-src ${serverUrl}; img-src ${serverUrl} data:; style-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html commune-feed`,
  );
  hosts.push(host);
  const page = await browser.newPage();
  await page.goto(host.url);
  return page;
}

const onWall = (page: Page, id: string) => page.locator(`commune-feed article[data-post-id="${id}"]`);

/** The console on the phone, signed in as the moderator (through the sign-in form the first time). */
async function console(screen: string): Promise<Page> {
  const page = phone.pages()[0] ?? (await phone.newPage());
  await page.goto(`${serverUrl}/admin#/${screen}`);
  const signIn = page.getByRole('heading', { name: 'Connexion des organisateurs' });
  const shell = page.getByRole('navigation', { name: 'Navigation de la console' }).first();
  await Promise.race([signIn.waitFor(), shell.waitFor()]);
  if (await signIn.isVisible()) {
    await page.getByLabel("Nom d'utilisateur").fill('paul');
    await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).tap();
    await shell.waitFor(SERVER_ANSWER);
  }
  return page;
}

beforeAll(async () => {
  const imageHost = await startImageHost();
  closeImageHost = imageHost.close;
  server = await startServer(testConfig(), {
    log: memoryLogger(),
    sourceFor: () => source,
    startEngines: false,
    adminToken: TEST_ADMIN_TOKEN,
    mediaUpstream: () => imageHost.base,
  });
  serverUrl = `http://127.0.0.1:${server.port}`;
  await addOrganiser(server.auth, 'moderator', 'paul');
  browser = await launchBrowser();
  phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
});

afterAll(async () => {
  await browser?.close();
  for (const host of hosts) await host.close();
  await server?.close();
  await closeImageHost?.();
});

describe('organisers, end to end', () => {
  it('an organiser on a phone hides a post in one tap, and an open wall on another page loses it within a second; undo brings it back', async () => {
    await publish([post(1, 3_000), post(2, 2_000), post(3, 1_000)]);
    const wall = await townPage('mode="wall"');
    const wallErrors = watchErrors(wall);
    await onWall(wall, 'p3').waitFor(SERVER_ANSWER);
    // The wall records when the post leaves its DOM (a mutation observer is not throttled in a background page).
    await wall.evaluate(() => {
      const feed = document.querySelector('commune-feed')!;
      const gone = () => !feed.shadowRoot!.querySelector('article[data-post-id="p3"]');
      new MutationObserver(() => {
        const w = window as unknown as { goneAt?: number };
        if (w.goneAt === undefined && gone()) w.goneAt = Date.now();
      }).observe(feed.shadowRoot!, { childList: true, subtree: true });
    });

    const page = await console('queue');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const hide = page.locator(`console-queue li[data-post-id="p3"] button[data-action="hide"]`);
    await hide.waitFor(SERVER_ANSWER);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/posts/p3/decision')),
      hide.tap(),
    ]);
    expect(response.status()).toBe(200);
    const timing = response.request().timing();
    const answeredAt = timing.startTime + timing.responseStart;
    await expect.poll(() => wall.evaluate(() => (window as { goneAt?: number }).goneAt), SERVER_ANSWER).toBeDefined();
    const goneAt = (await wall.evaluate(() => (window as { goneAt?: number }).goneAt))!;
    // The acceptance: every open wall within one second of the organiser's tap being answered.
    expect(goneAt - answeredAt).toBeLessThanOrEqual(1_000);
    expect(await publicIds()).toEqual(['p2', 'p1']);

    await page.locator('console-snackbar button.action').tap();
    await onWall(wall, 'p3').waitFor(SERVER_ANSWER);
    expect(await publicIds()).toEqual(['p3', 'p2', 'p1']);
    expect(wallErrors).toEqual([]);
    await wall.close();
  }, 60_000);

  it('in pre mode, a new post reaches no public route (snapshot, live events, images) until approved in the console, then appears on the open wall', async () => {
    const { settings } = server.registry.require(FEED);
    const moderation = { ...settings.moderation, mode: 'pre' };
    expect((await admin(`feeds/${FEED}`, { method: 'PUT', body: { ...settings, moderation } })).status).toBe(200);
    const wall = await townPage('mode="wall"');
    await onWall(wall, 'p3').waitFor(SERVER_ANSWER);
    const before = (await (await fetch(`${serverUrl}/api/feeds/${FEED}`)).json()) as FeedSnapshot;
    const stream = await openSse(`${serverUrl}/api/feeds/${FEED}/events?since=${before.revision}`);

    const photo = { kind: 'photo' as const, url: IMAGE, previewUrl: IMAGE, alt: 'Le bal', width: 1, height: 1 };
    await publish([post(4, 0, { media: [photo] })]);
    expect(await publicIds()).not.toContain('p4');
    expect((await fetch(`${serverUrl}${IMAGE}`)).status).toBe(404);

    const page = await console('queue');
    // The console was open already: the new post waits behind a button, so nothing moves under a thumb.
    await page.getByRole('button', { name: /Afficher 1 nouvelle publication/ }).tap();
    const approve = page.locator(`console-queue li[data-post-id="p4"] button[data-action="approve"]`);
    await approve.waitFor(SERVER_ANSWER);
    // The organiser sees the held post's image, through the organisers' own image route.
    const image = page.locator('console-queue li[data-post-id="p4"] img[src*="/api/admin/media/"]').first();
    const seen = await image.evaluate(async (img: HTMLImageElement) => (await fetch(img.src)).status);
    expect(seen).toBe(200);
    expect((await fetch(`${serverUrl}${IMAGE}`)).status).toBe(404);
    expect(await onWall(wall, 'p4').count()).toBe(0);
    expect(stream.frames.filter((f) => f.event === 'post')).toEqual([]);

    await approve.tap();
    await onWall(wall, 'p4').waitFor(SERVER_ANSWER);
    await stream.waitFor((f) => f.event === 'post' && JSON.parse(f.data!).id === 'p4');
    expect(await publicIds()).toContain('p4');
    expect((await fetch(`${serverUrl}${IMAGE}`)).status).toBe(200);
    stream.close();
    await wall.close();
  }, 60_000);

  it('an urgent alert raised in the console appears on a paused ticker on another page, announced, and leaves when withdrawn', async () => {
    const ticker = await townPage('mode="ticker"');
    await ticker.locator('commune-feed [data-post-id]').first().waitFor(SERVER_ANSWER);
    await ticker.locator('commune-feed button[part~="pause"]').click();
    await expect.poll(() => ticker.locator('commune-feed').getAttribute('paused')).toBe('');

    const text = 'Orage : le site est évacué, suivez les consignes des agents';
    const page = await console('alert');
    await page.getByLabel("Texte de l'alerte").fill(text);
    await page.getByRole('button', { name: "Déclencher l'alerte" }).tap();
    await page.locator('console-confirm dialog[open] button.confirm').tap();

    // The banner is announced assertively: its element is a live region of role "alert".
    const banner = ticker.locator('commune-feed [part~="alert"]');
    await expect.poll(() => banner.getAttribute('role'), SERVER_ANSWER).toBe('alert');
    expect(await banner.textContent()).toContain(text);
    expect(await ticker.locator('commune-feed').getAttribute('paused')).toBe('');

    await page.getByRole('button', { name: "Retirer l'alerte" }).tap();
    await expect.poll(() => banner.count(), SERVER_ANSWER).toBe(0);
    expect(await ticker.locator('commune-feed').getAttribute('paused')).toBe('');
    await ticker.close();
  }, 60_000);
});

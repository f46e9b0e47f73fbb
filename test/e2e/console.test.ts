import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../server/config.js';
import { CONSOLE_CSP } from '../../server/http/headers.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { tempDir } from '../helpers/config.js';
import { TEST_ADMIN_TOKEN, TEST_PASSWORD, addOrganiser } from '../helpers/admin.js';
import { launchBrowser, watchErrors } from './browser.js';

// The console against the real server: what the admin API already serves (sign-in, sessions,
// the first admin from ADMIN_TOKEN, accounts). The moderation routes come with the server core.

let browser: Browser;
const running: RunningServer[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  for (const server of running.splice(0)) await server.close();
});

afterAll(async () => {
  await browser?.close();
});

/** The real server on the demo source, with ADMIN_TOKEN set, on a fresh data folder. */
async function startConsoleServer(): Promise<{ server: RunningServer; origin: string }> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir() }, []);
  const server = await startServer(config, { log: memoryLogger(), adminToken: TEST_ADMIN_TOKEN });
  running.push(server);
  return { server, origin: `http://127.0.0.1:${server.port}` };
}

/** A phone-sized page (390 × 844, touch) that records errors and CSP violations. */
async function phonePage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  contexts.push(context);
  const page = await context.newPage();
  return { page, errors: watchErrors(page) };
}

/**
 * What went wrong on the page (uncaught errors, CSP violations), apart from Chromium's note of
 * each 4xx answer: the console expects them (a 401 when it asks whether a session exists, the
 * refusals these tests provoke, and until the server core's routes are merged a 404 for the feeds).
 */
function unexpected(errors: string[]): string[] {
  return errors.filter((error) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(error));
}

/** Polls that wait for the real server: a password check (scrypt) takes a while on a busy machine. */
const SERVER_ANSWER = { timeout: 10_000 };

const signedInShell = (page: Page) => page.getByRole('navigation', { name: 'Navigation de la console' }).first();

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Plus' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('heading', { name: 'Connexion des organisateurs' }).waitFor();
}

describe('the console at /admin, end to end', () => {
  it('serves its page under its strict policy, and runs with no CSP violation', async () => {
    const { origin } = await startConsoleServer();
    const { page, errors } = await phonePage();
    const response = await page.goto(`${origin}/admin`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toBe(CONSOLE_CSP);
    await page.getByRole('heading', { name: 'Connexion des organisateurs' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(unexpected(errors)).toEqual([]);
  });

  it('creates the first admin with ADMIN_TOKEN, signed in at once with a strict cookie', async () => {
    const { server, origin } = await startConsoleServer();
    const { page, errors } = await phonePage();
    await page.goto(`${origin}/admin/`);
    await page.getByRole('heading', { name: 'Créer le premier compte administrateur' }).waitFor();
    await page.getByLabel("Jeton d'administration (ADMIN_TOKEN)").fill('pas le bon jeton');
    await page.getByLabel("Nom d'utilisateur").fill('marie');
    await page.getByLabel('Nom affiché (facultatif)').fill('Marie Dupont');
    await page.getByLabel('Mot de passe (12 caractères au moins)').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Créer le compte administrateur' }).tap();
    await expect
      .poll(() => page.locator('console-sign-in #token-error').textContent(), SERVER_ANSWER)
      .toBe("jeton d'administration incorrect");
    expect(server.auth.accounts.hasUsers()).toBe(false);

    await page.getByLabel("Jeton d'administration (ADMIN_TOKEN)").fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Créer le compte administrateur' }).tap();
    await signedInShell(page).waitFor();
    expect(server.auth.accounts.list().map((user) => [user.username, user.role])).toEqual([['marie', 'admin']]);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'cf_session', httpOnly: true, sameSite: 'Strict', secure: false });

    // The accounts screen works against the real routes: the new admin is listed.
    await page.goto(`${origin}/admin#/users`);
    await expect
      .poll(() => page.locator('console-users li[data-username]').allTextContents(), SERVER_ANSWER)
      .toEqual([expect.stringContaining('Marie Dupont')]);
    expect(unexpected(errors)).toEqual([]);
  });

  it('signs an organiser in and out through the real server; a wrong password is refused', async () => {
    const { server, origin } = await startConsoleServer();
    await addOrganiser(server.auth, 'moderator', 'paul');
    const { page, errors } = await phonePage();
    await page.goto(`${origin}/admin`);
    await page.getByLabel("Nom d'utilisateur").fill('paul');
    await page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).tap();
    await expect
      .poll(() => page.locator('console-sign-in [role="alert"]').textContent(), SERVER_ANSWER)
      .toBe("Nom d'utilisateur ou mot de passe incorrect.");

    await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).tap();
    await signedInShell(page).waitFor();
    // A moderator is offered no admin screen.
    await page.getByRole('button', { name: 'Plus' }).tap();
    expect(await page.locator('#more-menu a').allTextContents()).not.toContain('Comptes');
    await page.getByRole('button', { name: 'Plus' }).tap();

    // The session outlives a reload (the cookie), and ends with sign-out, on the server too.
    await page.reload();
    await signedInShell(page).waitFor();
    await signOut(page);
    await expect
      .poll(() => page.locator('console-sign-in .notice').textContent(), SERVER_ANSWER)
      .toBe('Vous êtes déconnecté.');
    await page.reload();
    await page.getByRole('heading', { name: 'Connexion des organisateurs' }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/api/admin/session')).status);
    expect(session).toBe(401);
    expect(unexpected(errors)).toEqual([]);
  });

  it('adds an organiser account from the console, and the new moderator signs in with it', async () => {
    const { server, origin } = await startConsoleServer();
    await addOrganiser(server.auth, 'admin', 'marie');
    const { page, errors } = await phonePage();
    await page.goto(`${origin}/admin#/users`);
    await page.getByLabel("Nom d'utilisateur").fill('marie');
    await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).tap();
    const form = page.locator('console-users form.add');
    await form.getByLabel("Nom d'utilisateur").fill('lea');
    await form.getByLabel('Mot de passe', { exact: true }).fill('court');
    await form.getByRole('button', { name: 'Ajouter le compte' }).tap();
    await expect
      .poll(() => form.locator('#password-error').textContent(), SERVER_ANSWER)
      .toBe('must be at least 12 characters');
    await form.getByLabel('Mot de passe', { exact: true }).fill('une phrase assez longue');
    await form.getByRole('button', { name: 'Ajouter le compte' }).tap();
    await page.locator('console-users li[data-username="lea"]').waitFor();
    expect(server.auth.accounts.list().map((user) => [user.username, user.role])).toContainEqual(['lea', 'moderator']);

    await signOut(page);
    await page.getByLabel("Nom d'utilisateur").fill('lea');
    await page.getByLabel('Mot de passe', { exact: true }).fill('une phrase assez longue');
    await page.getByRole('button', { name: 'Se connecter' }).tap();
    await signedInShell(page).waitFor();
    expect(unexpected(errors)).toEqual([]);
  });
});

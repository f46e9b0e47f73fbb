/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import type { CommuneConsole } from '../../../widget/console/commune-console.js';
import {
  feedSummary,
  feedSettings,
  PASSWORD,
  deepActive,
  inside,
  renderConsole,
  shadowOf,
  signIn,
  useConsoleBench,
} from './helpers/console-fixture.js';

const bench = useConsoleBench();

function heading(element: CommuneConsole): string {
  return shadowOf(element).querySelector('main > h1')!.textContent!.trim();
}

function navLabels(element: CommuneConsole, selector: string): string[] {
  return [...shadowOf(element).querySelectorAll(`${selector} a`)].map((a) => a.textContent!.trim());
}

function input(host: Element, id: string): HTMLInputElement {
  return shadowOf(host).querySelector<HTMLInputElement>(`#${id}`)!;
}

function type(field: HTMLInputElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

async function signInThroughForm(element: CommuneConsole, username: string, password: string): Promise<void> {
  const form = await inside(element, 'console-sign-in');
  await inside(form, '#username');
  type(input(form, 'username'), username);
  type(input(form, 'password'), password);
  await (form as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  shadowOf(form).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

describe('<commune-console>', () => {
  it('asks to sign in when there is no session, then opens the moderation queue of the only feed', async () => {
    const element = await renderConsole();
    expect(heading(element)).to.equal('Connexion des organisateurs');
    await signInThroughForm(element, 'marie', PASSWORD);
    await waitUntil(() => shadowOf(element).querySelector('console-queue'), 'the queue opens');
    expect(heading(element)).to.equal('File de modération');
    expect(document.title).to.equal('File de modération — Console commune-feed');
    expect(shadowOf(element).querySelector('.current-feed')!.textContent!.trim()).to.equal('Fête du livre');
    await waitUntil(() => deepActive() === shadowOf(element).querySelector('main > h1'), 'focus on the heading');
    const [login] = bench.api.requestsTo('POST /api/admin/login');
    expect(login!.body).to.deep.equal({ username: 'marie', password: PASSWORD });
  });

  it('says a wrong password without saying which of the two was wrong', async () => {
    const element = await renderConsole();
    await signInThroughForm(element, 'marie', 'pas le bon mot de passe');
    const form = shadowOf(element).querySelector('console-sign-in')!;
    const alert = await inside(form, '[role="alert"]');
    await waitUntil(() => alert.textContent!.trim() === "Nom d'utilisateur ou mot de passe incorrect.");
    expect(shadowOf(element).querySelector('console-queue')).to.equal(null);
  });

  it('shows the wait after too many attempts', async () => {
    bench.api.answer(
      'POST /api/admin/login',
      () =>
        new Response(JSON.stringify({ error: { status: 429, message: 'trop de tentatives' } }), {
          status: 429,
          headers: { 'retry-after': '30' },
        }),
    );
    const element = await renderConsole();
    await signInThroughForm(element, 'marie', PASSWORD);
    const form = shadowOf(element).querySelector('console-sign-in')!;
    const alert = await inside(form, '[role="alert"]');
    await waitUntil(() => alert.textContent!.trim() === 'Trop de tentatives : réessayez dans 30 secondes.');
  });

  it('lets the choice of a feed wait when there are several, and opens the chosen one', async () => {
    bench.api.feeds.push(feedSummary({ settings: feedSettings({ id: 'roanne', title: 'Salon de Roanne' }) }));
    signIn(bench);
    const element = await renderConsole();
    await waitUntil(() => shadowOf(element).querySelector('console-feed-picker'), 'the picker opens');
    expect(heading(element)).to.equal('Flux');
    const picker = shadowOf(element).querySelector('console-feed-picker')!;
    await inside(picker, 'li');
    const open = [...shadowOf(picker).querySelectorAll('button')].find((b) =>
      b.textContent!.includes('Salon de Roanne'),
    )!;
    expect(open.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Modérer Salon de Roanne');
    open.click();
    await waitUntil(() => shadowOf(element).querySelector('console-queue'));
    expect(shadowOf(element).querySelector('console-queue')!.feedId).to.equal('roanne');
    expect(localStorage.getItem('commune-console.feed')).to.equal('roanne');
  });

  it('shows a moderator no admin screen, and an admin all of them', async () => {
    signIn(bench, 'paul');
    const moderator = await renderConsole();
    await waitUntil(() => shadowOf(moderator).querySelector('console-queue'));
    const seen = navLabels(moderator, 'nav.side');
    expect(seen).to.deep.equal(['File de modération', 'Annonces', 'Alerte urgente', 'Journal', 'Sources', 'Flux']);
    // Asked for by its address, an admin screen is not opened either.
    location.hash = '#/users';
    await waitUntil(() => heading(moderator) === 'File de modération');
    expect(shadowOf(moderator).querySelector('console-users')).to.equal(null);
    moderator.remove();

    signIn(bench, 'marie');
    const admin = await renderConsole();
    await waitUntil(() => shadowOf(admin).querySelector('console-users'), 'the accounts screen opens');
    expect(navLabels(admin, 'nav.side')).to.include.members(['Réglages du flux', 'Comptes']);
  });

  it('puts the event day on the phone bar and the rest behind "Plus"', async () => {
    signIn(bench);
    const element = await renderConsole();
    await waitUntil(() => shadowOf(element).querySelector('console-queue'));
    expect(navLabels(element, 'nav.bottom .bar')).to.deep.equal(['File', 'Annonces', 'Alerte']);
    // Short words on the bar; the full names are what assistive technologies say.
    expect(
      [...shadowOf(element).querySelectorAll('nav.bottom .bar a')].map((a) => a.getAttribute('aria-label')),
    ).to.deep.equal(['File de modération', null, 'Alerte urgente']);
    const more = shadowOf(element).querySelector<HTMLButtonElement>('button.more')!;
    expect(more.getAttribute('aria-expanded')).to.equal('false');
    expect(shadowOf(element).querySelector<HTMLElement>('#more-menu')!.hidden).to.equal(true);
    more.click();
    await element.updateComplete;
    expect(more.getAttribute('aria-expanded')).to.equal('true');
    expect(navLabels(element, '#more-menu')).to.deep.equal([
      'Journal',
      'Réglages du flux',
      'Sources',
      'Comptes',
      'Flux',
    ]);
    more.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await element.updateComplete;
    expect(more.getAttribute('aria-expanded')).to.equal('false');
  });

  it('signs out, and says so on the sign-in form', async () => {
    signIn(bench);
    const element = await renderConsole();
    await waitUntil(() => shadowOf(element).querySelector('console-queue'));
    const signOut = [...shadowOf(element).querySelectorAll<HTMLButtonElement>('nav.side button')].find(
      (b) => b.textContent!.trim() === 'Se déconnecter',
    )!;
    signOut.click();
    await waitUntil(() => shadowOf(element).querySelector('console-sign-in'), 'back to sign-in');
    expect(bench.api.requestsTo('POST /api/admin/logout')).to.have.length(1);
    const form = shadowOf(element).querySelector('console-sign-in')!;
    expect((await inside(form, '.notice')).textContent!.trim()).to.equal('Vous êtes déconnecté.');
  });

  it('goes back to sign-in when the session ends during work, and says why', async () => {
    signIn(bench);
    const element = await renderConsole();
    await waitUntil(() => shadowOf(element).querySelector('console-queue'));
    bench.api.session = null;
    location.hash = '#/audit';
    await waitUntil(() => shadowOf(element).querySelector('console-sign-in'), 'the 401 leads to sign-in');
    const form = shadowOf(element).querySelector('console-sign-in')!;
    expect((await inside(form, '.notice')).textContent!.trim()).to.equal(
      'Votre session a pris fin : reconnectez-vous.',
    );
  });

  it('speaks English after the language switch, and remembers it', async () => {
    const element = await renderConsole();
    const switcher = shadowOf(element).querySelector<HTMLButtonElement>('header button[lang="en"]')!;
    expect(switcher.textContent!.trim()).to.equal('English');
    switcher.click();
    await element.updateComplete;
    expect(heading(element)).to.equal('Organisers sign in');
    expect(document.documentElement.lang).to.equal('en');
    expect(localStorage.getItem('commune-console.lang')).to.equal('en');
    const form = shadowOf(element).querySelector('console-sign-in')!;
    await waitUntil(() => shadowOf(form).querySelector('label[for="username"]')?.textContent === 'Username');
  });

  it('tells that the server does not answer, tries again by itself, and recovers', async () => {
    signIn(bench);
    bench.api.offline = true;
    const element = await renderConsoleWhileOffline();
    const notice = shadowOf(element).querySelector('main [role="alert"]')!;
    expect(notice.textContent!.trim()).to.equal('Le serveur ne répond pas : nouvelle tentative dans 1 seconde…');
    bench.api.offline = false;
    bench.timers.advance(1_000);
    await waitUntil(
      () => shadowOf(element).querySelector('console-queue'),
      'the console starts once the server is back',
    );
    expect(notice.isConnected ? notice.textContent!.trim() : '').to.equal('');
  });
});

/** Renders the console while the server is unreachable: it stays on "starting" and says why. */
async function renderConsoleWhileOffline(): Promise<CommuneConsole> {
  const { fixture } = await import('@open-wc/testing');
  const element = await fixture<CommuneConsole>(document.createElement('commune-console'));
  await waitUntil(() => shadowOf(element).querySelector('main [role="alert"]')?.textContent?.trim(), 'the notice');
  return element;
}

/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ConsoleSignIn } from '../../../widget/console/console-sign-in.js';
import { apiError } from './helpers/fake-admin-api.js';
import { deepActive, inside, shadowOf, useConsoleBench } from './helpers/console-fixture.js';

const bench = useConsoleBench();

async function renderForm(): Promise<ConsoleSignIn> {
  const element = await fixture<ConsoleSignIn>(html`<console-sign-in .api=${bench.client}></console-sign-in>`);
  await waitUntil(() => bench.api.requestsTo('GET /api/admin/setup').length === 1);
  await element.updateComplete;
  return element;
}

function type(element: ConsoleSignIn, id: string, value: string): void {
  const field = shadowOf(element).querySelector<HTMLInputElement>(`#${id}`)!;
  field.value = value;
  field.dispatchEvent(new Event('input'));
}

function submit(element: ConsoleSignIn): void {
  shadowOf(element).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

describe('<console-sign-in>', () => {
  it('offers "Créer le premier compte administrateur" while no account exists, with the ADMIN_TOKEN', async () => {
    bench.api.users = [];
    bench.api.setupStatus = { needsFirstAdmin: true, tokenConfigured: true };
    const element = await renderForm();
    const title = await inside(element, 'h2');
    expect(title.textContent!.trim()).to.equal('Créer le premier compte administrateur');
    type(element, 'token', 'jeton-de-test');
    type(element, 'username', 'marie');
    type(element, 'displayName', 'Marie Dupont');
    type(element, 'password', 'une phrase assez longue');
    await element.updateComplete;
    const signedIn = oneEvent(element, 'console-signed-in');
    submit(element);
    const event = await signedIn;
    expect(event.detail.user).to.deep.equal({ username: 'marie', displayName: 'Marie Dupont', role: 'admin' });
    const [request] = bench.api.requestsTo('POST /api/admin/setup');
    expect(request!.body).to.deep.equal({
      token: 'jeton-de-test',
      username: 'marie',
      password: 'une phrase assez longue',
      displayName: 'Marie Dupont',
    });
  });

  it("puts the server's refusal next to the field it names, and the focus on it", async () => {
    bench.api.users = [];
    bench.api.setupStatus = { needsFirstAdmin: true, tokenConfigured: true };
    bench.api.answer('POST /api/admin/setup', () => apiError(400, 'password: must be at least 12 characters'));
    const element = await renderForm();
    await inside(element, '#token');
    type(element, 'token', 'jeton-de-test');
    type(element, 'username', 'marie');
    type(element, 'password', 'court');
    await element.updateComplete;
    submit(element);
    const error = await inside(element, '#password-error');
    await waitUntil(() => error.textContent === 'must be at least 12 characters');
    const field = shadowOf(element).querySelector('#password')!;
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    expect(field.getAttribute('aria-describedby')).to.contain('password-error');
    await waitUntil(() => deepActive() === field, 'the focus is on the refused field');
  });

  it('says a wrong token next to the token', async () => {
    bench.api.users = [];
    bench.api.setupStatus = { needsFirstAdmin: true, tokenConfigured: true };
    const element = await renderForm();
    await inside(element, '#token');
    type(element, 'token', 'pas le bon');
    type(element, 'username', 'marie');
    type(element, 'password', 'une phrase assez longue');
    await element.updateComplete;
    submit(element);
    const error = await inside(element, '#token-error');
    await waitUntil(() => error.textContent === "jeton d'administration incorrect");
    expect(bench.api.users).to.have.length(0);
  });

  it('points to the command line when no account exists and no ADMIN_TOKEN is set', async () => {
    bench.api.users = [];
    bench.api.setupStatus = { needsFirstAdmin: true, tokenConfigured: false };
    const element = await renderForm();
    expect(shadowOf(element).querySelector('#token')).to.equal(null);
    expect((await inside(element, 'pre')).textContent).to.contain('npm run admin -- add-user');
  });

  it('asks for both fields before sending anything', async () => {
    const element = await renderForm();
    submit(element);
    await element.updateComplete;
    expect(shadowOf(element).querySelector('[role="alert"]')!.textContent!.trim()).to.equal(
      "Saisissez votre nom d'utilisateur et votre mot de passe.",
    );
    expect(bench.api.requestsTo('POST /api/admin/login')).to.have.length(0);
  });
});

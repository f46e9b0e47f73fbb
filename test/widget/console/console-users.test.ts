/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ConsoleUsers } from '../../../widget/console/console-users.js';
import { apiError, json } from './helpers/fake-admin-api.js';
import { deepActive, inside, shadowOf, signIn, useConsoleBench } from './helpers/console-fixture.js';

const bench = useConsoleBench();

async function renderUsers(): Promise<ConsoleUsers> {
  signIn(bench);
  const element = await fixture<ConsoleUsers>(
    html`<console-users .api=${bench.client} .environment=${bench.environment} username="marie"></console-users>`,
  );
  await inside(element, 'li[data-username]');
  return element;
}

const account = (element: ConsoleUsers, username: string) =>
  shadowOf(element).querySelector<HTMLElement>(`li[data-username="${username}"]`)!;

function type(root: ParentNode, selector: string, value: string): void {
  const field = root.querySelector<HTMLInputElement>(selector)!;
  field.value = value;
  field.dispatchEvent(new Event('input'));
}

describe('<console-users>', () => {
  it('lists the accounts with their role, and marks the organiser signed in', async () => {
    const element = await renderUsers();
    expect(account(element, 'marie').querySelector('h3')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Marie Dupont (vous)',
    );
    expect(account(element, 'paul').querySelector('select')!.value).to.equal('moderator');
  });

  it('adds an account, and shows a refused field next to it', async () => {
    let calls = 0;
    bench.api.answer('POST /api/admin/users', (request) => {
      calls++;
      if (calls === 1) return apiError(400, 'username: must be 1 to 32 letters, digits, dots, dashes or underscores');
      const body = request.body as { username: string; role: 'moderator' };
      bench.api.users.push({
        username: body.username,
        displayName: body.username,
        role: body.role,
        createdAt: '',
        disabledAt: null,
      });
      return json({ user: bench.api.users[bench.api.users.length - 1] }, 201);
    });
    const element = await renderUsers();
    const form = shadowOf(element).querySelector('form.add')!;
    type(form, '#username', 'lea !');
    type(form, '#password', 'une phrase assez longue');
    await element.updateComplete;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const error = await inside(element, '#username-error');
    await waitUntil(() => error.textContent!.startsWith('must be 1 to 32'));
    await waitUntil(() => deepActive() === form.querySelector('#username'));
    type(form, '#username', 'lea');
    await element.updateComplete;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => account(element, 'lea'), 'the new account is listed');
    expect(bench.api.requestsTo('POST /api/admin/users')[1]!.body).to.deep.equal({
      username: 'lea',
      role: 'moderator',
      password: 'une phrase assez longue',
    });
  });

  it('changes a role, disables an account, and sets a new password', async () => {
    bench.api.answer('PATCH /api/admin/users/paul', (request) => {
      const changes = request.body as { role?: 'admin'; disabled?: boolean };
      const paul = bench.api.users.find((u) => u.username === 'paul')!;
      if (changes.role) paul.role = changes.role;
      if (changes.disabled !== undefined) paul.disabledAt = changes.disabled ? '2026-07-14T12:40:00.000Z' : null;
      return json({ user: paul });
    });
    const element = await renderUsers();
    const select = account(element, 'paul').querySelector('select')!;
    select.value = 'admin';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => bench.api.requestsTo('PATCH /api/admin/users/paul').length === 1);
    expect(bench.api.requestsTo('PATCH /api/admin/users/paul')[0]!.body).to.deep.equal({ role: 'admin' });
    await waitUntil(() => account(element, 'paul').textContent!.includes('Administrateur'));

    const disable = [...account(element, 'paul').querySelectorAll('button')].find((b) =>
      b.textContent!.includes('Désactiver'),
    )!;
    disable.click();
    await waitUntil(() => account(element, 'paul').textContent!.includes('désactivé'));
    expect(bench.api.requestsTo('PATCH /api/admin/users/paul')[1]!.body).to.deep.equal({ disabled: true });

    [...account(element, 'paul').querySelectorAll('button')]
      .find((b) => b.textContent!.includes('Changer le mot de passe'))!
      .click();
    const field = await inside<HTMLInputElement>(element, '#password-paul');
    await waitUntil(() => deepActive() === field);
    type(account(element, 'paul'), '#password-paul', 'un nouveau mot de passe');
    await element.updateComplete;
    account(element, 'paul').querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await waitUntil(() => bench.api.requestsTo('PATCH /api/admin/users/paul').length === 3);
    expect(bench.api.requestsTo('PATCH /api/admin/users/paul')[2]!.body).to.deep.equal({
      password: 'un nouveau mot de passe',
    });
  });

  it('says why the server refused a change, and shows the account as the server has it', async () => {
    bench.api.answer('PATCH /api/admin/users/marie', () => apiError(409, 'the last admin cannot be demoted'));
    const element = await renderUsers();
    const select = account(element, 'marie').querySelector('select')!;
    select.value = 'moderator';
    select.dispatchEvent(new Event('change'));
    const alert = shadowOf(element).querySelector('[role="alert"]')!;
    await waitUntil(() => alert.textContent === 'the last admin cannot be demoted');
    await waitUntil(() => account(element, 'marie').querySelector('select')!.value === 'admin');
  });
});

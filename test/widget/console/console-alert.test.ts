/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ConsoleAlert } from '../../../widget/console/console-alert.js';
import { deepActive, inside, shadowOf, signIn, useConsoleBench } from './helpers/console-fixture.js';

const bench = useConsoleBench();

async function renderAlert(): Promise<ConsoleAlert> {
  signIn(bench);
  const element = await fixture<ConsoleAlert>(
    html`<console-alert
      .api=${bench.client}
      .environment=${bench.environment}
      feed-id="saint-etienne"
      feed-title="Fête du livre"
    ></console-alert>`,
  );
  await inside(element, '.current p:not([aria-busy])');
  return element;
}

async function write(element: ConsoleAlert, text: string): Promise<void> {
  const field = shadowOf(element).querySelector<HTMLTextAreaElement>('#text')!;
  field.value = text;
  field.dispatchEvent(new Event('input'));
  await element.updateComplete;
}

function raise(element: ConsoleAlert): HTMLButtonElement {
  const button = shadowOf(element).querySelector<HTMLButtonElement>('button.raise')!;
  button.focus();
  button.click();
  return button;
}

const ORAGE = 'Orage : le site est évacué, suivez les consignes des agents';

describe('<console-alert>', () => {
  it('previews the banner as the widget draws it, without announcing it while it is typed', async () => {
    const element = await renderAlert();
    expect(shadowOf(element).querySelector('.current')!.textContent).to.contain('Aucune alerte en cours.');
    await write(element, ORAGE);
    const preview = shadowOf(element).querySelector('form .banner')!;
    expect(preview.getAttribute('aria-hidden')).to.equal('true');
    const banner = preview.querySelector('[part="alert"]')!;
    expect(banner.querySelector('.alert-label')!.textContent).to.equal('Alerte urgente');
    expect(banner.querySelector('.alert-text')!.textContent).to.equal(ORAGE);
  });

  it('asks before raising the alert; "Annuler" sends nothing', async () => {
    const element = await renderAlert();
    await write(element, ORAGE);
    const button = raise(element);
    const confirm = shadowOf(element).querySelector('console-confirm')!;
    const dialog = await inside<HTMLDialogElement>(confirm, 'dialog[open]');
    expect(dialog.querySelector('h2')!.textContent).to.equal("Déclencher l'alerte urgente ?");
    expect(dialog.querySelector('p')!.textContent).to.equal(
      `« ${ORAGE} » s'affichera immédiatement sur tous les écrans de « Fête du livre ».`,
    );
    dialog.querySelector<HTMLButtonElement>('button.cancel')!.click();
    await waitUntil(() => !dialog.open);
    expect(deepActive()).to.equal(button);
    expect(bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/alert')).to.have.length(0);
  });

  it('raises the alert once confirmed, shows it in force, and withdraws it in one tap', async () => {
    const element = await renderAlert();
    await write(element, ORAGE);
    raise(element);
    const confirm = shadowOf(element).querySelector('console-confirm')!;
    const dialog = await inside<HTMLDialogElement>(confirm, 'dialog[open]');
    dialog.querySelector<HTMLButtonElement>('button.confirm')!.click();
    await waitUntil(() => bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/alert').length === 1);
    expect(bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/alert')[0]!.body).to.deep.equal({ text: ORAGE });
    const status = shadowOf(element).querySelector('[role="status"]')!;
    await waitUntil(() => status.textContent === 'Alerte déclenchée.');
    const current = shadowOf(element).querySelector('.current')!;
    await waitUntil(() => current.querySelector('.alert-text')?.textContent === ORAGE, 'the alert in force');
    await waitUntil(() => deepActive() === current.querySelector('h2'));
    current.querySelector<HTMLButtonElement>('button')!.click();
    await waitUntil(() => status.textContent === 'Alerte retirée.');
    expect(bench.api.requestsTo('DELETE /api/admin/feeds/saint-etienne/alert')).to.have.length(1);
    await waitUntil(() => current.textContent!.includes('Aucune alerte en cours.'));
  });

  it('refuses to raise an empty alert, and says so at the field', async () => {
    const element = await renderAlert();
    raise(element);
    const error = await inside(element, '#text-error');
    await waitUntil(() => error.textContent === 'Ce champ est obligatoire.');
    expect(shadowOf(element).querySelector('console-confirm dialog[open]')).to.equal(null);
  });
});

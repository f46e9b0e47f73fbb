/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ConsoleAudit } from '../../../widget/console/console-audit.js';
import { FakeEventSource } from '../helpers/fakes.js';
import { NOW, deepActive, inside, shadowOf, signIn, useConsoleBench } from './helpers/console-fixture.js';

const bench = useConsoleBench();

async function renderAudit(): Promise<ConsoleAudit> {
  signIn(bench);
  // Two decisions to log: one undoable, one an alert.
  await bench.client.decide('saint-etienne', '1003', 'hide');
  await bench.client.raiseAlert('saint-etienne', { text: 'Orage' });
  bench.api.audit[0]!.reason = 'insulte';
  const element = await fixture<ConsoleAudit>(
    html`<console-audit .api=${bench.client} .environment=${bench.environment} feed-id="saint-etienne"></console-audit>`,
  );
  await inside(element, 'li[data-audit-id]');
  return element;
}

describe('<console-audit>', () => {
  it('lists who did what, when and why, newest first', async () => {
    const element = await renderAudit();
    const entries = [...shadowOf(element).querySelectorAll('li[data-audit-id]')];
    expect(entries.map((e) => e.querySelector('.summary')!.textContent)).to.deep.equal([
      'Alerte déclenchée : Orage',
      'hide 1003',
    ]);
    const hide = entries[1]!;
    expect(hide.querySelector('.meta')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'à l’instant · par marie'.replace('à l’instant', hide.querySelector('time')!.textContent!),
    );
    expect(hide.querySelector('time')!.getAttribute('datetime')).to.equal(new Date(NOW).toISOString());
    expect(hide.textContent).to.contain('Motif : insulte');
    expect(entries[0]!.querySelector('button')).to.equal(null);
  });

  it('undoes an entry that can be undone, and marks it undone', async () => {
    const element = await renderAudit();
    const hide = shadowOf(element).querySelector<HTMLElement>('li[data-audit-id="1"]')!;
    const undo = hide.querySelector('button')!;
    expect(undo.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Annuler hide 1003');
    undo.click();
    await waitUntil(() => bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/audit/1/undo').length === 1);
    await waitUntil(() => hide.classList.contains('undone'));
    expect(hide.textContent).to.contain('Annulée');
    expect(hide.querySelector('button')).to.equal(null);
    expect(shadowOf(element).querySelector('[role="status"]')!.textContent).to.equal('Action annulée');
    await waitUntil(() => deepActive() === hide);
  });

  it("adds new entries live from the organisers' stream", async () => {
    const element = await renderAudit();
    await waitUntil(() => FakeEventSource.current);
    const source = FakeEventSource.current!;
    source.open();
    source.emit('audit', {
      id: 9,
      at: new Date(NOW).toISOString(),
      actor: 'paul',
      action: 'approve',
      postId: '2001',
      reason: null,
      summary: 'Publication approuvée',
      undoneBy: null,
      undoable: true,
    });
    await element.updateComplete;
    expect(shadowOf(element).querySelector('li[data-audit-id]')!.getAttribute('data-audit-id')).to.equal('9');
  });
});

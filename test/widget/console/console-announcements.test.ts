/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ConsoleAnnouncements } from '../../../widget/console/console-announcements.js';
import { announcement } from '../helpers/fixture-feed.js';
import { apiError } from './helpers/fake-admin-api.js';
import {
  deepActive,
  inside,
  queueItem,
  sampleQueue,
  shadowOf,
  signIn,
  useConsoleBench,
} from './helpers/console-fixture.js';

const bench = useConsoleBench();

async function renderAnnouncements(): Promise<ConsoleAnnouncements> {
  signIn(bench);
  const element = await fixture<ConsoleAnnouncements>(
    html`<console-announcements
      .api=${bench.client}
      .environment=${bench.environment}
      feed-id="saint-etienne"
      organiser-name="Mairie de Saint-Étienne"
    ></console-announcements>`,
  );
  await waitUntil(() => bench.api.requestsTo('GET /api/admin/feeds/saint-etienne/announcements').length === 1);
  await inside(element, '.list p, .list li');
  return element;
}

function textarea(element: ConsoleAnnouncements): HTMLTextAreaElement {
  return shadowOf(element).querySelector<HTMLTextAreaElement>('#markup')!;
}

async function write(element: ConsoleAnnouncements, markup: string): Promise<void> {
  textarea(element).value = markup;
  textarea(element).dispatchEvent(new Event('input'));
  await element.updateComplete;
}

const preview = (element: ConsoleAnnouncements) => shadowOf(element).querySelector('.preview article')!;

describe('<console-announcements>', () => {
  it("previews the announcement with the widget's post view and sanitizer, as the wall will show it", async () => {
    const element = await renderAnnouncements();
    await write(element, 'Feu d’artifice à **22 h 30**\n[Le programme](https://www.saint-etienne.fr/14-juillet)');
    const article = preview(element);
    expect(article.querySelector('[part~="announcement"]')!.textContent!.trim()).to.equal('Annonce des organisateurs');
    expect(article.querySelector('[part~="pinned"]')!.textContent!.trim()).to.equal('Épinglé');
    expect(article.querySelector('[part~="author-name"]')!.textContent!.trim()).to.equal('Mairie de Saint-Étienne');
    const text = article.querySelector('[part~="text"]')!;
    expect(text.querySelector('strong')!.textContent).to.equal('22 h 30');
    const link = text.querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('https://www.saint-etienne.fr/14-juillet');
    expect(link.getAttribute('rel')).to.equal('noopener noreferrer nofollow ugc');
    expect(text.querySelector('br')).to.exist;
  });

  it('bolds the selection from the toolbar, and gives the focus back to the text', async () => {
    const element = await renderAnnouncements();
    await write(element, 'Un beau soir');
    textarea(element).setSelectionRange(3, 7);
    const bold = [...shadowOf(element).querySelectorAll<HTMLButtonElement>('[role="toolbar"] button')][0]!;
    expect(bold.textContent!.trim()).to.equal('Gras');
    bold.click();
    await waitUntil(() => textarea(element).value === 'Un **beau** soir');
    expect(deepActive()).to.equal(textarea(element));
    expect([textarea(element).selectionStart, textarea(element).selectionEnd]).to.deep.equal([5, 9]);
    expect(preview(element).querySelector('strong')!.textContent).to.equal('beau');
  });

  it('publishes the HTML, pinned or placed in time, with an expiry', async () => {
    const element = await renderAnnouncements();
    await write(element, 'Buvette **ouverte**');
    shadowOf(element).querySelector<HTMLInputElement>('#pinned')!.click();
    await element.updateComplete;
    const at = await inside<HTMLInputElement>(element, '#at');
    at.value = '2026-07-14T15:00';
    at.dispatchEvent(new Event('input'));
    const expires = shadowOf(element).querySelector<HTMLInputElement>('#expiresAt')!;
    expires.value = '2026-07-14T23:00';
    expires.dispatchEvent(new Event('input'));
    await element.updateComplete;
    shadowOf(element).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/announcements').length === 1);
    const body = bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/announcements')[0]!.body as Record<
      string,
      string
    >;
    expect(body.html).to.equal('<p>Buvette <strong>ouverte</strong></p>');
    expect(body.pinned).to.equal(false);
    // Local times go with the browser's offset (Paris in summer in these tests).
    expect(body.at).to.equal('2026-07-14T15:00:00+02:00');
    expect(body.expiresAt).to.equal('2026-07-14T23:00:00+02:00');
    const status = shadowOf(element).querySelector('[role="status"]')!;
    await waitUntil(() => status.textContent === 'Annonce publiée.');
    await waitUntil(() => shadowOf(element).querySelector('.list li'), 'the new announcement is listed');
    expect(textarea(element).value).to.equal('');
  });

  it('edits an announcement from what it stored, and deletes one after asking', async () => {
    bench.api.queues.set('saint-etienne', [...sampleQueue(), queueItem(announcement, { reason: 'organiser' })]);
    const element = await renderAnnouncements();
    const item = await inside(element, `.list li[data-post-id="${announcement.id}"]`);
    const [edit, remove] = [...item.querySelectorAll<HTMLButtonElement>('button')];
    expect(edit!.textContent!.replace(/\s+/g, ' ').trim()).to.match(/^Modifier l'annonce « Feu d’artifice/);
    edit!.click();
    await waitUntil(() => textarea(element).value.startsWith('Feu d’artifice à **22 h 30**'));
    expect(textarea(element).value).to.contain('[Le programme](https://www.saint-etienne.fr/14-juillet)');
    expect(shadowOf(element).querySelector('#editor-title')!.textContent).to.equal("Modifier l'annonce");
    shadowOf(element).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(
      () => bench.api.requestsTo(`PUT /api/admin/feeds/saint-etienne/announcements/${announcement.id}`).length === 1,
    );

    remove!.focus();
    remove!.click();
    const confirm = shadowOf(element).querySelector('console-confirm')!;
    const dialog = await inside<HTMLDialogElement>(confirm, 'dialog[open]');
    dialog.querySelector<HTMLButtonElement>('button.confirm')!.click();
    await waitUntil(
      () => bench.api.requestsTo(`DELETE /api/admin/feeds/saint-etienne/announcements/${announcement.id}`).length === 1,
    );
  });

  it('puts an error about the markup next to the text', async () => {
    bench.api.answer('POST /api/admin/feeds/saint-etienne/announcements', () =>
      apiError(400, 'html: must be at most 5000 characters'),
    );
    const element = await renderAnnouncements();
    await write(element, 'Trop long');
    shadowOf(element).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const error = await inside(element, '#markup-error');
    await waitUntil(() => error.textContent === 'must be at most 5000 characters');
    await waitUntil(() => deepActive() === textarea(element));
  });
});

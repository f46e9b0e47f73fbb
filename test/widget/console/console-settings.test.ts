/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { FeedSettings, FeedSummary } from '../../../widget/console/api-types.js';
import type { ConsoleSettings } from '../../../widget/console/console-settings.js';
import { apiError } from './helpers/fake-admin-api.js';
import {
  NOW,
  deepActive,
  feedSettings,
  feedSummary,
  inside,
  shadowOf,
  signIn,
  useConsoleBench,
} from './helpers/console-fixture.js';

const bench = useConsoleBench();

async function renderSettings(feed: FeedSummary | undefined): Promise<ConsoleSettings> {
  signIn(bench);
  return fixture<ConsoleSettings>(
    html`<console-settings .api=${bench.client} .feed=${feed} .now=${() => NOW}></console-settings>`,
  );
}

function field<T extends HTMLElement = HTMLInputElement>(element: ConsoleSettings, id: string): T {
  return shadowOf(element).querySelector<T>(`#${id}`)!;
}

function type(element: ConsoleSettings, id: string, value: string): void {
  const control = field<HTMLInputElement | HTMLTextAreaElement>(element, id);
  control.value = value;
  control.dispatchEvent(new Event('input'));
}

async function save(element: ConsoleSettings): Promise<void> {
  await element.updateComplete;
  shadowOf(element).querySelector<HTMLButtonElement>('button.save')!.click();
}

describe('<console-settings>', () => {
  it("fills the form with the feed's settings", async () => {
    const element = await renderSettings(feedSummary());
    expect(field(element, 'title').value).to.equal('Fête du livre');
    expect(field(element, 'hashtags').value).to.equal('#FeteDuLivre');
    expect(field(element, 'sources-0').value).to.equal('saint_etienne_');
    expect(shadowOf(element).querySelector('label[for="sources-0"]')!.textContent).to.equal('Comptes X suivis');
    expect(field(element, 'blockedTerms').value).to.equal('abruti');
    expect(field(element, 'reposts').checked).to.equal(true);
    expect(field(element, 'replies').checked).to.equal(false);
    expect(shadowOf(element).querySelector<HTMLInputElement>('input[name="mode"][value="post"]')!.checked).to.equal(
      true,
    );
  });

  it('says where the settings come from: the config file, and when they were taken from it', async () => {
    // 07:00 UTC: 9 h 00 in Paris in summer, the tests' time zone.
    const element = await renderSettings(feedSummary({ fileAppliedAt: '2026-07-14T07:00:00Z' }));
    const origin = await inside(element, '.origin');
    expect(origin.querySelector('h2')!.textContent).to.equal("D'où viennent ces réglages");
    expect(origin.textContent).to.contain('Ce flux vient du fichier de configuration');
    expect(origin.textContent).to.contain("le fichier l'emporte au démarrage suivant");
    expect(origin.querySelector('.notice')!.textContent).to.equal(
      'Réglages repris du fichier de configuration le 14 juil. à 9 h 00.',
    );
    expect(origin.querySelector('.hint')!.textContent).to.contain('par config-file');
    const console = await renderSettings(feedSummary({ origin: 'console', updatedBy: 'marie' }));
    expect((await inside(console, '.origin')).textContent).to.contain('Ces réglages sont ceux de la console');
    expect(shadowOf(console).querySelector('.origin .notice')).to.equal(null);
  });

  it('sends the full settings, with what the form does not show kept as it was', async () => {
    const feed = feedSummary({ settings: feedSettings({ pollSeconds: 120 }) });
    const element = await renderSettings(feed);
    type(element, 'hashtags', '#FeteDuLivre, Salon2026');
    type(element, 'blockedTerms', 'abruti\ncasse toi\n');
    shadowOf(element).querySelector<HTMLInputElement>('input[name="mode"][value="pre"]')!.click();
    type(element, 'minAccountAgeDays', '7');
    const changed = oneEvent(element, 'console-feeds-changed');
    await save(element);
    await changed;
    const [request] = bench.api.requestsTo('PUT /api/admin/feeds/saint-etienne');
    const sent = request!.body as FeedSettings;
    expect(sent.hashtags).to.deep.equal(['#FeteDuLivre', 'Salon2026']);
    expect(sent.moderation.blockedTerms).to.deep.equal(['abruti', 'casse toi']);
    expect(sent.moderation.mode).to.equal('pre');
    expect(sent.moderation.minAccountAgeDays).to.equal(7);
    expect(sent.pollSeconds).to.equal(120);
    expect(sent.id).to.equal('saint-etienne');
    expect(sent.state).to.equal('active');
    expect(shadowOf(element).querySelector('[role="status"]')!.textContent).to.equal(
      'Réglages enregistrés. Ils prennent effet au prochain relevé.',
    );
  });

  it('sends the sites allowed to show the feed, and leaves the key out when the list is emptied', async () => {
    const element = await renderSettings(feedSummary({ settings: feedSettings({ allowedOrigins: ['https://a.fr'] }) }));
    expect(field<HTMLTextAreaElement>(element, 'allowedOrigins').value).to.equal('https://a.fr');
    const puts = () => bench.api.requestsTo('PUT /api/admin/feeds/saint-etienne');
    type(element, 'allowedOrigins', 'https://www.ville.fr\nhttps://agenda.ville.fr');
    await save(element);
    await waitUntil(() => puts().length === 1 && !!shadowOf(element).querySelector('[role="status"]')?.textContent);
    type(element, 'allowedOrigins', '');
    await save(element);
    await waitUntil(() => puts().length === 2);
    const [listed, emptied] = puts().map((r) => r.body as FeedSettings);
    expect(listed!.allowedOrigins).to.deep.equal(['https://www.ville.fr', 'https://agenda.ville.fr']);
    expect('allowedOrigins' in emptied!).to.equal(false);
  });

  it("shows the server's error next to the field it names, with the item, and moves the focus there", async () => {
    bench.api.answer('PUT /api/admin/feeds/saint-etienne', () =>
      apiError(400, 'moderation.blockedTerms[1]: must be at most 100 characters'),
    );
    const element = await renderSettings(feedSummary());
    type(element, 'blockedTerms', `abruti\n${'x'.repeat(101)}`);
    await save(element);
    const error = await inside(element, '#blockedTerms-error');
    await waitUntil(() => error.textContent === 'Élément n° 2 : must be at most 100 characters');
    const control = field<HTMLTextAreaElement>(element, 'blockedTerms');
    expect(control.getAttribute('aria-invalid')).to.equal('true');
    expect(control.getAttribute('aria-describedby')).to.equal('blockedTerms-hint blockedTerms-error');
    await waitUntil(() => deepActive() === control);
    // Other fields stay as they were.
    expect(field(element, 'title').getAttribute('aria-invalid')).to.equal('false');
  });

  for (const [path, id] of [
    ['title', 'title'],
    ['eventWindow.end', 'windowEnd'],
    ['sources[0].accounts[2]', 'sources-0'],
    ['display.languages[0]', 'languages'],
    ['moderation.minAccountAgeDays', 'minAccountAgeDays'],
    ['allowedOrigins[1]', 'allowedOrigins'],
  ] as const) {
    it(`puts an error on ${path} next to #${id}`, async () => {
      bench.api.answer('PUT /api/admin/feeds/saint-etienne', () => apiError(400, `${path}: is wrong`));
      const element = await renderSettings(feedSummary());
      await save(element);
      const error = await inside(element, `#${id}-error`);
      await waitUntil(() => error.textContent!.endsWith('is wrong'));
    });
  }

  it('shows an error that names no field of the form above it', async () => {
    bench.api.answer('PUT /api/admin/feeds/saint-etienne', () => apiError(403, 'this action needs the admin role'));
    const element = await renderSettings(feedSummary());
    await save(element);
    const alert = await inside(element, 'form [role="alert"]');
    await waitUntil(() => alert.textContent === 'Réservé aux administrateurs.');
  });

  it('asks before archiving a feed, and sends nothing when the organiser says no', async () => {
    const element = await renderSettings(feedSummary());
    const archive = [...shadowOf(element).querySelectorAll<HTMLButtonElement>('.state button')].find(
      (b) => b.textContent!.trim() === 'Archiver',
    )!;
    // A tap focuses the button it lands on.
    archive.focus();
    archive.click();
    const confirm = shadowOf(element).querySelector('console-confirm')!;
    const dialog = await inside<HTMLDialogElement>(confirm, 'dialog[open]');
    expect(dialog.querySelector('h2')!.textContent).to.equal('Archiver ce flux ?');
    await waitUntil(() => deepActive() === dialog.querySelector('button.cancel'), 'the focus is on "Annuler"');
    dialog.querySelector<HTMLButtonElement>('button.cancel')!.click();
    await waitUntil(() => !dialog.open);
    expect(bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/state')).to.have.length(0);
    expect(deepActive()).to.equal(archive);

    archive.click();
    await waitUntil(() => dialog.open);
    dialog.querySelector<HTMLButtonElement>('button.confirm')!.click();
    await waitUntil(() => bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/state').length === 1);
    expect(bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/state')[0]!.body).to.deep.equal({
      state: 'archived',
    });
  });

  it('creates a feed with an identifier and a network', async () => {
    const element = await renderSettings(undefined);
    type(element, 'title', 'Salon de Roanne');
    type(element, 'id', 'roanne');
    shadowOf(element).querySelector<HTMLInputElement>('input[name="network"][value="demo"]')!.click();
    const created = oneEvent(element, 'console-feeds-changed');
    await save(element);
    expect((await created).detail.feedId).to.equal('roanne');
    const sent = bench.api.requestsTo('POST /api/admin/feeds')[0]!.body as FeedSettings;
    expect(sent.id).to.equal('roanne');
    expect(sent.sources).to.deep.equal([{ network: 'demo', accounts: [] }]);
    expect(shadowOf(element).querySelector('.origin')).to.equal(null);
  });
});

/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ConsoleQueue } from '../../../widget/console/console-queue.js';
import type { ConsoleSnackbar } from '../../../widget/console/console-snackbar.js';
import { FakeEventSource } from '../helpers/fakes.js';
import { makePost, warned } from '../helpers/fixture-feed.js';
import { apiError } from './helpers/fake-admin-api.js';
import { deepActive, inside, queueItem, settle, shadowOf, signIn, useConsoleBench } from './helpers/console-fixture.js';

const bench = useConsoleBench();

async function renderQueue(): Promise<ConsoleQueue> {
  signIn(bench);
  const element = await fixture<ConsoleQueue>(
    html`<console-queue .api=${bench.client} .environment=${bench.environment} feed-id="saint-etienne"></console-queue>`,
  );
  await inside(element, 'li[data-post-id]');
  return element;
}

const cardIds = (element: ConsoleQueue) =>
  [...shadowOf(element).querySelectorAll('li[data-post-id]')].map((card) => card.getAttribute('data-post-id'));

function card(element: ConsoleQueue, id: string): HTMLElement {
  return shadowOf(element).querySelector<HTMLElement>(`li[data-post-id="${id}"]`)!;
}

function actionButton(element: ConsoleQueue, id: string, action: string): HTMLButtonElement {
  return card(element, id).querySelector<HTMLButtonElement>(`button[data-action="${action}"]`)!;
}

function snackbar(element: ConsoleQueue): ConsoleSnackbar {
  return shadowOf(element).querySelector('console-snackbar')!;
}

const snackbarText = (element: ConsoleQueue) =>
  [...shadowOf(snackbar(element)).querySelectorAll('.text')].map((p) => p.textContent?.trim()).join('');

describe('<console-queue>', () => {
  it('asks for what there is to moderate and shows held posts first, then the newest', async () => {
    const element = await renderQueue();
    const [request] = bench.api.requestsTo('GET /api/admin/feeds/saint-etienne/queue');
    expect(request!.query.get('visibility')).to.equal('held,shown,hidden');
    expect(cardIds(element)).to.deep.equal(['2001', '1003', '2000']);
    const held = card(element, '2001');
    expect(held.querySelector('.badge')!.textContent!.trim()).to.equal('À décider');
    expect(held.querySelector('.reason')!.textContent!.trim()).to.equal('compte trop récent');
    // Held: approve or hide; shown: hide or pin.
    expect([...held.querySelectorAll('button')].map((b) => b.dataset.action)).to.deep.equal(['approve', 'hide']);
    expect([...card(element, '1003').querySelectorAll('button')].map((b) => b.dataset.action)).to.deep.equal([
      'hide',
      'pin',
    ]);
  });

  it('hides a post in one tap, says so with an undo, and moves the focus to the next post', async () => {
    const element = await renderQueue();
    actionButton(element, '1003', 'hide').click();
    await waitUntil(() => snackbarText(element) === 'Publication masquée', 'the snackbar says what was done');
    const [request] = bench.api.requestsTo('POST /api/admin/feeds/saint-etienne/posts/1003/decision');
    expect(request!.body).to.deep.equal({ action: 'hide' });
    expect(request!.headers.get('content-type')).to.equal('application/json');
    // The card stays where it was, marked hidden, with the action that makes sense now.
    expect(cardIds(element)).to.deep.equal(['2001', '1003', '2000']);
    expect(card(element, '1003').querySelector('.badge')!.textContent!.trim()).to.equal('Masquée');
    expect(card(element, '1003').querySelector('.decided')!.textContent).to.contain('par marie');
    expect(actionButton(element, '1003', 'unhide')).to.exist;
    await waitUntil(() => deepActive() === card(element, '2000').querySelector('article'), 'focus on the next post');
    const undo = shadowOf(snackbar(element)).querySelector<HTMLButtonElement>('button.action')!;
    expect(undo.textContent!.trim()).to.equal('Annuler');
    expect(undo.getAttribute('aria-label')).to.equal('Annuler : publication masquée');
  });

  it('undoes the last action from the snackbar, and gives the post back its place and the focus', async () => {
    const element = await renderQueue();
    actionButton(element, '2001', 'approve').click();
    await waitUntil(() => snackbarText(element) === 'Publication approuvée');
    expect(card(element, '2001').querySelector('.badge')!.textContent!.trim()).to.equal('Affichée');
    shadowOf(snackbar(element)).querySelector<HTMLButtonElement>('button.action')!.click();
    await waitUntil(() => snackbarText(element) === 'Action annulée', 'the undo is confirmed');
    const auditId = bench.api.audit.find((entry) => entry.action === 'approve')!.id;
    expect(bench.api.requestsTo(`POST /api/admin/feeds/saint-etienne/audit/${auditId}/undo`)).to.have.length(1);
    expect(card(element, '2001').querySelector('.badge')!.textContent!.trim()).to.equal('À décider');
    await waitUntil(() => deepActive() === card(element, '2001').querySelector('article'), 'focus on the post');
  });

  it('lets the snackbar leave by itself after 10 s, but not while it has the focus; "Fermer" gives the focus back', async () => {
    const element = await renderQueue();
    actionButton(element, '1003', 'hide').click();
    await waitUntil(() => snackbarText(element) === 'Publication masquée');
    bench.timers.advance(10_000);
    await waitUntil(() => snackbarText(element) === '', 'gone after 10 s');

    actionButton(element, '1003', 'unhide').click();
    await waitUntil(() => snackbarText(element) === 'Publication réaffichée');
    const bar = snackbar(element);
    const undo = shadowOf(bar).querySelector<HTMLButtonElement>('button.action')!;
    undo.focus();
    bench.timers.advance(60_000);
    await bar.updateComplete;
    expect(snackbarText(element)).to.equal('Publication réaffichée');
    shadowOf(bar).querySelector<HTMLButtonElement>('button.close')!.click();
    await waitUntil(() => snackbarText(element) === '');
    await waitUntil(() => deepActive() === card(element, '1003').querySelector('article'), 'focus back on the post');
  });

  it('pins a shown post, and offers to unpin it', async () => {
    const element = await renderQueue();
    actionButton(element, '1003', 'pin').click();
    await waitUntil(() => snackbarText(element) === 'Publication épinglée');
    expect(actionButton(element, '1003', 'unpin')).to.exist;
    expect(card(element, '1003').querySelector('[part~="pinned"]')).to.exist;
  });

  it('shows a failed action assertively, and tries it again from the snackbar', async () => {
    const element = await renderQueue();
    let calls = 0;
    bench.api.answer('POST /api/admin/feeds/saint-etienne/posts/1003/decision', () => {
      calls++;
      return calls === 1 ? apiError(500, 'boom') : new Response(JSON.stringify({ item: null, auditId: null }));
    });
    actionButton(element, '1003', 'hide').click();
    const alert = await inside(snackbar(element), '[role="alert"]');
    await waitUntil(() => alert.textContent!.includes('Le serveur a rencontré une erreur'));
    const retry = shadowOf(snackbar(element)).querySelector<HTMLButtonElement>('button.action')!;
    expect(retry.textContent!.trim()).to.equal('Réessayer');
    retry.click();
    await waitUntil(() => calls === 2, 'the action is sent again');
  });

  it('lets a new post wait behind a button, announced politely, until the organiser shows it', async () => {
    const element = await renderQueue();
    await waitUntil(() => FakeEventSource.current, 'the stream opens');
    const source = FakeEventSource.current!;
    expect(source.url).to.equal('/api/admin/feeds/saint-etienne/events');
    source.open();
    const arriving = queueItem(makePost('3000', '2026-07-14T12:39:00Z', 'Tout juste arrivé'), {
      visibility: 'held',
      reason: 'mode-pre',
    });
    source.emit('queue', arriving, 7);
    await element.updateComplete;
    // Nothing moved under the organiser's thumb.
    expect(cardIds(element)).to.deep.equal(['2001', '1003', '2000']);
    const status = shadowOf(element).querySelector('[role="status"][aria-live="polite"]')!;
    expect(status.textContent!.trim()).to.equal('1 nouvelle publication, dont 1 à décider');
    const show = shadowOf(element).querySelector<HTMLButtonElement>('button.waiting')!;
    expect(show.textContent!.trim()).to.equal('Afficher 1 nouvelle publication');
    show.click();
    await waitUntil(() => cardIds(element)[0] === '3000', 'the new post is on top');
    await waitUntil(() => deepActive() === card(element, '3000').querySelector('article'));
    expect(shadowOf(element).querySelector('button.waiting')).to.equal(null);
  });

  it('shows organisers a post behind a content warning with the warning and what it covers', async () => {
    const element = await renderQueue();
    await waitUntil(() => FakeEventSource.current);
    const source = FakeEventSource.current!;
    source.open();
    source.emit('queue', queueItem(warned, { visibility: 'held', reason: 'mode-pre' }), 7);
    await element.updateComplete;
    shadowOf(element).querySelector<HTMLButtonElement>('button.waiting')!.click();
    await waitUntil(() => card(element, warned.id), 'the post is listed');
    const post = card(element, warned.id);
    expect(post.querySelector('[part~="content-warning"]')!.textContent).to.contain('Blessure, sang');
    expect(post.querySelector('.text')!.textContent).to.equal(warned.text);
    // Nothing to open, and its sensitive picture stays blurred until asked.
    expect(post.querySelector('[part~="open-warning"]')).to.equal(null);
    expect(post.querySelector('.media-list')!.classList.contains('sensitive-hidden')).to.equal(true);
  });

  it('updates a post in place when another organiser decides on it', async () => {
    const element = await renderQueue();
    await waitUntil(() => FakeEventSource.current);
    const source = FakeEventSource.current!;
    source.open();
    const item = bench.api.queues.get('saint-etienne')!.find((i) => i.post.id === '2001')!;
    source.emit('queue', {
      ...item,
      visibility: 'hidden',
      decision: 'hidden',
      decidedBy: 'paul',
      decidedAt: item.storedAt,
    });
    await element.updateComplete;
    expect(cardIds(element)).to.deep.equal(['2001', '1003', '2000']);
    expect(card(element, '2001').querySelector('.badge')!.textContent!.trim()).to.equal('Masquée');
    source.emit('dequeue', { id: '2000' });
    await element.updateComplete;
    expect(cardIds(element)).to.deep.equal(['2001', '1003']);
  });

  it('opens the stream again after the server closed it, with backoff, and reloads the queue', async () => {
    const element = await renderQueue();
    await waitUntil(() => FakeEventSource.current);
    const first = FakeEventSource.current!;
    first.open();
    await element.updateComplete;
    expect(shadowOf(element).querySelector('.stream')!.textContent!.trim()).to.equal('En direct');
    const loads = bench.api.requestsTo('GET /api/admin/feeds/saint-etienne/queue').length;
    first.fail(true);
    await element.updateComplete;
    expect(first.closed).to.equal(true);
    expect(shadowOf(element).querySelector('.stream')!.textContent!.trim()).to.equal('Direct interrompu, reconnexion…');
    // The session is checked: a 401 there would send the console back to sign-in.
    await waitUntil(() => bench.api.requestsTo('GET /api/admin/session').length === 1);
    expect(FakeEventSource.current).to.equal(undefined);
    bench.timers.advance(1_000);
    const second = FakeEventSource.current!;
    expect(second).to.not.equal(first);
    second.open();
    await waitUntil(
      () => bench.api.requestsTo('GET /api/admin/feeds/saint-etienne/queue').length === loads + 1,
      'the queue is reloaded',
    );
    await element.updateComplete;
    expect(shadowOf(element).querySelector('.stream')!.textContent!.trim()).to.equal('En direct');
  });

  it('filters: "À décider" asks only for held posts', async () => {
    const element = await renderQueue();
    const held = [...shadowOf(element).querySelectorAll<HTMLButtonElement>('.filters button')].find(
      (b) => b.textContent!.trim() === 'À décider',
    )!;
    held.click();
    await waitUntil(() => cardIds(element).join() === '2001');
    const requests = bench.api.requestsTo('GET /api/admin/feeds/saint-etienne/queue');
    expect(requests[requests.length - 1]!.query.get('visibility')).to.equal('held');
    expect(held.getAttribute('aria-pressed')).to.equal('true');
  });

  it("reads held posts' images through the admin media route", async () => {
    const element = await renderQueue();
    const image = card(element, '1003').querySelector('img[part~="media"], figure img') as HTMLImageElement | null;
    expect(image).to.exist;
    bench.api.queues.set('saint-etienne', [
      queueItem(
        {
          ...makePost('4000', '2026-07-14T12:00:00Z'),
          media: [
            {
              kind: 'photo',
              url: '/media/pbs.twimg.com/media/a.jpg',
              previewUrl: '/media/pbs.twimg.com/media/a.jpg',
              alt: 'Une photo',
              width: 10,
              height: 10,
            },
          ],
        },
        { visibility: 'held' },
      ),
    ]);
    element.feedId = 'saint-etienne-2';
    bench.api.queues.set('saint-etienne-2', bench.api.queues.get('saint-etienne')!);
    await waitUntil(() => card(element, '4000'));
    await settle();
    expect(card(element, '4000').querySelector('figure img')!.getAttribute('src')).to.match(
      /\/api\/admin\/media\/pbs\.twimg\.com\/media\/a\.jpg$/,
    );
  });
});

/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/define.js';
import { CommuneFeed } from '../../widget/commune-feed.js';
import { browserEnvironment } from '../../widget/feed-connection.js';
import { FakeEventSource, FakeFeedServer, FakeTimers, fakeEnvironment } from './helpers/fakes.js';
import { NOW, fixtureSnapshot, makePost } from './helpers/fixture-feed.js';

afterEach(() => {
  CommuneFeed.environment = browserEnvironment;
});

/** DOM nodes added, removed or changed in the shadow root when one post arrives live and is shown. */
async function nodesTouchedByOnePost(shown: number, mode: 'list' | 'wall'): Promise<number> {
  FakeEventSource.reset();
  const posts = Array.from({ length: shown }, (_, i) =>
    makePost(String(1000 + i), new Date(NOW - (i + 1) * 60_000).toISOString()),
  );
  CommuneFeed.environment = fakeEnvironment(
    new FakeFeedServer(fixtureSnapshot({ posts, revision: 10 })),
    new FakeTimers(NOW),
  );
  const element = await fixture<CommuneFeed>(
    html`<commune-feed src="https://flux.example" feed="saint-etienne" mode=${mode} limit="100"></commune-feed>`,
  );
  const root = element.shadowRoot!;
  await waitUntil(() => root.querySelectorAll('[data-post-id]').length > 0, 'rendered');
  await waitUntil(() => FakeEventSource.current, 'stream opened');
  const source = FakeEventSource.current as FakeEventSource;
  source.open();
  await element.updateComplete;

  let touched = 0;
  const observer = new MutationObserver((records) => {
    for (const r of records) touched += r.type === 'childList' ? r.addedNodes.length + r.removedNodes.length : 1;
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
  source.emit('post', makePost('9999', new Date(NOW).toISOString(), 'Nouvelle publication'), 11);
  await element.updateComplete;
  const more = root.querySelector<HTMLButtonElement>('[part~="new-posts"]');
  more?.click();
  await element.updateComplete;
  observer.disconnect();
  element.remove();
  return touched;
}

describe('commune-feed: cost of a new post', () => {
  for (const mode of ['list', 'wall'] as const) {
    it(`touches as many DOM nodes with 40 posts shown as with 4 (${mode}, keyed repeat)`, async () => {
      const few = await nodesTouchedByOnePost(4, mode);
      const many = await nodesTouchedByOnePost(40, mode);
      expect(few).to.be.greaterThan(0);
      expect(many).to.equal(few);
    });
  }
});

describe('commune-feed: first paint', () => {
  it('renders the first posts within one frame of the snapshot arriving', async () => {
    FakeEventSource.reset();
    const server = new FakeFeedServer(fixtureSnapshot());
    server.hold = true;
    CommuneFeed.environment = fakeEnvironment(server, new FakeTimers(NOW));
    const element = await fixture<CommuneFeed>(
      html`<commune-feed src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    await waitUntil(() => server.requests.length > 0, 'the snapshot is requested');
    const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
    await frame();
    server.release();
    // The next frame's callbacks run before its paint: the posts must be in the DOM by then.
    await frame();
    expect(element.shadowRoot!.querySelectorAll('article[data-post-id]').length).to.equal(
      fixtureSnapshot().posts.length,
    );
    element.remove();
  });
});

/// <reference types="mocha" />
import { expect, html } from '@open-wc/testing';
import type { CommuneFeed } from '../../widget/commune-feed.js';
import { renderLive, shadow, shownIds, useFakeFeed } from './helpers/feed-fixture.js';
import { fireworks, fixtureSnapshot, hostile, makePost, pinned, repost } from './helpers/fixture-feed.js';

const feed = useFakeFeed();

function render(mode: string, lang = 'fr') {
  return renderLive(
    html`<commune-feed mode=${mode} lang=${lang} src="https://flux.example" feed="saint-etienne"></commune-feed>`,
  );
}

/** The "Épinglé" marks on screen, by post id (the ticker's hidden copy left out). */
function pinMarks(element: CommuneFeed): Record<string, string> {
  const marks: Record<string, string> = {};
  for (const mark of shadow(element).querySelectorAll('[part~="pinned"]')) {
    if (mark.closest('[aria-hidden="true"]')) continue;
    const id = mark.closest('article')?.getAttribute('data-post-id') ?? '';
    marks[id] = mark.textContent?.trim() ?? '';
  }
  return marks;
}

describe('pinned posts', () => {
  for (const mode of ['list', 'ticker', 'wall']) {
    it(`come first, marked "Épinglé", in ${mode} mode`, async () => {
      // The oldest post pinned, then a second one pinned later: it comes first.
      feed.server.publish(
        fixtureSnapshot({ posts: [pinned(repost, '2026-07-14T12:00:00Z'), fireworks, pinned(hostile)] }),
      );
      const { element } = await render(mode);
      expect(shownIds(element)).to.deep.equal([hostile.id, repost.id, fireworks.id]);
      expect(pinMarks(element)).to.deep.equal({ [hostile.id]: 'Épinglé', [repost.id]: 'Épinglé' });
      const mark = shadow(element).querySelector('[part~="pinned"]');
      expect(mark?.closest('[lang]')?.getAttribute('lang')).to.equal('fr');
      expect(mark?.getClientRects().length).to.be.greaterThan(0);
    });
  }

  it('moves a post pinned live to the top with its mark, and back to its place when unpinned', async () => {
    const { element, source } = await render('list');
    expect(shownIds(element)).to.deep.equal(['1003', '1002', '1001']);
    source.emit('post', pinned(repost), 42);
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1001', '1003', '1002']);
    expect(pinMarks(element)).to.deep.equal({ '1001': 'Épinglé' });
    // A pin moves a post the reader has seen: it never waits behind "new posts".
    expect(shadow(element).querySelector('[part~="new-posts"]')).to.equal(null);
    source.emit('post', repost, 43);
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1003', '1002', '1001']);
    expect(pinMarks(element)).to.deep.equal({});
  });

  it('keeps new posts below the pinned ones', async () => {
    feed.server.publish(fixtureSnapshot({ posts: [pinned(repost), fireworks] }));
    const { element, source } = await render('ticker');
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1001', '1004', '1003']);
  });

  it('says "Pinned" in English', async () => {
    feed.server.publish(fixtureSnapshot({ posts: [pinned(fireworks)] }));
    const { element } = await render('list', 'en');
    expect(pinMarks(element)).to.deep.equal({ '1003': 'Pinned' });
  });

  it('labels a pinned post shown large on the wall "À la une", not "Dernière publication"', async () => {
    feed.server.publish(fixtureSnapshot({ posts: [pinned(repost), fireworks] }));
    const { element, source } = await render('wall');
    const label = () => shadow(element).querySelector('.wall-label')?.textContent;
    expect(label()).to.equal('À la une');
    source.emit('post', repost, 42);
    await element.updateComplete;
    expect(label()).to.equal('Dernière publication');
  });
});

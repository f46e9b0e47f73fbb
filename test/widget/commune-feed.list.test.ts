/// <reference types="mocha" />
import { expect, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { CommuneFeedPauseEvent } from '../../widget/events.js';
import { axeViolations } from './helpers/axe.js';
import { button, renderLive, shadow, shownIds, useFakeFeed } from './helpers/feed-fixture.js';
import { fireworks, fixtureSnapshot, hostile, makePost } from './helpers/fixture-feed.js';

const feed = useFakeFeed();
const list = html`<commune-feed src="https://flux.example" feed="saint-etienne"></commune-feed>`;

function liveRegion(element: HTMLElement): string {
  const region = shadow(element).querySelector('[aria-live="polite"]');
  return region?.textContent?.trim() ?? '';
}

describe('list mode: new posts', () => {
  it('holds new posts behind "N nouvelles publications" instead of shifting the list', async () => {
    const { element, source } = await renderLive(list);
    const firstArticle = shadow(element).querySelector('article');
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    source.emit('post', makePost('1005', '2026-07-14T12:39:30Z'), 43);
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1003', '1002', '1001']);
    expect(shadow(element).querySelector('article')).to.equal(firstArticle);
    expect(button(element, 'new-posts').textContent?.trim()).to.equal('2 nouvelles publications');
  });

  it('shows the waiting posts on request and moves focus to the newest of them', async () => {
    const { element, source } = await renderLive(list);
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    await element.updateComplete;
    expect(button(element, 'new-posts').textContent?.trim()).to.equal('1 nouvelle publication');
    button(element, 'new-posts').click();
    await element.updateComplete;
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1004', '1003', '1002', '1001']);
    expect(shadow(element).querySelector('[part~="new-posts"]')).to.equal(null);
    expect(shadow(element).activeElement?.getAttribute('data-post-id')).to.equal('1004');
  });

  it('applies edits and removals of shown posts at once', async () => {
    const { element, source } = await renderLive(list);
    source.emit('post', { ...fireworks, text: 'Corrigé', entities: { hashtags: [], mentions: [], links: [] } }, 42);
    source.emit('remove', { id: hostile.id }, 43);
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1003', '1001']);
    expect(shadow(element).querySelector('article .text')?.textContent).to.equal('Corrigé');
    expect(shadow(element).querySelector('[part~="new-posts"]')).to.equal(null);
  });

  it('shows the first post of an empty feed at once', async () => {
    feed.server.publish(fixtureSnapshot({ posts: [] }));
    const { element, source } = await renderLive(list);
    expect(shadow(element).querySelector('[part="empty"]')).to.not.equal(null);
    source.emit('post', makePost('1', '2026-07-14T12:39:00Z'), 42);
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1']);
  });
});

describe('list mode: pause', () => {
  it('freezes the list while paused and catches up on play', async () => {
    const { element, source } = await renderLive(list);
    const pause = button(element, 'pause');
    expect(pause.textContent?.trim()).to.equal('Mettre en pause');
    const events: CommuneFeedPauseEvent[] = [];
    element.addEventListener('commune-feed-pause', (event) => events.push(event));
    pause.click();
    await element.updateComplete;
    expect(element.paused).to.equal(true);
    expect(element.hasAttribute('paused')).to.equal(true);
    expect(pause.textContent?.trim()).to.equal('Reprendre');
    expect(events.map((event) => [event.detail.paused, event.bubbles, event.composed])).to.deep.equal([
      [true, true, true],
    ]);

    source.emit('remove', { id: hostile.id }, 42);
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 43);
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1003', '1002', '1001']);
    expect(button(element, 'new-posts').textContent?.trim()).to.equal('1 nouvelle publication');

    pause.click();
    await element.updateComplete;
    expect(events.at(-1)?.detail.paused).to.equal(false);
    expect(shownIds(element)).to.deep.equal(['1003', '1001']);
  });

  it('shows the first snapshot when it starts paused', async () => {
    const { element, source } = await renderLive(
      html`<commune-feed paused src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    expect(shownIds(element)).to.deep.equal(['1003', '1002', '1001']);
    expect(button(element, 'pause').textContent?.trim()).to.equal('Reprendre');
    source.emit('remove', { id: hostile.id }, 42);
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1003', '1002', '1001']);
  });

  it('is reached and operated from the keyboard, with a visible focus ring', async () => {
    const { element } = await renderLive(list);
    const pause = button(element, 'pause');
    await sendKeys({ press: 'Tab' });
    expect(shadow(element).activeElement).to.equal(pause);
    const style = getComputedStyle(pause);
    expect(style.outlineStyle).to.equal('solid');
    expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(element.paused).to.equal(true);
    await sendKeys({ press: 'Space' });
    await element.updateComplete;
    expect(element.paused).to.equal(false);
  });
});

describe('list mode: announcements', () => {
  it('announces new posts politely, in one batch', async () => {
    const { element, source } = await renderLive(list);
    source.emit('post', makePost('a', '2026-07-14T12:39:00Z'), 42);
    source.emit('post', makePost('b', '2026-07-14T12:39:10Z'), 43);
    source.emit('post', makePost('c', '2026-07-14T12:39:20Z'), 44);
    await element.updateComplete;
    expect(liveRegion(element)).to.equal('');
    feed.timers.advance(1_500);
    await element.updateComplete;
    expect(liveRegion(element)).to.equal('3 nouvelles publications');
  });

  it('announces at most once every 10 seconds', async () => {
    const { element, source } = await renderLive(list);
    source.emit('post', makePost('a', '2026-07-14T12:39:00Z'), 42);
    feed.timers.advance(1_500);
    await element.updateComplete;
    expect(liveRegion(element)).to.equal('1 nouvelle publication');
    source.emit('post', makePost('b', '2026-07-14T12:39:10Z'), 43);
    feed.timers.advance(5_000);
    await element.updateComplete;
    // Cleared after 5 s, and the next one waits for the 10 s gap.
    expect(liveRegion(element)).to.equal('');
    source.emit('post', makePost('c', '2026-07-14T12:39:20Z'), 44);
    feed.timers.advance(4_999);
    await element.updateComplete;
    // 9.999 s after the first announcement: still quiet.
    expect(liveRegion(element)).to.equal('');
    feed.timers.advance(1);
    await element.updateComplete;
    expect(liveRegion(element)).to.equal('2 nouvelles publications');
  });

  it('does not announce edits', async () => {
    const { element, source } = await renderLive(list);
    source.emit('post', { ...fireworks, edited: true }, 42);
    feed.timers.advance(20_000);
    await element.updateComplete;
    expect(liveRegion(element)).to.equal('');
  });

  it('has no WCAG 2.2 AA violation with posts waiting, paused, and with reduced motion', async () => {
    const { element, source } = await renderLive(list);
    source.emit('post', makePost('a', '2026-07-14T12:39:00Z'), 42);
    await element.updateComplete;
    expect(await axeViolations(element), 'playing').to.deep.equal([]);
    button(element, 'pause').click();
    await element.updateComplete;
    expect(await axeViolations(element), 'paused').to.deep.equal([]);
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(await axeViolations(element), 'reduced motion').to.deep.equal([]);
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });
});

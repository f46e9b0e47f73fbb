/// <reference types="mocha" />
import { expect, html } from '@open-wc/testing';
import type { Alert } from '../../server/contract.js';
import type { CommuneFeed } from '../../widget/commune-feed.js';
import type { CommuneFeedUpdateEvent } from '../../widget/events.js';
import { button, renderLive, shadow, useFakeFeed } from './helpers/feed-fixture.js';
import { NOW, fixtureSnapshot, makePost, urgentAlert } from './helpers/fixture-feed.js';

const feed = useFakeFeed();

function render(mode: string, lang = 'fr') {
  return renderLive(
    html`<commune-feed mode=${mode} lang=${lang} interval="8" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
  );
}

function banner(element: CommuneFeed): HTMLElement | null {
  return shadow(element).querySelector<HTMLElement>('[part~="alert"]');
}

/** The banner's text, or null without a banner (a failure then prints text, not a DOM node). */
function bannerText(element: CommuneFeed): string | null {
  return banner(element)?.querySelector('.alert-text')?.textContent ?? null;
}

/** The element that holds the posts in each mode. */
const BODY: Record<string, string> = { list: '.posts', ticker: '.ticker', wall: '.wall' };

/** Ten posts, so that the wall has pages to rotate. */
function tenPosts() {
  return Array.from({ length: 10 }, (_, i) =>
    makePost(`p${i}`, `2026-07-14T12:${String(20 + i).padStart(2, '0')}:00Z`),
  );
}

describe('the urgent alert', () => {
  for (const mode of ['list', 'ticker', 'wall']) {
    it(`stands above the ${mode}, announced assertively, in the alert's language`, async () => {
      feed.server.publish(fixtureSnapshot({ alert: urgentAlert }));
      const { element } = await render(mode, 'en');
      const alert = banner(element)!;
      expect(alert.getAttribute('role')).to.equal('alert');
      expect(alert.getAttribute('lang')).to.equal('fr');
      expect(alert.querySelector('.alert-text')?.textContent).to.equal(urgentAlert.text);
      const label = alert.querySelector('.alert-label');
      expect(label?.textContent).to.equal('Urgent alert');
      expect(label?.getAttribute('lang')).to.equal('en');
      const body = shadow(element).querySelector(BODY[mode]!)!;
      expect(alert.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
      expect(alert.contains(body) || body.contains(alert)).to.equal(false);
      expect(alert.getBoundingClientRect().bottom).to.be.at.most(body.getBoundingClientRect().top);
    });
  }

  it('says "Alerte urgente" in French', async () => {
    feed.server.publish(fixtureSnapshot({ alert: urgentAlert }));
    const { element } = await render('list');
    expect(banner(element)?.querySelector('.alert-label')?.textContent).to.equal('Alerte urgente');
  });

  it('appears on a paused ticker, and stays while paused', async () => {
    const { element, source } = await render('ticker');
    button(element, 'pause').click();
    await element.updateComplete;
    expect(element.paused).to.equal(true);
    source.emit('alert', { alert: urgentAlert }, 42);
    await element.updateComplete;
    expect(banner(element)?.getAttribute('role')).to.equal('alert');
    feed.timers.advance(60_000);
    await element.updateComplete;
    expect(bannerText(element)).to.not.equal(null);
  });

  it('leaves when it is withdrawn', async () => {
    feed.server.publish(fixtureSnapshot({ alert: urgentAlert }));
    const { element, source } = await render('list');
    const updates: CommuneFeedUpdateEvent[] = [];
    element.addEventListener('commune-feed-update', (event) => updates.push(event));
    source.emit('alert', { alert: null }, 42);
    await element.updateComplete;
    expect(bannerText(element)).to.equal(null);
    expect(updates.map((event) => [event.detail.reason, event.detail.alert])).to.deep.equal([['alert', null]]);
  });

  it('leaves at its expiry by the element’s own clock, even when no event comes', async () => {
    feed.server.publish(fixtureSnapshot({ alert: urgentAlert }));
    const { element } = await render('wall');
    const updates: CommuneFeedUpdateEvent[] = [];
    element.addEventListener('commune-feed-update', (event) => updates.push(event));
    const left = Date.parse(urgentAlert.expiresAt!) - NOW;
    feed.timers.advance(left - 1);
    await element.updateComplete;
    expect(bannerText(element)).to.not.equal(null);
    feed.timers.advance(1);
    await element.updateComplete;
    expect(bannerText(element)).to.equal(null);
    expect(updates.map((event) => event.detail.reason)).to.deep.equal(['alert']);
  });

  it('is not shown when it arrives already expired', async () => {
    const { element, source } = await render('list');
    source.emit('alert', { alert: { ...urgentAlert, expiresAt: '2026-07-14T12:39:59Z' } }, 42);
    await element.updateComplete;
    expect(bannerText(element)).to.equal(null);
  });

  it('is replaced by a new alert in a new node, announced again; the same alert corrected keeps its node', async () => {
    feed.server.publish(fixtureSnapshot({ alert: urgentAlert }));
    const { element, source } = await render('list');
    const first = banner(element);
    source.emit('alert', { alert: { ...urgentAlert, text: 'Orage : évacuation par la rue de la Paix.' } }, 42);
    await element.updateComplete;
    expect(banner(element)).to.equal(first);
    expect(first?.querySelector('.alert-text')?.textContent).to.equal('Orage : évacuation par la rue de la Paix.');
    const next: Alert = {
      id: 'alerte-2',
      text: 'Fin de l’alerte : le site rouvre.',
      createdAt: '2026-07-14T12:45:00Z',
    };
    source.emit('alert', { alert: next }, 43);
    await element.updateComplete;
    expect(shadow(element).querySelectorAll('[part~="alert"]')).to.have.length(1);
    expect(banner(element)).to.not.equal(first);
    expect(first?.isConnected).to.equal(false);
    expect(banner(element)?.querySelector('.alert-text')?.textContent).to.equal(next.text);
    // No expiry: it stays until withdrawn.
    feed.timers.advance(24 * 3_600_000);
    await element.updateComplete;
    expect(bannerText(element)).to.not.equal(null);
  });

  it('keeps the expiry of the alert in force, not of the one it replaced', async () => {
    feed.server.publish(fixtureSnapshot({ alert: { ...urgentAlert, expiresAt: '2026-07-14T12:41:00Z' } }));
    const { element, source } = await render('list');
    source.emit('alert', { alert: { ...urgentAlert, id: 'alerte-2', expiresAt: '2026-07-14T12:50:00Z' } }, 42);
    feed.timers.advance(5 * 60_000);
    await element.updateComplete;
    expect(bannerText(element)).to.not.equal(null);
    feed.timers.advance(5 * 60_000);
    await element.updateComplete;
    expect(bannerText(element)).to.equal(null);
  });

  it('stays in place while the ticker scrolls', async () => {
    feed.server.publish(fixtureSnapshot({ alert: urgentAlert }));
    const { element } = await render('ticker');
    const alert = banner(element)!;
    expect(alert.closest('.ticker')).to.equal(null);
    expect(getComputedStyle(alert).animationName).to.equal('none');
    const before = alert.getBoundingClientRect();
    const track = shadow(element).querySelector<HTMLElement>('.ticker-track')!;
    const trackBefore = track.getBoundingClientRect().left;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(track.getBoundingClientRect().left).to.be.below(trackBefore);
    expect(alert.getBoundingClientRect().toJSON()).to.deep.equal(before.toJSON());
  });

  it('stays in place, large, while the wall rotates', async () => {
    feed.server.publish(fixtureSnapshot({ posts: tenPosts(), alert: urgentAlert }));
    const { element } = await render('wall');
    const alert = banner(element)!;
    const before = alert.getBoundingClientRect();
    const side = () => shadow(element).querySelector('.wall-others article')?.getAttribute('data-post-id');
    expect(side()).to.equal('p8');
    feed.timers.advance(8_000);
    await element.updateComplete;
    expect(side()).to.equal('p5');
    expect(banner(element)).to.equal(alert);
    expect(alert.getBoundingClientRect().toJSON()).to.deep.equal(before.toJSON());
    // Readable from the back of the hall: twice the wall's type, and a large share of the screen.
    const base = parseFloat(getComputedStyle(shadow(element).querySelector('[part="base"]')!).fontSize);
    expect(parseFloat(getComputedStyle(alert).fontSize)).to.be.at.least(2 * base);
    expect(before.height).to.be.at.least(0.25 * element.getBoundingClientRect().height);
  });

  it('leaves with the feed when the element switches to another feed', async () => {
    feed.server.publish(fixtureSnapshot({ alert: urgentAlert }));
    const { element } = await render('list');
    feed.server.publish(fixtureSnapshot());
    element.feed = 'firminy';
    await element.updateComplete;
    expect(bannerText(element)).to.equal(null);
  });
});

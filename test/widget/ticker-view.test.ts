/// <reference types="mocha" />
import { expect, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { axeViolations } from './helpers/axe.js';
import { button, renderLive, shadow, shownIds, useFakeFeed } from './helpers/feed-fixture.js';
import { makePost } from './helpers/fixture-feed.js';

useFakeFeed();
const ticker = html`<commune-feed mode="ticker" speed="40" src="https://flux.example" feed="saint-etienne"></commune-feed>`;

function track(element: HTMLElement): HTMLElement {
  const found = shadow(element).querySelector<HTMLElement>('.ticker-track');
  if (!found) throw new Error('no ticker track');
  return found;
}

afterEach(async () => {
  await emulateMedia({ reducedMotion: 'no-preference' });
});

describe('ticker', () => {
  it('scrolls the band with a transform animation whose duration follows `speed`', async () => {
    const { element } = await renderLive(ticker);
    const style = getComputedStyle(track(element));
    expect(style.animationName).to.equal('commune-feed-scroll');
    expect(style.animationPlayState).to.equal('running');
    const width = shadow(element).querySelector<HTMLElement>('.ticker-list')?.offsetWidth ?? 0;
    expect(width).to.be.greaterThan(0);
    expect(parseFloat(style.animationDuration)).to.be.closeTo(Math.max(5, width / 40), 0.01);
    element.speed = 80;
    await element.updateComplete;
    expect(parseFloat(getComputedStyle(track(element)).animationDuration)).to.be.closeTo(Math.max(5, width / 80), 0.01);
  });

  it('draws a hidden, inert copy of the posts for a seamless loop', async () => {
    const { element } = await renderLive(ticker);
    const lists = shadow(element).querySelectorAll('.ticker-list');
    expect(lists).to.have.length(2);
    expect(lists[1]?.getAttribute('aria-hidden')).to.equal('true');
    expect(lists[1]?.hasAttribute('inert')).to.equal(true);
    expect(shownIds(element)).to.deep.equal(['1003', '1002', '1001']);
  });

  it('shows new posts at once, newest first', async () => {
    const { element, source } = await renderLive(ticker);
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    await element.updateComplete;
    expect(shownIds(element)[0]).to.equal('1004');
  });

  it('stops scrolling with the pause button', async () => {
    const { element } = await renderLive(ticker);
    button(element, 'pause').click();
    await element.updateComplete;
    expect(getComputedStyle(track(element)).animationPlayState).to.equal('paused');
    button(element, 'pause').click();
    await element.updateComplete;
    expect(getComputedStyle(track(element)).animationPlayState).to.equal('running');
  });

  it('stops scrolling while a link inside has keyboard focus', async () => {
    const { element } = await renderLive(ticker);
    shadow(element).querySelector<HTMLAnchorElement>('.ticker-list a')?.focus();
    expect(getComputedStyle(track(element)).animationPlayState).to.equal('paused');
  });

  it('with reduced motion, shows one post at a time, moved by hand', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const { element } = await renderLive(ticker);
    expect(shadow(element).querySelector('.ticker-track')).to.equal(null);
    expect(shownIds(element)).to.deep.equal(['1003']);
    const position = () => shadow(element).querySelector('.ticker-position')?.textContent;
    expect(position()).to.equal('1 sur 3');
    button(element, 'next').click();
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1002']);
    expect(position()).to.equal('2 sur 3');
    button(element, 'previous').click();
    button(element, 'previous').click();
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1001']);
    expect(button(element, 'next').textContent?.trim()).to.equal('›Publication suivante');
  });

  it('keeps the static ticker on its post when new posts arrive', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const { element, source } = await renderLive(ticker);
    button(element, 'next').click();
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1002']);
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    await element.updateComplete;
    expect(shownIds(element)).to.deep.equal(['1002']);
    expect(shadow(element).querySelector('.ticker-position')?.textContent).to.equal('3 sur 4');
  });

  it('switches to the static ticker when the preference changes', async () => {
    const { element } = await renderLive(ticker);
    expect(shadow(element).querySelector('.ticker-track')).to.not.equal(null);
    await emulateMedia({ reducedMotion: 'reduce' });
    await waitUntil(() => shadow(element).querySelector('.ticker-manual'), 'static ticker');
  });

  it('has no WCAG 2.2 AA violation playing, paused and with reduced motion', async () => {
    const { element } = await renderLive(ticker);
    expect(await axeViolations(element), 'playing').to.deep.equal([]);
    button(element, 'pause').click();
    await element.updateComplete;
    expect(await axeViolations(element), 'paused').to.deep.equal([]);
    await emulateMedia({ reducedMotion: 'reduce' });
    await waitUntil(() => shadow(element).querySelector('.ticker-manual'));
    expect(await axeViolations(element), 'reduced motion').to.deep.equal([]);
  });

  it('has no WCAG 2.2 AA violation in the dark theme', async () => {
    const { element } = await renderLive(
      html`<commune-feed mode="ticker" theme="dark" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    expect(await axeViolations(element)).to.deep.equal([]);
  });
});

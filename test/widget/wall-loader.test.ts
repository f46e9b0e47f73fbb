/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { CommuneFeed } from '../../widget/commune-feed.js';
import type { WallMode } from '../../widget/wall-loader.js';
import { FakeEventSource, ManualLoader } from './helpers/fakes.js';
import { renderLive, shadow, useFakeFeed } from './helpers/feed-fixture.js';

useFakeFeed();

/** A wall loader the test resolves or rejects by hand. */
function controlledWall() {
  const loader = new ManualLoader<WallMode>();
  CommuneFeed.loadWall = loader.load;
  return loader;
}

const loadingText = (element: Element) => shadow(element).querySelector('[part~="loading"]')?.textContent?.trim();

describe('the wall mode on demand', () => {
  for (const mode of ['list', 'ticker']) {
    it(`is never loaded by the ${mode} mode`, async () => {
      const loader = controlledWall();
      const element = await fixture<CommuneFeed>(
        html`<commune-feed mode=${mode} src="https://flux.example" feed="saint-etienne"></commune-feed>`,
      );
      await waitUntil(() => FakeEventSource.current, 'the element opens the event stream');
      await element.updateComplete;
      expect(shadow(element).querySelectorAll('article').length).to.be.greaterThan(0);
      expect(loader.calls).to.equal(0);
    });
  }

  it('shows the loading state until the wall’s code is there, then the wall, loaded once for every element', async () => {
    const loader = controlledWall();
    const wall = html`<commune-feed mode="wall" src="https://flux.example" feed="saint-etienne"></commune-feed>`;
    const element = await fixture<CommuneFeed>(wall);
    await waitUntil(() => FakeEventSource.current, 'the element opens the event stream');
    await element.updateComplete;
    expect(loadingText(element)).to.equal('Chargement des publications…');
    expect(shadow(element).querySelector('[part~="wall"]')).to.equal(null);
    loader.resolve(await import('../../widget/wall-mode.js'));
    await waitUntil(() => shadow(element).querySelector('[part~="featured"] article'), 'the wall shows');
    expect(getComputedStyle(element).overflow).to.equal('hidden');
    const second = await fixture<CommuneFeed>(wall);
    await waitUntil(() => shadow(second).querySelector('[part~="featured"] article'), 'the second wall shows');
    expect(loader.calls).to.equal(1);
  });

  it('says the posts cannot be shown when the wall’s code cannot be loaded, and the list still works', async () => {
    const loader = controlledWall();
    const { element } = await renderLive(
      html`<commune-feed mode="list" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    element.mode = 'wall';
    await element.updateComplete;
    expect(loader.calls).to.equal(1);
    const errors: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      loader.reject(new Error('integrity mismatch'));
      await waitUntil(() => loadingText(element) === 'Les publications ne peuvent pas être chargées pour le moment');
    } finally {
      console.error = consoleError;
    }
    expect(String(errors[0]?.[0])).to.contain('the wall mode could not be loaded');
    element.mode = 'list';
    await element.updateComplete;
    expect(shadow(element).querySelectorAll('article').length).to.be.greaterThan(0);
  });
});

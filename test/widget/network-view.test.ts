/// <reference types="mocha" />
import { expect, html } from '@open-wc/testing';
import type { CommuneFeed } from '../../widget/commune-feed.js';
import { axeViolations } from './helpers/axe.js';
import { renderLive, shadow, shownArticle, useFakeFeed } from './helpers/feed-fixture.js';
import { fireworks, fixtureSnapshot, hostile, onBluesky, onMastodon } from './helpers/fixture-feed.js';

const feed = useFakeFeed();

function render(mode: string, lang = 'fr') {
  return renderLive(
    html`<commune-feed mode=${mode} lang=${lang} src="https://flux.example" feed="saint-etienne"></commune-feed>`,
  );
}

function article(element: CommuneFeed, id: string): HTMLElement {
  return shownArticle(element, id);
}

/** The name of the post's network icon, as assistive technology reads it; null without one. */
function networkName(element: CommuneFeed, id: string): string | null {
  const icon = article(element, id).querySelector(':scope > .meta [part~="network"]');
  if (!icon) return null;
  expect(icon.getAttribute('role')).to.equal('img');
  expect(icon.getClientRects().length, 'the icon is on screen').to.be.greaterThan(0);
  return icon.getAttribute('aria-label');
}

beforeEach(() => {
  feed.server.publish(fixtureSnapshot({ posts: [fireworks, onMastodon, onBluesky, hostile] }));
});

describe('the network of each post', () => {
  for (const mode of ['list', 'ticker', 'wall']) {
    it(`is named "Publié sur X / Mastodon / Bluesky" in ${mode} mode, and a demo post has none`, async () => {
      const { element } = await render(mode);
      expect(networkName(element, fireworks.id)).to.equal('Publié sur X');
      expect(networkName(element, onMastodon.id)).to.equal('Publié sur Mastodon');
      expect(networkName(element, onBluesky.id)).to.equal('Publié sur Bluesky');
      if (mode !== 'wall') expect(networkName(element, hostile.id)).to.equal(null);
      // Drawn inline: no image is asked for the icon.
      const icon = article(element, onMastodon.id).querySelector('[part~="network"]');
      expect(icon?.tagName.toLowerCase()).to.equal('svg');
      expect(icon?.querySelector('image, use')).to.equal(null);
    });
  }

  it('is named in English with lang="en"', async () => {
    const { element } = await render('list', 'en');
    expect(networkName(element, onBluesky.id)).to.equal('Posted on Bluesky');
  });
});

describe('the link to the original', () => {
  for (const mode of ['list', 'wall']) {
    it(`reads "Voir sur X / Mastodon / Bluesky" in ${mode} mode and leads to the post`, async () => {
      const { element } = await render(mode);
      const link = (id: string) => article(element, id).querySelector<HTMLAnchorElement>('[part~="source-link"]');
      expect(link(fireworks.id)?.textContent).to.equal('Voir sur X');
      expect(link(onMastodon.id)?.textContent).to.equal('Voir sur Mastodon');
      expect(link(onMastodon.id)?.href).to.equal(onMastodon.url);
      expect(link(onBluesky.id)?.textContent).to.equal('Voir sur Bluesky');
      expect(link(onBluesky.id)?.href).to.equal(onBluesky.url);
      expect(link(onBluesky.id)?.rel).to.contain('noopener');
    });
  }

  it('reads "View on Mastodon" in English', async () => {
    const { element } = await render('list', 'en');
    expect(article(element, onMastodon.id).querySelector('[part~="source-link"]')?.textContent).to.equal(
      'View on Mastodon',
    );
  });
});

describe('handles and links of each network', () => {
  it('shows a Mastodon handle with its instance and a Bluesky handle as its domain', async () => {
    const { element } = await render('list');
    const handle = (id: string) => article(element, id).querySelector<HTMLAnchorElement>('a.handle');
    expect(handle(onMastodon.id)?.textContent).to.equal('@saintetienne@mastodon.social');
    expect(handle(onMastodon.id)?.href).to.equal('https://mastodon.social/@saintetienne');
    expect(handle(onBluesky.id)?.textContent).to.equal('@nadia.bsky.social');
    expect(handle(fireworks.id)?.textContent).to.equal('@alice');
  });

  it('links hashtags and mentions where the post says, with the text the post shows', async () => {
    const { element } = await render('list');
    const links = (id: string) =>
      [...article(element, id).querySelectorAll<HTMLAnchorElement>('.text a')].map((a) => [a.textContent, a.href]);
    expect(links(onMastodon.id)).to.deep.equal([
      ['#FeteNationale', 'https://mastodon.social/tags/fetenationale'],
      ['@lea', 'https://piaille.fr/@lea'],
    ]);
    expect(links(onBluesky.id)).to.deep.equal([
      ['#Bal14', 'https://bsky.app/hashtag/Bal14'],
      ['@saintetienne.bsky.social', 'https://bsky.app/profile/saintetienne.bsky.social'],
    ]);
  });

  for (const mode of ['list', 'ticker', 'wall']) {
    it(`has no WCAG 2.2 AA violation with posts of every network in ${mode} mode`, async () => {
      const { element } = await render(mode);
      expect(await axeViolations(element)).to.deep.equal([]);
    });
  }
});

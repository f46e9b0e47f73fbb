/// <reference types="mocha" />
import { expect, html, waitUntil } from '@open-wc/testing';
import { CommuneFeed } from '../../widget/commune-feed.js';
import type { Sanitize } from '../../widget/sanitizer-loader.js';
import { sanitizeAnnouncementHtml } from '../../widget/sanitize.js';
import { ManualLoader, flush } from './helpers/fakes.js';
import { renderLive, shadow, shownIds, useFakeFeed } from './helpers/feed-fixture.js';
import { announcement, fireworks, fixtureSnapshot, makePost } from './helpers/fixture-feed.js';

const feed = useFakeFeed();

function render(mode: string, lang = 'fr') {
  return renderLive(
    html`<commune-feed mode=${mode} lang=${lang} src="https://flux.example" feed="saint-etienne"></commune-feed>`,
  );
}

/** The announcement's article on screen (not the ticker's hidden copy). */
function shownAnnouncement(element: CommuneFeed): HTMLElement {
  const found = [...shadow(element).querySelectorAll<HTMLElement>(`article[data-post-id="${announcement.id}"]`)].find(
    (node) => !node.closest('[aria-hidden="true"]'),
  );
  if (!found) throw new Error('the announcement is not shown');
  return found;
}

/** A sanitizer loader the test resolves or rejects by hand. */
function manualLoader() {
  const loader = new ManualLoader<Sanitize>();
  CommuneFeed.loadSanitizer = loader.load;
  return loader;
}

describe('announcements', () => {
  for (const mode of ['list', 'ticker', 'wall']) {
    it(`are marked as the organisers' in ${mode} mode, with their name, an icon, and no link to a network`, async () => {
      feed.server.publish(fixtureSnapshot({ posts: [announcement, fireworks] }));
      const { element } = await render(mode);
      const post = shownAnnouncement(element);
      expect(post.querySelector('[part~="announcement"]')?.textContent?.trim()).to.equal('Annonce des organisateurs');
      expect(post.querySelector('[part~="author-name"]')?.textContent?.trim()).to.equal('Mairie de Saint-Étienne');
      expect(post.querySelector('img')).to.equal(null);
      expect(post.querySelector('[part~="handle"]')).to.equal(null);
      expect(post.querySelector('[part~="source-link"]')).to.equal(null);
      expect(post.querySelector('a.time')).to.equal(null);
      if (mode !== 'ticker') {
        const icon = post.querySelector('[part~="avatar"]');
        expect(icon?.querySelector('svg')).to.not.equal(null);
        expect(icon?.getAttribute('aria-hidden')).to.equal('true');
      }
    });
  }

  it('name the organisers "Organisateurs" when the feed gives no name, and speak English with lang="en"', async () => {
    const nameless = { ...announcement, author: { ...announcement.author, name: ' ' } };
    feed.server.publish(fixtureSnapshot({ posts: [nameless] }));
    const { element } = await render('list', 'en');
    const post = shownAnnouncement(element);
    expect(post.querySelector('[part~="author-name"]')?.textContent?.trim()).to.equal('Organisers');
    expect(post.querySelector('[part~="announcement"]')?.textContent?.trim()).to.equal(
      'Announcement from the organisers',
    );
  });

  it('show their plain text until the sanitizer is loaded, then their formatting in the same place, without a jump', async () => {
    const loader = manualLoader();
    feed.server.publish(fixtureSnapshot({ posts: [announcement] }));
    const { element } = await render('list');
    const post = shownAnnouncement(element);
    const text = () => post.querySelector<HTMLElement>('[part~="text"]')!;
    expect(text().textContent).to.equal(announcement.text);
    expect(text().querySelector('strong')).to.equal(null);
    const plainHeight = text().getBoundingClientRect().height;

    loader.resolve(sanitizeAnnouncementHtml);
    await waitUntil(() => text().querySelector('strong'), 'the formatted text replaces the plain text');
    expect(shownAnnouncement(element)).to.equal(post);
    expect(text().querySelector('strong')?.textContent).to.equal('22 h 30');
    const link = text().querySelector<HTMLAnchorElement>('a');
    expect(link?.href).to.equal('https://www.saint-etienne.fr/14-juillet');
    expect(link?.rel).to.equal('noopener noreferrer nofollow ugc');
    expect(text().getBoundingClientRect().height).to.be.closeTo(plainHeight, 1);
  });

  it('keep their plain text when the sanitizer cannot be loaded', async () => {
    const loader = manualLoader();
    feed.server.publish(fixtureSnapshot({ posts: [announcement] }));
    const { element } = await render('wall');
    loader.reject(new TypeError('Failed to fetch dynamically imported module'));
    await flush();
    await element.updateComplete;
    const text = shownAnnouncement(element).querySelector('[part~="text"]');
    expect(text?.textContent).to.equal(announcement.text);
    expect(text?.querySelector('strong')).to.equal(null);
  });

  it('load the sanitizer only when the first announcement with markup arrives, and once', async () => {
    const loader = manualLoader();
    const plain = { ...announcement, id: 'annonce-0', html: undefined };
    feed.server.publish(fixtureSnapshot({ posts: [plain, fireworks] }));
    const { element, source } = await render('list');
    expect(loader.calls).to.equal(0);
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    expect(loader.calls).to.equal(0);
    source.emit('post', announcement, 43);
    source.emit('post', { ...announcement, id: 'annonce-2' }, 44);
    await element.updateComplete;
    expect(loader.calls).to.equal(1);
  });

  it('are formatted by the real sanitizer chunk', async () => {
    feed.server.publish(fixtureSnapshot({ posts: [announcement] }));
    const { element } = await render('list');
    await waitUntil(() => shownAnnouncement(element).querySelector('[part~="text"] strong'), 'the chunk is loaded');
  });

  it('keep their formatted nodes while the clock re-renders', async () => {
    feed.server.publish(fixtureSnapshot({ posts: [announcement] }));
    const { element } = await render('list');
    await waitUntil(() => shownAnnouncement(element).querySelector('[part~="text"] strong'));
    const strong = shownAnnouncement(element).querySelector('[part~="text"] strong');
    feed.timers.advance(60_000);
    await element.updateComplete;
    expect(shownAnnouncement(element).querySelector('[part~="text"] strong')).to.equal(strong);
  });

  it('run on one line in the ticker, line breaks turned into separators', async () => {
    const lines = {
      ...announcement,
      html: '<p>Feu à <b>23 h</b><br>place Bellecour</p><ul><li>un</li><li>deux</li></ul>',
    };
    feed.server.publish(fixtureSnapshot({ posts: [lines, fireworks] }));
    const { element } = await render('ticker');
    await waitUntil(() => shownAnnouncement(element).querySelector('[part~="text"] b'));
    const text = shownAnnouncement(element).querySelector<HTMLElement>('[part~="text"]')!;
    expect(text.querySelector('br')).to.equal(null);
    expect(text.querySelector('p')?.textContent).to.equal('Feu à 23 h · place Bellecour');
    const separators = [...text.querySelectorAll('p, ul, li')].map(
      (node) => getComputedStyle(node, '::before').content,
    );
    expect(separators).to.deep.equal(['none', '" · "', 'none', '" · "']);
    const name = shownAnnouncement(element).querySelector<HTMLElement>('[part~="author-name"]')!;
    expect(text.getBoundingClientRect().height).to.be.below(name.getBoundingClientRect().height * 1.6);
    expect(shownIds(element)).to.include(announcement.id);
  });
});

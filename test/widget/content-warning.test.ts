/// <reference types="mocha" />
import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CommuneFeed } from '../../widget/commune-feed.js';
import { axeViolations } from './helpers/axe.js';
import { renderLive, shadow, shownArticle, useFakeFeed } from './helpers/feed-fixture.js';
import { fireworks, fixtureSnapshot, makePost, warned } from './helpers/fixture-feed.js';

const feed = useFakeFeed();

function render(mode: string, lang = 'fr') {
  return renderLive(
    html`<commune-feed mode=${mode} lang=${lang} src="https://flux.example" feed="saint-etienne"></commune-feed>`,
  );
}

function article(element: CommuneFeed, id = warned.id): HTMLElement {
  return shownArticle(element, id);
}

function cover(element: CommuneFeed): HTMLElement | null {
  return article(element).querySelector('[part~="content-warning"]');
}

function toggle(element: CommuneFeed): HTMLButtonElement | null {
  return article(element).querySelector('button[part~="open-warning"]');
}

/** What the post shows of its covered content: its text, and its pictures. */
function covered(element: CommuneFeed): { text: string | null; images: number } {
  const post = article(element);
  return { text: post.querySelector('.text')?.textContent ?? null, images: post.querySelectorAll('.media img').length };
}

beforeEach(() => {
  feed.server.publish(fixtureSnapshot({ posts: [fireworks, warned] }));
});

describe('a content warning in the list', () => {
  it('shows the warning and hides the text and media until the visitor opens the post', async () => {
    const { element } = await render('list');
    expect(
      cover(element)
        ?.textContent?.replace(/[ \n]+/g, ' ')
        .trim(),
    ).to.equal('Avertissement\u00a0: Blessure, sang Afficher la publication');
    expect(covered(element)).to.deep.equal({ text: null, images: 0 });
    expect(article(element).textContent).not.to.contain('genou');
    const button = toggle(element)!;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.click();
    await element.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(button.textContent?.trim()).to.equal('Masquer la publication');
    expect(covered(element)).to.deep.equal({ text: warned.text, images: 1 });
    // The warning stays in sight above what it covers.
    expect(cover(element)?.textContent).to.contain('Blessure, sang');
  });

  it('keeps sensitive media blurred once the post is opened, until asked', async () => {
    const { element } = await render('list');
    toggle(element)!.click();
    await element.updateComplete;
    expect(article(element).querySelector('.media-list')?.classList.contains('sensitive-hidden')).to.equal(true);
    article(element).querySelector<HTMLButtonElement>('[part~="reveal"]')!.click();
    await element.updateComplete;
    expect(article(element).querySelector('.media-list')?.classList.contains('sensitive-hidden')).to.equal(false);
  });

  it('opens and closes from the keyboard, the focus staying on the button', async () => {
    const { element } = await render('list');
    const button = toggle(element)!;
    button.focus();
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(shadow(element).activeElement).to.equal(button);
    expect(covered(element).text).to.equal(warned.text);
    await sendKeys({ press: 'Space' });
    await element.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(shadow(element).activeElement).to.equal(button);
    expect(covered(element)).to.deep.equal({ text: null, images: 0 });
  });

  it('keeps the post opened when other posts arrive', async () => {
    const { element, source } = await render('list');
    toggle(element)!.click();
    await element.updateComplete;
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    await element.updateComplete;
    expect(toggle(element)?.getAttribute('aria-expanded')).to.equal('true');
  });

  it('speaks English with lang="en", the warning keeping the post’s language', async () => {
    const { element } = await render('list', 'en');
    expect(cover(element)?.querySelector('strong')?.textContent).to.equal('Content warning:');
    expect(cover(element)?.querySelector('strong')?.getAttribute('lang')).to.equal('en');
    expect(toggle(element)?.textContent?.trim()).to.equal('Show post');
    expect(article(element).getAttribute('lang')).to.equal('fr');
  });

  it('has no WCAG 2.2 AA violation closed and opened', async () => {
    const { element } = await render('list');
    expect(await axeViolations(element), 'closed').to.deep.equal([]);
    toggle(element)!.click();
    await element.updateComplete;
    expect(await axeViolations(element), 'opened').to.deep.equal([]);
  });
});

describe('a content warning where nobody clicks', () => {
  for (const mode of ['ticker', 'wall']) {
    it(`shows only the warning in ${mode} mode, never what it covers`, async () => {
      const { element } = await render(mode);
      expect(cover(element)?.textContent).to.contain('Blessure, sang');
      expect(toggle(element)).to.equal(null);
      expect(covered(element)).to.deep.equal({ text: null, images: 0 });
      // Not in the page at all, not even in the ticker's hidden copy.
      expect(shadow(element).textContent).not.to.contain('genou');
      expect(await axeViolations(element)).to.deep.equal([]);
    });
  }
});

/// <reference types="mocha" />
/*
 * Runs in its own page under the demo's Trusted Types policy (see the
 * "trusted-types" group in web-test-runner.config.js):
 *   require-trusted-types-for 'script'; trusted-types lit-html dompurify commune-feed
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import type { Post } from '../../server/contract.js';
import { announcement, fixtureSnapshot } from './helpers/fixture-feed.js';
import { renderLive, shadow, shownIds, useFakeFeed } from './helpers/feed-fixture.js';
import { hostileAnnouncements, outsideAllowList } from './helpers/hostile-markup.js';

const feed = useFakeFeed();

const executed: number[] = [];
(window as { __xss?: (n: number) => void }).__xss = (n) => executed.push(n);

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(`${event.violatedDirective}: ${event.sample}`);
});

describe('under CSP with Trusted Types', () => {
  it('runs in a page that enforces Trusted Types, and sees violations', async () => {
    const sink = document.createElement('div');
    expect(() => {
      sink.innerHTML = '<b>x</b>';
    }).to.throw(TypeError);
    await waitUntil(() => violations.length > 0, 'the violation is reported');
    expect(violations[0]).to.contain('require-trusted-types-for');
    violations.length = 0;
  });

  for (const mode of ['list', 'ticker', 'wall'] as const) {
    it(`renders the ${mode} mode, live events included, without a violation`, async () => {
      const { element, source } = await renderLive(
        html`<commune-feed mode=${mode} src="https://flux.example" feed="saint-etienne"></commune-feed>`,
      );
      source.emit(
        'post',
        {
          id: '5000',
          source: 'x',
          url: 'https://x.com/a/status/5000',
          createdAt: '2026-07-14T12:39:00Z',
          author: { name: '<b>Eve</b>', handle: 'eve', avatarUrl: '', profileUrl: 'https://x.com/eve' },
          text: '<img src=x onerror=alert(1)> #fete',
          entities: {
            hashtags: [{ start: 30, end: 35, tag: 'fete', url: 'https://x.com/hashtag/fete' }],
            mentions: [],
            links: [],
          },
          media: [],
        },
        42,
      );
      await element.updateComplete;
      if (mode !== 'list') await waitUntil(() => shownIds(element).includes('5000'));
      expect(shadow(element).querySelector('img[onerror]')).to.equal(null);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(violations).to.deep.equal([]);
    });
  }

  for (const mode of ['list', 'ticker', 'wall'] as const) {
    it(`renders hostile announcement markup in the ${mode} mode through the sanitizer chunk: nothing runs, only the allow-list stays`, async () => {
      // Four announcements share the corpus: the wall shows four posts at once.
      const corpus = hostileAnnouncements();
      const posts: Post[] = [0, 1, 2, 3].map((index) => ({
        ...announcement,
        id: `annonce-${index}`,
        createdAt: new Date(Date.parse(announcement.createdAt) - index * 1000).toISOString(),
        html: `<p>Annonce ${index}</p>${corpus.filter((_, n) => n % 4 === index).join('')}`,
        text: `Annonce ${index}`,
      }));
      feed.server.publish(fixtureSnapshot({ posts }));
      const { element } = await renderLive(
        html`<commune-feed mode=${mode} limit="100" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
      );
      const texts = () => [...shadow(element).querySelectorAll('[data-post-id^="annonce-"] [part~="text"]')];
      await waitUntil(
        () => texts().length > 0 && texts().every((text) => text.classList.contains('rich')),
        'formatted',
      );
      for (const text of texts()) {
        for (const node of text.querySelectorAll<HTMLElement>('*')) {
          node.focus();
          node.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(executed).to.deep.equal([]);
      expect(texts().flatMap((text) => outsideAllowList(text))).to.deep.equal([]);
      expect(texts().length).to.be.at.least(4);
      expect(texts().map((text) => text.textContent?.match(/Annonce \d/)?.[0])).to.include.members([
        'Annonce 0',
        'Annonce 1',
        'Annonce 2',
        'Annonce 3',
      ]);
      expect(violations).to.deep.equal([]);
    });
  }
});

/// <reference types="mocha" />
/*
 * Runs in its own page under the demo's Trusted Types policy (see the
 * "trusted-types" group in web-test-runner.config.js):
 *   require-trusted-types-for 'script'; trusted-types lit-html dompurify commune-feed
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { renderAnnouncement } from '../../widget/sanitize.js';
import { renderLive, shadow, shownIds, useFakeFeed } from './helpers/feed-fixture.js';

useFakeFeed();

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

  it('renders organiser HTML through DOMPurify and its policy', async () => {
    const box = await fixture<HTMLElement>(
      renderAnnouncement('<p>Bal à <strong>22 h</strong><script>alert(1)</script></p>'),
    );
    expect(box.innerHTML.replace(/<!--[^>]*-->/g, '')).to.equal('<p>Bal à <strong>22 h</strong></p>');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(violations).to.deep.equal([]);
  });
});

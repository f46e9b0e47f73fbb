/// <reference types="mocha" />
import { expect, html, waitUntil } from '@open-wc/testing';
import { axeViolations } from './helpers/axe.js';
import { renderLive, shadow, useFakeFeed } from './helpers/feed-fixture.js';
import {
  announcement,
  fireworks,
  fixtureSnapshot,
  hostile,
  pinned,
  repost,
  urgentAlert,
} from './helpers/fixture-feed.js';

const feed = useFakeFeed();

/** Everything the organisers add, at once: an alert, a pinned post, a pinned announcement. */
function organisersSnapshot() {
  return fixtureSnapshot({
    posts: [pinned(announcement, '2026-07-14T12:39:00Z'), pinned(repost), fireworks, hostile],
    alert: urgentAlert,
  });
}

describe('commune-feed with the organisers’ alert, pins and announcements', () => {
  for (const mode of ['list', 'ticker', 'wall']) {
    for (const theme of ['light', 'dark']) {
      it(`has no WCAG 2.2 AA violation in ${mode} mode, ${theme} theme`, async () => {
        feed.server.publish(organisersSnapshot());
        const { element } = await renderLive(
          html`<commune-feed mode=${mode} theme=${theme} src="https://flux.example" feed="saint-etienne"></commune-feed>`,
        );
        await waitUntil(() => shadow(element).querySelector('.rich strong'), 'the announcement is formatted');
        expect(shadow(element).querySelector('[part~="alert"]')).to.not.equal(null);
        expect(shadow(element).querySelector('[part~="pinned"]')).to.not.equal(null);
        expect(shadow(element).querySelector('[part~="announcement"]')).to.not.equal(null);
        expect(await axeViolations(element)).to.deep.equal([]);
      });
    }
  }
});

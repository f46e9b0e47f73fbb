/// <reference types="mocha" />
import { expect, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { axeViolations } from './helpers/axe.js';
import { button, renderLive, shadow, shownIds, useFakeFeed } from './helpers/feed-fixture.js';
import { fixtureSnapshot, makePost } from './helpers/fixture-feed.js';

const feed = useFakeFeed();
const wall = html`<commune-feed mode="wall" interval="8" time-zone="Europe/Paris" src="https://flux.example" feed="saint-etienne"></commune-feed>`;

/** Ten posts, one a minute, newest "p9". */
function tenPosts() {
  return Array.from({ length: 10 }, (_, index) =>
    makePost(`p${index}`, `2026-07-14T12:${String(20 + index).padStart(2, '0')}:00Z`),
  );
}

function featuredId(element: HTMLElement): string | null | undefined {
  return shadow(element).querySelector('[part~="featured"] article')?.getAttribute('data-post-id');
}

function sideIds(element: HTMLElement): string[] {
  return [...shadow(element).querySelectorAll('.wall-others article')].map(
    (node) => node.getAttribute('data-post-id') ?? '',
  );
}

afterEach(async () => {
  await emulateMedia({ reducedMotion: 'no-preference', colorScheme: 'light' });
});

describe('wall', () => {
  it('highlights the newest post, and a new post takes its place', async () => {
    const { element, source } = await renderLive(wall);
    expect(featuredId(element)).to.equal('1003');
    expect(shadow(element).querySelector('.wall-label')?.textContent).to.equal('Dernière publication');
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    await element.updateComplete;
    expect(featuredId(element)).to.equal('1004');
    expect(sideIds(element)).to.deep.equal(['1003', '1002', '1001']);
  });

  it('shows the event title and a clock in the town’s time', async () => {
    const { element } = await renderLive(wall);
    expect(shadow(element).querySelector('[part~="title"]')?.textContent).to.equal('Fête nationale à Saint-Étienne');
    const clock = shadow(element).querySelector('[part~="clock"]');
    expect(clock?.textContent).to.equal('14 h 40');
    expect(clock?.getAttribute('datetime')).to.equal('2026-07-14T12:40:00.000Z');
    feed.timers.advance(61_000);
    await element.updateComplete;
    expect(clock?.textContent).to.equal('14 h 41');
  });

  it('calls to publish with the hashtag, with a QR code to a new post', async () => {
    const { element } = await renderLive(wall);
    const cta = shadow(element).querySelector('[part~="cta"]');
    expect(cta?.querySelector('.cta-text')?.textContent).to.equal('Publiez avec #FeteNationale');
    const qr = cta?.querySelector('svg[part~="qr-code"]');
    expect(qr?.getAttribute('role')).to.equal('img');
    expect(qr?.getAttribute('aria-label')).to.equal('QR code pour publier avec #FeteNationale');
    expect(qr?.querySelector('path')?.getAttribute('d')).to.match(/^M0 0h1v1h-1z/);
  });

  it('follows the feed’s new first hashtag in the call to action', async () => {
    const { element, source } = await renderLive(wall);
    source.emit('feed', { id: 'saint-etienne', title: 'Bal', hashtags: ['Bal14', 'FeteNationale'], accounts: [] }, 42);
    await element.updateComplete;
    const cta = shadow(element).querySelector('[part~="cta"]');
    expect(cta?.querySelector('.cta-text')?.textContent).to.equal('Publiez avec #Bal14');
    expect(cta?.querySelector('svg')?.getAttribute('aria-label')).to.equal('QR code pour publier avec #Bal14');
  });

  it('rotates the older posts page by page, and stops while paused', async () => {
    feed.server.publish(fixtureSnapshot({ posts: tenPosts() }));
    const { element } = await renderLive(wall);
    expect(featuredId(element)).to.equal('p9');
    expect(sideIds(element)).to.deep.equal(['p8', 'p7', 'p6']);
    feed.timers.advance(8_000);
    await element.updateComplete;
    expect(sideIds(element)).to.deep.equal(['p5', 'p4', 'p3']);
    button(element, 'pause').click();
    await element.updateComplete;
    feed.timers.advance(60_000);
    await element.updateComplete;
    expect(sideIds(element)).to.deep.equal(['p5', 'p4', 'p3']);
    button(element, 'pause').click();
    await element.updateComplete;
    feed.timers.advance(8_000);
    await element.updateComplete;
    expect(sideIds(element)).to.deep.equal(['p2', 'p1', 'p0']);
    feed.timers.advance(8_000);
    await element.updateComplete;
    expect(sideIds(element)).to.deep.equal(['p8', 'p7', 'p6']);
  });

  it('keeps a bounded DOM through hours of posts', async () => {
    const { element, source } = await renderLive(
      html`<commune-feed mode="wall" limit="30" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    for (let index = 0; index < 600; index++) {
      const at = new Date(Date.parse('2026-07-14T12:41:00Z') + index * 1000).toISOString();
      source.emit('post', { ...makePost(`n${index}`, at), sensitive: true }, 100 + index);
      if (index % 50 === 0) source.emit('remove', { id: `n${index - 1}` }, 100 + index);
    }
    feed.timers.advance(3_600_000);
    await element.updateComplete;
    expect(shadow(element).querySelectorAll('article').length).to.be.at.most(4);
    expect(shadow(element).querySelectorAll('*').length).to.be.below(200);
    const detail = await new Promise<number>((resolve) => {
      element.addEventListener('commune-feed-update', (event) => resolve(event.detail.posts.length), { once: true });
      source.emit('post', makePost('last', '2026-07-14T14:00:00Z'), 5000);
    });
    expect(detail).to.equal(30);
    expect(featuredId(element)).to.equal('last');
  });

  it('keeps the time links of the smaller side posts large enough to tap below a hashtag', async () => {
    // Each text ends with a hashtag link, right above the post's time link.
    const posts = tenPosts().map((post) => {
      const text = `${post.text} #FeteDuLivre`;
      const start = text.length - '#FeteDuLivre'.length;
      return {
        ...post,
        text,
        entities: {
          hashtags: [{ start, end: text.length, tag: 'FeteDuLivre', url: 'https://x.com/hashtag/FeteDuLivre' }],
          mentions: [],
          links: [],
        },
      };
    });
    feed.server.publish(fixtureSnapshot({ posts }));
    const { element } = await renderLive(wall);
    const time = shadow(element).querySelector('.wall-others a.time') as HTMLElement;
    expect(time.getBoundingClientRect().height).to.be.at.least(24);
    expect(await axeViolations(element)).to.deep.equal([]);
  });

  it('has no WCAG 2.2 AA violation playing, paused, with reduced motion and in dark themes', async () => {
    const { element } = await renderLive(wall);
    expect(await axeViolations(element), 'playing').to.deep.equal([]);
    button(element, 'pause').click();
    await element.updateComplete;
    expect(await axeViolations(element), 'paused').to.deep.equal([]);
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(await axeViolations(element), 'reduced motion').to.deep.equal([]);
    element.theme = 'dark';
    await element.updateComplete;
    expect(await axeViolations(element), 'dark').to.deep.equal([]);
    element.theme = 'auto';
    await emulateMedia({ colorScheme: 'dark' });
    await element.updateComplete;
    expect(getComputedStyle(element).backgroundColor).to.equal('rgb(21, 23, 27)');
    expect(await axeViolations(element), 'auto, dark system').to.deep.equal([]);
  });
});

/// <reference types="mocha" />
import { expect, html, nextFrame, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { Alert, Post } from '../../server/contract.js';
import { largestFitting } from '../../widget/wall-fit.js';
import { renderLive, shadow, useFakeFeed } from './helpers/feed-fixture.js';
import { announcement, fixtureSnapshot, makePost, pinned, rangeOf, urgentAlert } from './helpers/fixture-feed.js';

const feed = useFakeFeed();

/** The screens of a hall: full HD, HD, and a full HD screen turned to portrait. */
const SCREENS = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
  { width: 1080, height: 1920 },
] as const;

const TALL_IMAGE = new URL('./fixtures/tall-image.svg', import.meta.url).href;
const LONG_URL = `https://www.saint-etienne.fr/programme/${'fete-du-livre-'.repeat(30)}final`;
const LONG_WORD = 'Anticonstitutionnellement'.repeat(12);

/** A post with a 3000-px-tall picture and a 4,000-character text, with a long word and a long link inside. */
function hostilePost(id: string, minute: number): Post {
  const prose = 'Les auteurs dédicacent sous le chapiteau, la file avance doucement. '.repeat(58);
  const text = `${LONG_WORD} ${prose.slice(0, 4000 - LONG_WORD.length - LONG_URL.length - 3)} ${LONG_URL} #FeteDuLivre`;
  return {
    ...makePost(id, `2026-07-14T12:${String(minute).padStart(2, '0')}:00Z`, text),
    author: {
      name: `Une autrice au nom sans espace ${LONG_WORD}`,
      handle: 'autrice_au_nom_tres_long',
      avatarUrl: '',
      profileUrl: 'https://x.com/autrice',
    },
    entities: {
      hashtags: [{ ...rangeOf(text, '#FeteDuLivre'), tag: 'FeteDuLivre', url: 'https://x.com/hashtag/FeteDuLivre' }],
      mentions: [],
      links: [{ ...rangeOf(text, LONG_URL), href: LONG_URL, display: LONG_URL }],
    },
    media: [
      {
        kind: 'photo',
        url: TALL_IMAGE,
        previewUrl: TALL_IMAGE,
        alt: 'Une affiche très haute',
        width: 400,
        height: 3000,
      },
    ],
  };
}

/** An announcement with a long formatted text. */
const longAnnouncement: Post = {
  ...announcement,
  html: `<p><strong>Programme</strong> ${'Lectures, ateliers et rencontres toute la journée. '.repeat(30)}</p><ul>${'<li>Atelier BD</li>'.repeat(12)}</ul><p><a href="${LONG_URL}">${LONG_URL}</a></p>`,
  text: `Programme ${'Lectures, ateliers et rencontres toute la journée. '.repeat(30)}`,
};

const longAlert: Alert = {
  ...urgentAlert,
  text: `Orage : le site est évacué. ${'Suivez les consignes des agents et gagnez les sorties indiquées, sans courir. '.repeat(4)}`,
};

/** What a hall may see at once, as several snapshots. */
const SCENES: Record<string, () => { posts: Post[]; alert: Alert }> = {
  'a tall picture and a 4,000-character text in every post, with an alert': () => ({
    posts: [0, 1, 2, 3].map((index) => hostilePost(`h${index}`, 39 - index)),
    alert: urgentAlert,
  }),
  'a pinned announcement first, a long alert, long posts beside': () => ({
    posts: [
      pinned(longAnnouncement),
      hostilePost('h1', 38),
      longAnnouncement && hostilePost('h2', 37),
      { ...longAnnouncement, id: 'annonce-2' },
    ],
    alert: longAlert,
  }),
};

/** Boxes that must stay within the screen, as `what: rect`. */
function boxes(root: ShadowRoot): Array<[string, DOMRect]> {
  const named = (selector: string, name: string) =>
    [...root.querySelectorAll(selector)].map(
      (node, index) => [`${name} ${index}`, node.getBoundingClientRect()] as [string, DOMRect],
    );
  return [
    ...named('.wall .post', 'post').filter(([, rect]) => rect.height > 0),
    ...named('.wall-cta', 'call to action'),
    ...named('.alert', 'alert'),
    ...named('.header', 'header'),
    ...named('.wall-featured .media img', 'featured picture'),
  ];
}

/** Elements that reach past the screen's sides (clipped or not). */
function horizontalOverflow(root: ShadowRoot): string[] {
  const width = document.documentElement.clientWidth;
  return [...root.querySelectorAll<HTMLElement>('*')]
    .filter((node) => !node.closest('.visually-hidden'))
    .filter((node) => {
      const rect = node.getBoundingClientRect();
      return rect.width > 0 && (rect.left < -0.5 || rect.right > width + 0.5);
    })
    .map((node) => `${node.localName}.${node.className}`);
}

before(() => {
  // The wall fills the screen from its top-left corner, as on the wall page.
  document.body.style.margin = '0';
});

after(async () => {
  document.body.style.margin = '';
  await setViewport({ width: 800, height: 600 });
});

describe('the wall fits the screen', () => {
  for (const [scene, content] of Object.entries(SCENES)) {
    for (const screen of SCREENS) {
      it(`keeps every box within ${screen.width}×${screen.height}: ${scene}`, async () => {
        await setViewport(screen);
        feed.server.publish(fixtureSnapshot(content()));
        const { element } = await renderLive(
          html`<commune-feed mode="wall" time-zone="Europe/Paris" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
        );
        const root = shadow(element);
        if (root.querySelector('[part~="announcement"]')) {
          await waitUntil(() => root.querySelector('.rich strong'), 'the announcement is formatted');
        }
        await element.updateComplete;
        await nextFrame();

        const shown = [...root.querySelectorAll<HTMLElement>('.wall .post')].filter(
          (post) => !post.closest('[hidden]'),
        );
        expect(shown[0], 'the large post').to.equal(root.querySelector('.wall-featured .post'));
        const outside = boxes(root)
          .filter(([, rect]) => rect.bottom > innerHeight + 0.5 || rect.top < -0.5)
          .map(([name, rect]) => `${name}: ${Math.round(rect.top)}…${Math.round(rect.bottom)}`);
        expect(outside, `boxes past the bottom of ${innerHeight} px`).to.deep.equal([]);
        expect(horizontalOverflow(root), 'past the sides').to.deep.equal([]);
        expect(document.documentElement.scrollWidth).to.equal(innerWidth);

        // Cut gracefully: each long text keeps some lines and ends on an ellipsis, nothing is cut mid-way.
        for (const post of shown) {
          expect(['clamped', 'tight'], post.dataset.postId).to.include(post.dataset.fit);
          const text = post.querySelector<HTMLElement>('.text')!;
          expect(text.clientHeight, `${post.dataset.postId} shows its text`).to.be.greaterThan(0);
          expect(post.scrollHeight, `${post.dataset.postId} fits its box`).to.be.at.most(post.clientHeight + 1);
        }
        // The large picture is shown whole, within its post.
        const picture = root.querySelector<HTMLImageElement>('.wall-featured .post > .media-list img');
        if (picture?.getClientRects().length) {
          expect(getComputedStyle(picture).objectFit).to.equal('contain');
          const post = picture.closest('.post')!.getBoundingClientRect();
          expect(picture.getBoundingClientRect().bottom).to.be.at.most(post.bottom);
          expect(picture.getBoundingClientRect().height).to.be.greaterThan(50);
        }
        const alert = root.querySelector<HTMLElement>('.alert');
        expect(alert, 'the alert').to.not.equal(null);
        expect(alert!.scrollHeight, 'the alert fits its box').to.be.at.most(alert!.clientHeight + 1);
      });
    }
  }

  it('fits again when the screen changes size', async () => {
    await setViewport(SCREENS[0]);
    feed.server.publish(
      fixtureSnapshot(SCENES['a tall picture and a 4,000-character text in every post, with an alert']!()),
    );
    const { element } = await renderLive(
      html`<commune-feed mode="wall" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    const featured = () => shadow(element).querySelector<HTMLElement>('.wall-featured .post')!;
    await nextFrame();
    const linesBefore = Number(featured().style.getPropertyValue('--_lines'));
    await setViewport(SCREENS[1]);
    await waitUntil(() => Number(featured().style.getPropertyValue('--_lines')) !== linesBefore, 'fitted again');
    expect(featured().getBoundingClientRect().bottom).to.be.at.most(innerHeight);
    expect(featured().scrollHeight).to.be.at.most(featured().clientHeight + 1);
  });

  it('leaves a post whole when it fits', async () => {
    await setViewport(SCREENS[0]);
    feed.server.publish(fixtureSnapshot({ posts: [makePost('court', '2026-07-14T12:39:00Z', 'Bonjour !')] }));
    const { element } = await renderLive(
      html`<commune-feed mode="wall" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    const post = shadow(element).querySelector<HTMLElement>('.wall .post')!;
    expect(post.dataset.fit).to.equal(undefined);
    expect(post.style.getPropertyValue('--_lines')).to.equal('');
  });
});

describe('largestFitting', () => {
  it('finds the largest value that fits, or none', () => {
    expect(largestFitting(1, 40, (n) => n <= 7)).to.equal(7);
    expect(largestFitting(1, 40, () => true)).to.equal(40);
    expect(largestFitting(1, 40, () => false)).to.equal(undefined);
  });
});

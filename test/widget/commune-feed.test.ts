/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/define.js';
import { CommuneFeed } from '../../widget/commune-feed.js';
import type { CommuneFeedErrorEvent, CommuneFeedUpdateEvent } from '../../widget/events.js';
import { browserEnvironment } from '../../widget/feed-connection.js';
import { axeViolations } from './helpers/axe.js';
import { FakeEventSource, FakeFeedServer, FakeTimers, fakeEnvironment, flush } from './helpers/fakes.js';
import { NOW, fireworks, fixtureSnapshot, hostile, makePost, repost } from './helpers/fixture-feed.js';

let server: FakeFeedServer;
let timers: FakeTimers;

beforeEach(() => {
  FakeEventSource.reset();
  server = new FakeFeedServer(fixtureSnapshot());
  timers = new FakeTimers(NOW);
  CommuneFeed.environment = fakeEnvironment(server, timers);
  delete (window as { __pwned?: number }).__pwned;
});

afterEach(() => {
  CommuneFeed.environment = browserEnvironment;
});

function shadow(element: CommuneFeed): ShadowRoot {
  if (!element.shadowRoot) throw new Error('no shadow root');
  return element.shadowRoot;
}

function article(element: CommuneFeed, id: string): HTMLElement {
  const found = shadow(element).querySelector<HTMLElement>(`article[data-post-id="${id}"]`);
  if (!found) throw new Error(`post ${id} is not rendered`);
  return found;
}

function postIds(element: CommuneFeed): string[] {
  return [...shadow(element).querySelectorAll('.posts > li > article')].map(
    (node) => node.getAttribute('data-post-id') ?? '',
  );
}

async function renderFeed(
  template = html`<commune-feed src="https://flux.example" feed="saint-etienne"></commune-feed>`,
): Promise<CommuneFeed> {
  const element = await fixture<CommuneFeed>(template);
  await waitUntil(() => shadow(element).querySelector('.posts'), 'the snapshot is rendered');
  return element;
}

/** Clicks "N nouvelles publications". */
async function showWaitingPosts(element: CommuneFeed): Promise<void> {
  const button = shadow(element).querySelector<HTMLButtonElement>('[part~="new-posts"]');
  if (!button) throw new Error('no new-posts button');
  button.click();
  await element.updateComplete;
}

/** Opens the stream the element started and returns it. */
async function openStream(element: CommuneFeed): Promise<FakeEventSource> {
  await waitUntil(() => FakeEventSource.current, 'the element opens the event stream');
  const source = FakeEventSource.current as FakeEventSource;
  source.open();
  await element.updateComplete;
  return source;
}

describe('commune-feed: snapshot rendering', () => {
  it('fetches the snapshot from src and feed, then shows its posts newest first', async () => {
    const element = await renderFeed();
    expect(server.requests[0]?.url).to.equal('https://flux.example/api/feeds/saint-etienne');
    expect(postIds(element)).to.deep.equal(['1003', '1002', '1001']);
    expect(shadow(element).querySelector('[part~="title"]')?.textContent).to.equal('Fête nationale à Saint-Étienne');
  });

  it('uses the page origin when src is empty', async () => {
    await renderFeed(html`<commune-feed feed="saint-etienne"></commune-feed>`);
    expect(server.requests[0]?.url).to.equal(`${location.origin}/api/feeds/saint-etienne`);
  });

  it('turns hashtags, mentions and links into links with the exact text', async () => {
    const element = await renderFeed();
    const links = [...article(element, '1003').querySelectorAll<HTMLAnchorElement>('.text a')];
    expect(links.map((link) => [link.className, link.textContent, link.href])).to.deep.equal([
      ['hashtag', '#FeteNationale', 'https://x.com/hashtag/FeteNationale'],
      ['mention', '@SaintEtienne', 'https://x.com/SaintEtienne'],
      ['link', 'saint-etienne.fr/programme', 'https://t.co/abc123'],
    ]);
    expect(links[2]?.title).to.equal('https://www.saint-etienne.fr/programme');
  });

  it('keeps the text right after an emoji and before a hashtag', async () => {
    const element = await renderFeed();
    const text = article(element, '1003').querySelector('.text') as HTMLElement;
    expect(text.textContent).to.equal(
      "Quel feu d'artifice 🎆🎇 #FeteNationale avec @SaintEtienne ! saint-etienne.fr/programme merci",
    );
    const beforeHashtag = [...text.childNodes].find((node) => node.nodeType !== Node.COMMENT_NODE);
    expect(beforeHashtag?.nodeType).to.equal(Node.TEXT_NODE);
    expect(beforeHashtag?.textContent).to.equal("Quel feu d'artifice 🎆🎇 ");
  });

  it('shows markup from text, name and alt as inert text', async () => {
    const element = await renderFeed();
    const post = article(element, '1002');
    expect(shadow(element).querySelector('script')).to.equal(null);
    expect(shadow(element).querySelector('[onerror]')).to.equal(null);
    expect(post.querySelector('.text')?.textContent).to.contain('<script>window.__pwned = 1</script>');
    expect(post.querySelector('.name')?.textContent).to.equal('<img src=x onerror="window.__pwned = 3">Mallory');
    const image = post.querySelector<HTMLImageElement>('.media img');
    expect(image?.alt).to.equal('<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">');
    await flush();
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('never puts a javascript: URL in a link or an image', async () => {
    const element = await renderFeed();
    const post = article(element, '1002');
    for (const node of post.querySelectorAll('[href], [src]')) {
      const url = node.getAttribute('href') ?? node.getAttribute('src') ?? '';
      expect(url.startsWith('https:'), url).to.equal(true);
    }
    // The entity with an unsafe URL stays text, and the handle is not a link.
    expect(post.querySelector('.text a')).to.equal(null);
    expect(post.querySelector('.handle')?.tagName).to.equal('SPAN');
  });

  it('resolves relative URLs in posts against the feed server, not the page', async () => {
    server.publish(
      fixtureSnapshot({
        posts: [
          {
            ...makePost('r1', '2026-07-14T12:30:00Z', 'Voir #fete'),
            url: '/?post=r1',
            author: {
              name: 'Mairie',
              handle: 'mairie',
              avatarUrl: '/demo/media/avatars/mairie.svg',
              profileUrl: '/?account=mairie',
            },
            entities: {
              hashtags: [{ start: 5, end: 10, tag: 'fete', url: '/?hashtag=fete' }],
              mentions: [],
              links: [],
            },
            media: [{ kind: 'photo', url: '/demo/media/a.jpg', previewUrl: '', alt: 'Scène', width: 4, height: 3 }],
          },
        ],
      }),
    );
    const element = await renderFeed(
      html`<commune-feed src="https://flux.example/mur" feed="saint-etienne"></commune-feed>`,
    );
    const post = article(element, 'r1');
    expect(post.querySelector<HTMLAnchorElement>('.hashtag')?.href).to.equal('https://flux.example/?hashtag=fete');
    expect(post.querySelector<HTMLImageElement>('img.avatar')?.src).to.equal(
      'https://flux.example/demo/media/avatars/mairie.svg',
    );
    expect(post.querySelector<HTMLAnchorElement>('a.handle')?.href).to.equal('https://flux.example/?account=mairie');
    expect(post.querySelector<HTMLImageElement>('.media img')?.src).to.equal('https://flux.example/demo/media/a.jpg');
    expect(post.querySelector<HTMLAnchorElement>('a.time')?.href).to.equal('https://flux.example/?post=r1');
  });

  it('renders the author block: decorative avatar, name and @handle to the profile', async () => {
    const element = await renderFeed();
    const post = article(element, '1003');
    const avatar = post.querySelector<HTMLImageElement>('img.avatar');
    expect(avatar?.getAttribute('alt')).to.equal('');
    expect(post.querySelector('.name')?.textContent).to.equal('Alice Martin');
    const handle = post.querySelector<HTMLAnchorElement>('a.handle');
    expect(handle?.textContent).to.equal('@alice');
    expect(handle?.href).to.equal('https://x.com/alice');
  });

  it('renders media with the author alt text, lazy loading and intrinsic size', async () => {
    const element = await renderFeed();
    const image = article(element, '1003').querySelector<HTMLImageElement>('.media img');
    expect(image?.alt).to.equal('Bouquet final au-dessus de la place Jean-Jaurès');
    expect(image?.getAttribute('loading')).to.equal('lazy');
    expect(image?.getAttribute('width')).to.equal('1200');
    expect(image?.getAttribute('height')).to.equal('800');
  });

  it('gives an image without alt text an honest description', async () => {
    const element = await renderFeed();
    const images = article(element, '1002').querySelectorAll<HTMLImageElement>('.media img');
    expect(images[1]?.alt).to.equal('Image sans description');
  });

  it('shows the repost line, the quoted post, the edited mark and the X link', async () => {
    const element = await renderFeed();
    const post = article(element, '1001');
    expect(post.querySelector('.repost')?.textContent?.trim()).to.contain('Reposté par Ville de Saint-Étienne');
    const quoted = post.querySelector('blockquote.quoted');
    expect(quoted?.querySelector('.text')?.textContent).to.equal('Défilé demain à 10 h, cours Fauriel.');
    expect(post.querySelector('.edited')?.textContent).to.equal('modifié');
    const viewOnX = post.querySelector<HTMLAnchorElement>('.source-link');
    expect(viewOnX?.textContent).to.equal('Voir sur X');
    expect(viewOnX?.href).to.equal('https://x.com/bob/status/1001');
    // A demo post has no "Voir sur X".
    expect(article(element, '1002').querySelector('.source-link')).to.equal(null);
  });

  it('shows a relative time in French inside a <time datetime> linking to the post', async () => {
    const element = await renderFeed();
    const link = article(element, '1003').querySelector<HTMLAnchorElement>('a.time');
    expect(link?.href).to.equal('https://x.com/alice/status/1003');
    const time = link?.querySelector('time');
    expect(time?.getAttribute('datetime')).to.equal('2026-07-14T12:35:00Z');
    expect(time?.textContent).to.equal('il y a 5 minutes');
    expect(article(element, '1001').querySelector(':scope > .meta time')?.textContent).to.equal('il y a 2 heures');
  });

  it('refreshes relative times as the clock moves', async () => {
    const element = await renderFeed();
    timers.advance(60_000);
    await element.updateComplete;
    expect(article(element, '1003').querySelector('.meta time')?.textContent).to.equal('il y a 6 minutes');
  });

  it('sets lang on each post and keeps the interface words in the widget language', async () => {
    const element = await renderFeed();
    expect(article(element, '1003').getAttribute('lang')).to.equal('fr');
    expect(article(element, '1001').getAttribute('lang')).to.equal('en');
    expect(article(element, '1001').querySelector('.meta')?.getAttribute('lang')).to.equal('fr');
    expect(article(element, '1001').querySelector('blockquote')?.getAttribute('lang')).to.equal('fr');
  });

  it('speaks English with lang="en"', async () => {
    const element = await renderFeed(
      html`<commune-feed lang="en" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    const post = article(element, '1001');
    expect(post.querySelector('.repost')?.textContent).to.contain('Reposted by Ville de Saint-Étienne');
    expect(post.querySelector('.source-link')?.textContent).to.equal('View on X');
    expect(article(element, '1003').querySelector('.meta time')?.textContent).to.equal('5 minutes ago');
    expect(shadow(element).querySelector('[part="base"]')?.getAttribute('lang')).to.equal('en');
  });

  it('hides sensitive media behind a button until the visitor asks', async () => {
    const element = await renderFeed();
    const post = article(element, '1001');
    expect(post.querySelector('.media-list')?.classList.contains('sensitive-hidden')).to.equal(true);
    const button = post.querySelector<HTMLButtonElement>('[part~="reveal"]');
    expect(button?.textContent?.trim()).to.equal('Afficher le contenu sensible');
    button?.click();
    await element.updateComplete;
    expect(post.querySelector('.media-list')?.classList.contains('sensitive-hidden')).to.equal(false);
    expect(post.querySelector('[part~="reveal"]')).to.equal(null);
    expect(post.querySelector<HTMLImageElement>('.media img')?.alt).to.equal('Marching band');
  });

  it('keeps at most `limit` posts', async () => {
    const element = await renderFeed(
      html`<commune-feed limit="2" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    expect(postIds(element)).to.deep.equal(['1003', '1002']);
    const source = await openStream(element);
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    await element.updateComplete;
    await showWaitingPosts(element);
    expect(postIds(element)).to.deep.equal(['1004', '1003']);
  });
});

describe('commune-feed: states', () => {
  it('shows a loading state, then the empty state', async () => {
    server.hold = true;
    server.publish(fixtureSnapshot({ posts: [] }));
    const element = await fixture<CommuneFeed>(
      html`<commune-feed src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    expect(shadow(element).querySelector('[part="loading"]')?.textContent?.trim()).to.equal(
      'Chargement des publications…',
    );
    server.release();
    await waitUntil(() => shadow(element).querySelector('[part="empty"]'));
    expect(shadow(element).querySelector('[part="empty"]')?.textContent).to.equal('Pas encore de publications');
  });

  it("keeps the page's content inside the tag (the server's HTML fragment) in place of a loading state until the first snapshot", async () => {
    server.hold = true;
    const element = await fixture<CommuneFeed>(
      html`<commune-feed src="https://flux.example" feed="saint-etienne"
        ><section class="commune-feed-fragment"><ol><li>Publication du serveur</li></ol></section></commune-feed
      >`,
    );
    expect(shadow(element).querySelector('[part="loading"]')).to.equal(null);
    const slot = shadow(element).querySelector<HTMLSlotElement>('slot:not([name])');
    expect(slot?.assignedElements()[0]?.textContent).to.equal('Publication du serveur');
    expect(element.querySelector('section')!.getBoundingClientRect().height).to.be.greaterThan(0);
    server.release();
    await waitUntil(() => postIds(element).length > 0);
    expect(shadow(element).querySelector('slot:not([name])')).to.equal(null);
    // Another feed: the fragment was the first feed's, it does not come back.
    server.hold = true;
    element.feed = 'autre-flux';
    await element.updateComplete;
    expect(shadow(element).querySelector('slot:not([name])')).to.equal(null);
    expect(shadow(element).querySelector('[part="loading"]')).not.to.equal(null);
    server.release();
  });

  it('shows slotted content in the empty state', async () => {
    server.publish(fixtureSnapshot({ posts: [] }));
    const element = await fixture<CommuneFeed>(
      html`<commune-feed src="https://flux.example" feed="saint-etienne"
        ><p slot="empty">Revenez le 14 juillet</p></commune-feed
      >`,
    );
    await waitUntil(() => shadow(element).querySelector('slot[name="empty"]'));
    const slot = shadow(element).querySelector<HTMLSlotElement>('slot[name="empty"]');
    expect(slot?.assignedElements()[0]?.textContent).to.equal('Revenez le 14 juillet');
  });

  it('says so when the first snapshot cannot be loaded', async () => {
    server.status = 500;
    const element = await fixture<CommuneFeed>(
      html`<commune-feed src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    await waitUntil(() => shadow(element).querySelector('[part="loading"]')?.textContent?.includes('ne peuvent pas'));
  });

  it('tells the visitor when the connection is lost, and when it is back', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    const notice = () => shadow(element).querySelector('[part="notice"]')?.textContent;
    source.fail(true);
    await element.updateComplete;
    expect(element.connectionState).to.equal('reconnecting');
    expect(notice()).to.equal('Connexion perdue, nouvelle tentative…');
    timers.advance(1_000);
    (FakeEventSource.current as FakeEventSource).open();
    await element.updateComplete;
    expect(element.connectionState).to.equal('live');
    expect(notice()).to.equal('');
    // The posts stayed on screen all along.
    expect(postIds(element)).to.deep.equal(['1003', '1002', '1001']);
  });

  it('says so when it falls back to polling', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    source.fail(false);
    source.fail(false);
    source.fail(false);
    await element.updateComplete;
    expect(element.connectionState).to.equal('polling');
    expect(shadow(element).querySelector('[part="notice"]')?.textContent).to.equal(
      'Mise à jour toutes les 30 secondes',
    );
  });

  it('does not render fallback light DOM once upgraded', async () => {
    const element = await renderFeed(
      html`<commune-feed src="https://flux.example" feed="saint-etienne"
        ><a href="https://x.com/SaintEtienne">Suivez la fête sur X</a></commune-feed
      >`,
    );
    const fallback = element.querySelector('a');
    expect(fallback?.assignedSlot ?? null).to.equal(null);
    expect(fallback?.getClientRects().length).to.equal(0);
  });
});

describe('commune-feed: live events', () => {
  it('opens the event stream from the snapshot revision', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    expect(source.url).to.equal('https://flux.example/api/feeds/saint-etienne/events?since=41');
    expect(element.connectionState).to.equal('live');
  });

  it('inserts a new post at its place, newest first, once the reader asks', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z', 'Le bal commence !'), 42);
    source.emit('post', makePost('1000', '2026-07-14T09:00:00Z'), 43);
    await element.updateComplete;
    await showWaitingPosts(element);
    expect(postIds(element)).to.deep.equal(['1004', '1003', '1002', '1001', '1000']);
  });

  it('replaces an edited post in place, keeping its DOM node', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    const before = article(element, '1003');
    source.emit(
      'post',
      { ...fireworks, text: 'Texte corrigé', entities: { hashtags: [], mentions: [], links: [] }, edited: true },
      42,
    );
    await element.updateComplete;
    expect(postIds(element)).to.deep.equal(['1003', '1002', '1001']);
    expect(article(element, '1003')).to.equal(before);
    expect(before.querySelector('.text')?.textContent).to.equal('Texte corrigé');
    expect(before.querySelector('.edited')?.textContent).to.equal('modifié');
  });

  it('removes a post on a remove event', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    source.emit('remove', { id: hostile.id }, 42);
    await element.updateComplete;
    expect(postIds(element)).to.deep.equal(['1003', '1001']);
  });

  it('updates the title in place on a feed event, without reconnecting', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    const before = article(element, '1003');
    const updates: CommuneFeedUpdateEvent[] = [];
    element.addEventListener('commune-feed-update', (event) => updates.push(event));
    const info = { id: 'saint-etienne', title: 'Bal du 14 Juillet', hashtags: ['Bal14'], accounts: ['SaintEtienne'] };
    source.emit('feed', info, 42);
    await element.updateComplete;
    expect(shadow(element).querySelector('[part~="title"]')?.textContent).to.equal('Bal du 14 Juillet');
    expect(shadow(element).querySelector('[part="base"]')?.getAttribute('aria-label')).to.equal('Bal du 14 Juillet');
    expect(updates.map((event) => event.detail.reason)).to.deep.equal(['feed']);
    expect(FakeEventSource.instances).to.deep.equal([source]);
    expect(source.closed).to.equal(false);
    expect(server.requests).to.have.length(1);
    expect(article(element, '1003')).to.equal(before);
  });

  it('shows the stale notice with the last update time, and clears it', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    const notice = shadow(element).querySelector('[part="notice"]') as HTMLElement;
    expect(notice.textContent).to.equal('');
    source.emit('status', { stale: true, updatedAt: '2026-07-14T12:32:00Z' });
    await element.updateComplete;
    expect(notice.textContent).to.equal('Dernière mise à jour à 14 h 32');
    expect(notice.getAttribute('role')).to.equal('status');
    source.emit('status', { stale: false, updatedAt: '2026-07-14T12:41:00Z' });
    await element.updateComplete;
    expect(notice.textContent).to.equal('');
  });

  it('shows a stale snapshot as stale', async () => {
    server.publish(fixtureSnapshot({ stale: true, updatedAt: '2026-07-14T07:05:00Z' }));
    const element = await renderFeed();
    expect(shadow(element).querySelector('[part="notice"]')?.textContent).to.equal('Dernière mise à jour à 9 h 05');
  });

  it('refetches the snapshot on reset', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    server.publish(fixtureSnapshot({ posts: [makePost('2000', '2026-07-14T12:39:30Z')], revision: 80 }));
    source.emit('reset', { stale: false, updatedAt: '2026-07-14T12:39:30Z' }, 80);
    await waitUntil(() => postIds(element).join() === '2000', 'the new snapshot is shown');
    expect(server.requests).to.have.length(2);
    expect(server.requests[1]?.headers.get('if-none-match')).to.equal('"r41"');
  });

  it('fires commune-feed-update, bubbling and composed', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    const seen: CommuneFeedUpdateEvent[] = [];
    document.addEventListener('commune-feed-update', (event) => seen.push(event), { once: true });
    source.emit('post', makePost('1004', '2026-07-14T12:39:00Z'), 42);
    expect(seen).to.have.length(1);
    const event = seen[0] as CommuneFeedUpdateEvent;
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail.reason).to.equal('post');
    expect(event.detail.posts[0]?.id).to.equal('1004');
  });

  it('fires commune-feed-error when the snapshot fails', async () => {
    server.status = 503;
    server.retryAfter = '20';
    const errors: CommuneFeedErrorEvent[] = [];
    const listener = (event: CommuneFeedErrorEvent) => errors.push(event);
    document.addEventListener('commune-feed-error', listener);
    try {
      await fixture<CommuneFeed>(html`<commune-feed src="https://flux.example" feed="saint-etienne"></commune-feed>`);
      await waitUntil(() => errors.length > 0);
    } finally {
      document.removeEventListener('commune-feed-error', listener);
    }
    const error = errors[0]?.detail.error;
    expect(error?.status).to.equal(503);
    expect(error?.retryAfter).to.equal(20_000);
    expect(errors[0]?.bubbles && errors[0]?.composed).to.equal(true);
  });

  it('ignores a snapshot that arrives after the feed changed', async () => {
    server.hold = true;
    const element = await fixture<CommuneFeed>(
      html`<commune-feed src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    // The first answer is still on its way when the page switches feeds.
    server.hold = false;
    server.publish(fixtureSnapshot({ posts: [makePost('3000', '2026-07-14T12:00:00Z')], revision: 7 }));
    element.feed = 'firminy';
    await element.updateComplete;
    expect(shadow(element).querySelector('[part="loading"]')).to.not.equal(null);
    await waitUntil(() => postIds(element).join() === '3000', 'the new feed is shown');
    server.release();
    await flush();
    await element.updateComplete;
    expect(postIds(element)).to.deep.equal(['3000']);
    expect(server.requests.map((request) => request.url)).to.deep.equal([
      'https://flux.example/api/feeds/saint-etienne',
      'https://flux.example/api/feeds/firminy',
    ]);
  });

  it('ignores events of the old stream after the feed changed', async () => {
    const element = await renderFeed();
    const oldSource = await openStream(element);
    element.feed = 'firminy';
    await element.updateComplete;
    expect(oldSource.closed).to.equal(true);
    // Nothing of the previous feed stays on screen.
    expect(postIds(element)).to.deep.equal([]);
    oldSource.emit('post', makePost('9999', '2026-07-14T12:39:00Z'), 99);
    await waitUntil(() => FakeEventSource.current && FakeEventSource.current !== oldSource);
    expect(postIds(element)).to.not.include('9999');
  });

  it('closes the stream when removed from the page', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    element.remove();
    expect(source.closed).to.equal(true);
    expect(timers.delays()).to.deep.equal([]);
  });
});

describe('commune-feed: theming', () => {
  it('takes colours, fonts, radius and spacing from --commune-feed-* properties', async () => {
    const element = await renderFeed();
    element.style.setProperty('--commune-feed-accent-color', 'rgb(1, 2, 3)');
    element.style.setProperty('--commune-feed-radius', '3px');
    element.style.setProperty('--commune-feed-font-family', 'serif');
    element.style.setProperty('--commune-feed-spacing', '7px');
    const post = article(element, '1003');
    const reveal = article(element, '1001').querySelector('[part~="reveal"]') as Element;
    expect(getComputedStyle(reveal).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(post).borderTopLeftRadius).to.equal('3px');
    expect(getComputedStyle(post).paddingTop).to.equal('7px');
    expect(getComputedStyle(post).fontFamily).to.equal('serif');
  });

  it('exposes structural nodes as ::part()', async () => {
    const style = document.createElement('style');
    style.textContent =
      'commune-feed::part(post) { border-top-color: rgb(4, 5, 6); } commune-feed::part(hashtag) { font-weight: 900; }';
    document.head.append(style);
    try {
      const element = await renderFeed();
      expect(getComputedStyle(article(element, '1003')).borderTopColor).to.equal('rgb(4, 5, 6)');
      expect(getComputedStyle(article(element, '1003').querySelector('.hashtag') as Element).fontWeight).to.equal(
        '900',
      );
    } finally {
      style.remove();
    }
  });

  it('lets the page replace the header through the header slot', async () => {
    const element = await renderFeed(
      html`<commune-feed src="https://flux.example" feed="saint-etienne"
        ><h2 slot="header">Le 14 Juillet en direct</h2></commune-feed
      >`,
    );
    const slot = shadow(element).querySelector<HTMLSlotElement>('slot[name="header"]');
    expect(slot?.assignedElements()[0]?.textContent).to.equal('Le 14 Juillet en direct');
    expect(slot?.assignedElements()).to.have.length(1);
  });

  it('reflects the theme and uses the dark palette', async () => {
    const element = await renderFeed(
      html`<commune-feed theme="dark" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    expect(getComputedStyle(element).backgroundColor).to.equal('rgb(21, 23, 27)');
    element.theme = 'light';
    await element.updateComplete;
    expect(element.getAttribute('theme')).to.equal('light');
    expect(getComputedStyle(element).backgroundColor).to.equal('rgb(255, 255, 255)');
  });
});

describe('commune-feed: accessibility', () => {
  it('uses an axe check that sees inside shadow roots', async () => {
    const host = await fixture<HTMLElement>(html`<div></div>`);
    host
      .attachShadow({ mode: 'open' })
      .append(Object.assign(document.createElement('img'), { src: 'https://img.example/a.png' }));
    expect((await axeViolations(host)).join()).to.contain('image-alt');
  });

  it('has no WCAG 2.2 AA violation in list mode', async () => {
    const element = await renderFeed();
    expect(await axeViolations(element)).to.deep.equal([]);
  });

  it('has no WCAG 2.2 AA violation in the dark theme', async () => {
    const element = await renderFeed(
      html`<commune-feed theme="dark" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    expect(await axeViolations(element)).to.deep.equal([]);
  });

  it('has no WCAG 2.2 AA violation while stale and with the sensitive media shown', async () => {
    const element = await renderFeed();
    const source = await openStream(element);
    source.emit('status', { stale: true, updatedAt: '2026-07-14T12:32:00Z' });
    article(element, repost.id).querySelector<HTMLButtonElement>('[part~="reveal"]')?.click();
    await element.updateComplete;
    expect(await axeViolations(element)).to.deep.equal([]);
  });
});

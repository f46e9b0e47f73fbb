import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { Post } from '../../../server/contract.js';
import { renderPostHtml, type PostHtmlContext } from '../../../server/html/post-html.js';
import { POST_WORDS } from '../../../server/html/words.js';
import { testPost } from '../../helpers/posts.js';
import { hostilePosts } from '../../e2e/xss-payloads.js';
import { hostileAnnouncements, outsideAllowList } from '../../widget/helpers/hostile-markup.js';

const context: PostHtmlContext = {
  locale: 'fr',
  words: POST_WORDS.fr,
  timeZone: 'Europe/Paris',
  headingLevel: 3,
};

/** The post as a browser would parse it. */
function parse(post: Post, over: Partial<PostHtmlContext> = {}): HTMLElement {
  const { document } = new JSDOM(`<!doctype html><body>${renderPostHtml(post, { ...context, ...over })}</body>`).window;
  return document.querySelector('article')!;
}

const author = {
  name: 'Médiathèque',
  handle: 'mediatheque_se',
  avatarUrl: '/media/pbs.twimg.com/profile_images/1/a_normal.jpg',
  profileUrl: 'https://x.com/mediatheque_se',
};
const photo = (url: string, alt = 'Le stand des éditeurs') => ({
  kind: 'photo' as const,
  url,
  previewUrl: url,
  alt,
  width: 1200,
  height: 800,
});

describe('renderPostHtml', () => {
  it('credits the author (name, @handle to the profile), links the time to the post, and says "Voir sur X" for X', () => {
    const post = testPost(1, { source: 'x', author, url: 'https://x.com/mediatheque_se/status/1', lang: 'en' });
    const article = parse(post);
    expect(article.getAttribute('lang')).toBe('en');
    expect(article.querySelector('h3.name')!.textContent).toBe('Médiathèque');
    const handle = article.querySelector<HTMLAnchorElement>('a.handle')!;
    expect([handle.textContent, handle.href, handle.rel]).toEqual([
      '@mediatheque_se',
      'https://x.com/mediatheque_se',
      'noopener noreferrer nofollow ugc',
    ]);
    expect(article.querySelector('img.avatar')!.getAttribute('src')).toBe(author.avatarUrl);
    expect(article.querySelector('img.avatar')!.getAttribute('alt')).toBe('');
    const time = article.querySelector('a.time time')!;
    expect(time.getAttribute('datetime')).toBe(post.createdAt);
    expect(time.textContent).toBe('10 oct. 2026, 11:01');
    expect(article.querySelector('a.time')!.getAttribute('href')).toBe('https://x.com/mediatheque_se/status/1');
    // The page's own words are in the page's language, inside a post in English.
    const meta = article.querySelector('.meta')!;
    expect(meta.getAttribute('lang')).toBe('fr');
    expect(meta.querySelector('a.source-link')!.textContent).toBe('Voir sur X');
    expect(parse(testPost(2)).querySelector('a.source-link')).toBeNull();
    expect(parse(testPost(2, { lang: 'und' })).hasAttribute('lang')).toBe(false);
  });

  it('links hashtags, mentions and links at their offsets, shows display URLs, and keeps the rest as text', () => {
    const text = 'Venez ! @biblio_se #FeteDuLivre fetedulivre.fr <b>gras</b>';
    const post = testPost(1, {
      text,
      entities: {
        mentions: [{ start: 8, end: 18, handle: 'biblio_se', url: 'https://x.com/biblio_se' }],
        hashtags: [{ start: 19, end: 31, tag: 'FeteDuLivre', url: 'https://x.com/hashtag/FeteDuLivre' }],
        links: [
          {
            start: 32,
            end: 46,
            href: 'https://t.co/abc',
            display: 'fetedulivre.fr',
            expandedUrl: 'https://fetedulivre.fr/',
          },
        ],
      },
    });
    const p = parse(post).querySelector('p.text')!;
    expect([...p.querySelectorAll('a')].map((a) => [a.className, a.textContent, a.getAttribute('href')])).toEqual([
      ['mention', '@biblio_se', 'https://x.com/biblio_se'],
      ['hashtag', '#FeteDuLivre', 'https://x.com/hashtag/FeteDuLivre'],
      ['link', 'fetedulivre.fr', 'https://t.co/abc'],
    ]);
    expect(p.querySelector('a.link')!.getAttribute('title')).toBe('https://fetedulivre.fr/');
    expect(p.textContent).toBe(text);
    expect(p.querySelector('b')).toBeNull();
  });

  it("shows this server's images only, with their alt texts; another host's image is named, never loaded", () => {
    const post = testPost(1, {
      media: [
        photo('/media/pbs.twimg.com/media/a.jpg'),
        photo('https://flux.ville.fr/demo/media/b.svg', ''),
        photo('https://tracker.example/c.jpg', 'Une image ailleurs'),
        { ...photo('javascript:alert(1)'), kind: 'video' },
      ],
    });
    const article = parse(post, { publicOrigin: 'https://flux.ville.fr' });
    expect(
      [...article.querySelectorAll('figure img')].map((img) => [img.getAttribute('src'), img.getAttribute('alt')]),
    ).toEqual([
      ['/media/pbs.twimg.com/media/a.jpg', 'Le stand des éditeurs'],
      ['/demo/media/b.svg', 'Image sans description'],
    ]);
    expect([...article.querySelectorAll('.media-text')].map((p) => p.textContent)).toEqual([
      'Image non affichée : Une image ailleurs',
      'Image non affichée : Le stand des éditeurs',
    ]);
    expect(article.querySelector('details')).toBeNull();
  });

  it('puts sensitive media behind a <details> cover, and sends a preview through the organisers’ image route', () => {
    const post = testPost(1, { sensitive: true, media: [photo('/media/pbs.twimg.com/media/a.jpg')] });
    const cover = parse(post).querySelector('details.sensitive')!;
    expect(cover.hasAttribute('open')).toBe(false);
    expect(cover.querySelector('summary')!.textContent).toBe('Contenu sensible : afficher l’image');
    expect(cover.querySelector('img')!.getAttribute('alt')).toBe('Le stand des éditeurs');
    const preview = parse(post, { imageUrl: (path) => `/api/admin${path}` });
    expect(preview.querySelector('img')!.getAttribute('src')).toBe('/api/admin/media/pbs.twimg.com/media/a.jpg');
  });

  it('says who reposted, shows the quoted post inside, and marks edited and pinned posts', () => {
    const post = testPost(1, {
      repostedBy: { ...author, name: 'Ville <Saint-Étienne>' },
      quoted: testPost(2, { author, text: 'Citée', lang: 'it' }),
      edited: true,
      pinnedAt: '2026-10-10T10:00:00Z',
    });
    const article = parse(post);
    expect(article.querySelector('.repost')!.textContent).toBe('🔁 Reposté par Ville <Saint-Étienne>');
    expect(article.querySelector('.marks')!.textContent).toBe('Épinglé');
    const quoted = article.querySelector('blockquote.quoted')!;
    expect(quoted.getAttribute('lang')).toBe('it');
    expect(quoted.querySelector('.name')!.tagName).toBe('SPAN');
    expect(quoted.querySelector('p.text')!.textContent).toBe('Citée');
    expect(article.querySelector('.edited')!.textContent).toBe('modifié');
    expect(parse(post, { locale: 'en', words: POST_WORDS.en }).querySelector('.repost')!.textContent).toBe(
      '🔁 Reposted by Ville <Saint-Étienne>',
    );
  });

  it('marks an announcement, signs it with the organisers, and writes its markup sanitised again with the one allow-list', () => {
    const corpus = hostileAnnouncements();
    const announcement: Post = {
      ...testPost(1),
      source: 'organisers',
      url: '',
      author: { name: 'Mairie', handle: '', avatarUrl: '', profileUrl: '' },
      html: `<p>Concert à <strong>20 h</strong>, <a href="https://ville.fr">programme</a></p>${corpus.join('')}`,
      text: 'Concert à 20 h',
      entities: { hashtags: [], mentions: [], links: [] },
    };
    const article = parse(announcement);
    expect(article.classList.contains('organisers')).toBe(true);
    expect(article.querySelector('.marks')!.textContent).toBe('Annonce des organisateurs');
    expect(article.querySelector('h3.name')!.textContent).toBe('Mairie');
    expect(article.querySelector('a.handle, img, a.time, a.source-link')).toBeNull();
    const rich = article.querySelector('.text.rich')!;
    expect(rich.querySelector('strong')!.textContent).toBe('20 h');
    expect(rich.querySelector('a')!.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    expect(outsideAllowList(rich)).toEqual([]);
    const plain = parse({ ...announcement, html: undefined, author: { ...announcement.author, name: ' ' } });
    expect(plain.querySelector('p.text')!.textContent).toBe('Concert à 20 h');
    expect(plain.querySelector('h3.name')!.textContent).toBe('Organisateurs');
  });

  it('writes every field of the XSS corpus as inert text: no element, attribute or URL it did not mean to write', () => {
    const allowed = new Set([
      'ARTICLE',
      'P',
      'SPAN',
      'A',
      'DIV',
      'H3',
      'IMG',
      'FIGURE',
      'TIME',
      'DETAILS',
      'SUMMARY',
      'BLOCKQUOTE',
    ]);
    for (const post of hostilePosts()) {
      const article = parse(post);
      for (const el of [article, ...article.querySelectorAll('*')]) {
        expect(allowed.has(el.tagName), `${post.id}: <${el.tagName}>`).toBe(true);
        for (const { name, value } of el.attributes) {
          expect(name, `${post.id}: ${el.tagName}[${name}]`).not.toMatch(/^on/i);
          if (name === 'href' || name === 'src')
            expect(value, `${post.id}: ${name}`).toMatch(/^(https?:\/\/|\/(?!\/))/);
        }
      }
      if (post.lang?.includes('"')) expect(article.hasAttribute('lang')).toBe(false);
      expect(article.querySelector('h3.name')!.textContent).toBe(post.author.name);
    }
  });
});

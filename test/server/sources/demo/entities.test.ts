/** Tests for the demo entity finder: UTF-16 offsets, hashtag and mention rules, URL edges, and the whole script. */
import { describe, it, expect } from 'vitest';
import { displayUrl, entitiesFromText, type EntityUrls } from '../../../../server/sources/demo/entities.js';
import { DEMO_AUTHORS } from '../../../../server/sources/demo/cast.js';
import { DEMO_SCRIPT } from '../../../../server/sources/demo/replay.js';

const urls: EntityUrls = {
  hashtag: (tag) => `https://demo.test/?hashtag=${encodeURIComponent(tag)}`,
  mention: (handle) => `https://demo.test/?account=${handle}`,
};

function shown(text: string) {
  const e = entitiesFromText(text, urls);
  return {
    hashtags: e.hashtags.map((h) => text.slice(h.start, h.end)),
    mentions: e.mentions.map((m) => text.slice(m.start, m.end)),
    links: e.links.map((l) => text.slice(l.start, l.end)),
  };
}

describe('entitiesFromText', () => {
  it('counts UTF-16 code units after emoji, flags and ZWJ sequences', () => {
    const text = '📚 #FeteDuLivre 🇫🇷 @saint_etienne_ 👨‍👩‍👧‍👦#BD 🧑‍🎨@lea_bd_demo';
    const e = entitiesFromText(text, urls);
    expect(e.hashtags.map((h) => text.slice(h.start, h.end))).toEqual(['#FeteDuLivre', '#BD']);
    expect(e.mentions.map((m) => text.slice(m.start, m.end))).toEqual(['@saint_etienne_', '@lea_bd_demo']);
    // "📚" is two code units, then a space.
    expect(e.hashtags[0]).toMatchObject({ start: 3, end: 15, tag: 'FeteDuLivre' });
  });

  it('keeps accents inside hashtags, composed or decomposed', () => {
    const composed = 'Vive la #FêteDuLivre à #SaintÉtienne !';
    expect(shown(composed).hashtags).toEqual(['#FêteDuLivre', '#SaintÉtienne']);
    const decomposed = 'la #Fe\u0302te continue';
    expect(shown(decomposed).hashtags).toEqual(['#Fe\u0302te']);
    const [tag] = entitiesFromText(composed, urls).hashtags;
    expect(tag).toMatchObject({ tag: 'FêteDuLivre', url: 'https://demo.test/?hashtag=F%C3%AAteDuLivre' });
  });

  it('ends a hashtag at punctuation and French spacing', () => {
    expect(shown('#BD, #Loire. #Jeunesse\u202f! (#Lecture) #Polar’s').hashtags).toEqual([
      '#BD',
      '#Loire',
      '#Jeunesse',
      '#Lecture',
      '#Polar',
    ]);
  });

  it('does not take digits-only tags, tags inside words, or HTML entities', () => {
    expect(shown('Stand #1, salle B#2, a#b, &#233; et #2026FeteDuLivre').hashtags).toEqual(['#2026FeteDuLivre']);
  });

  it('finds mentions of 1 to 15 characters and skips e-mail addresses and longer names', () => {
    const text = 'Merci @a et @saint_etienne_ ! Écrivez à contact@ville.fr, pas à @abcdefghijklmnop.';
    expect(shown(text).mentions).toEqual(['@a', '@saint_etienne_']);
    const [, town] = entitiesFromText(text, urls).mentions;
    expect(town).toMatchObject({ handle: 'saint_etienne_', url: 'https://demo.test/?account=saint_etienne_' });
  });

  it('does not swallow a final period or closing parenthesis into a URL', () => {
    expect(shown('Infos : https://www.saint-etienne.fr/deplacements/tram.').links).toEqual([
      'https://www.saint-etienne.fr/deplacements/tram',
    ]);
    expect(shown('Notre reportage (https://www.saint-etienne.fr/actualites/livre) #Loire').links).toEqual([
      'https://www.saint-etienne.fr/actualites/livre',
    ]);
    expect(shown('Lire https://fr.wikipedia.org/wiki/Saint-Étienne_(Loire).').links).toEqual([
      'https://fr.wikipedia.org/wiki/Saint-Étienne_(Loire)',
    ]);
    expect(shown('Voir https://www.saint-etienne.fr/agenda?jour=samedi&heure=10, puis…').links).toEqual([
      'https://www.saint-etienne.fr/agenda?jour=samedi&heure=10',
    ]);
  });

  it('keeps "#" and "@" inside a URL as part of the link', () => {
    const text = 'Programme https://www.saint-etienne.fr/programme#samedi et https://example.org/@auteur';
    expect(shown(text)).toEqual({
      hashtags: [],
      mentions: [],
      links: ['https://www.saint-etienne.fr/programme#samedi', 'https://example.org/@auteur'],
    });
  });

  it('gives links X-like display text and keeps the full URL', () => {
    const text = '👉 https://www.saint-etienne.fr/fete-du-livre/programme-2026';
    const [link] = entitiesFromText(text, urls).links;
    expect(link).toEqual({
      start: 3,
      end: text.length,
      href: 'https://www.saint-etienne.fr/fete-du-livre/programme-2026',
      display: 'saint-etienne.fr/fete-du…',
      expandedUrl: 'https://www.saint-etienne.fr/fete-du-livre/programme-2026',
    });
    expect(displayUrl('https://www.saint-etienne.fr/')).toBe('saint-etienne.fr');
    expect(displayUrl('http://ville.fr/agenda')).toBe('ville.fr/agenda');
    expect(displayUrl('https://www.saint-etienne.fr/mediatheques').length).toBe(25);
  });

  it('finds nothing in plain text', () => {
    expect(entitiesFromText('Rendez-vous à 98.4 ou à 10 h 30 !', urls)).toEqual({
      hashtags: [],
      mentions: [],
      links: [],
    });
  });

  it('finds Mastodon mentions with their instance, and no X mention inside them', () => {
    const text = '@sophie_se_demo@piaille.fr Merci ! Et @biblio@mastodon.social. Pas @seul ni mail@piaille.fr';
    const e = entitiesFromText(text, urls, 'mastodon');
    expect(e.mentions.map((m) => [text.slice(m.start, m.end), m.handle, m.url])).toEqual([
      [
        '@sophie_se_demo@piaille.fr',
        'sophie_se_demo@piaille.fr',
        'https://demo.test/?account=sophie_se_demo@piaille.fr',
      ],
      ['@biblio@mastodon.social', 'biblio@mastodon.social', 'https://demo.test/?account=biblio@mastodon.social'],
    ]);
    expect(shown('@sophie_se_demo@piaille.fr Merci').mentions).toEqual([]);
  });

  it('finds Bluesky mentions as domain names, without a final period', () => {
    const text = 'Croisé @camille-r-demo.bsky.social et @mairie.fr. Pas @seul ni contact@mairie.fr';
    const e = entitiesFromText(text, urls, 'bluesky');
    expect(e.mentions.map((m) => [text.slice(m.start, m.end), m.handle])).toEqual([
      ['@camille-r-demo.bsky.social', 'camille-r-demo.bsky.social'],
      ['@mairie.fr', 'mairie.fr'],
    ]);
  });

  it('marks every entity of every script post exactly where its text is', () => {
    let count = 0;
    for (const post of DEMO_SCRIPT) {
      const { hashtags, mentions, links } = entitiesFromText(post.text, urls, DEMO_AUTHORS[post.author].network);
      for (const h of hashtags) expect(post.text.slice(h.start, h.end)).toBe(`#${h.tag}`);
      for (const m of mentions) expect(post.text.slice(m.start, m.end)).toBe(`@${m.handle}`);
      for (const l of links) {
        expect(post.text.slice(l.start, l.end)).toBe(l.href);
        expect(l.href).toMatch(/^https:\/\/www\.saint-etienne\.fr\/[^\s]*[^\s.,;:!?)]$/);
        expect(l.display.length).toBeLessThanOrEqual(25);
      }
      count += hashtags.length + mentions.length + links.length;
    }
    expect(count).toBeGreaterThan(80);
  });
});
